// Package cliutil holds what every medexchain command-line program shares
// when it talks to an operator.
package cliutil

import (
	"regexp"
	"strings"
)

// Errors from a node arrive wrapped in gRPC status text (once per layer that
// relays them), ABCI boilerplate, gas figures and source locations. A command
// promises one line naming the problem, so the wrapping is peeled off; the
// chain's own message stays word for word.
var (
	grpcPrefix  = regexp.MustCompile(`rpc error: code = \w+ desc = `)
	msgIndex    = regexp.MustCompile(`failed to execute message; message index: \d+: `)
	simPrefix   = regexp.MustCompile(`failed to simulate tx: `)
	sourceLoc   = regexp.MustCompile(` \[[^\]\s]*\.go:\d+\]`)
	gasSuffix   = regexp.MustCompile(`(?i) with gas (wanted: '\d+' and gas )?used: '\d+'.*$`)
	storeSuffix = regexp.MustCompile(`: key not found$`)
)

// ErrorLine reduces an error text, a node's or our own, to the one line an
// operator reads: the first line, without gRPC status prefixes, message
// index, simulation prefix, source locations, gas figures and the store's
// "key not found".
func ErrorLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	s = grpcPrefix.ReplaceAllString(s, "")
	s = msgIndex.ReplaceAllString(s, "")
	s = simPrefix.ReplaceAllString(s, "")
	s = sourceLoc.ReplaceAllString(s, "")
	s = gasSuffix.ReplaceAllString(s, "")
	s = storeSuffix.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}
