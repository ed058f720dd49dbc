package main

import (
	"regexp"
	"strings"
)

var (
	// sourceLocation matches the " [/path/file.go:123]" that the SDK's error
	// formatting appends (for example to a failed gas simulation).
	sourceLocation = regexp.MustCompile(` \[[^\]\s]+\.go:\d+\]`)
	// nestedStatus matches a gRPC status prefix repeated by each layer that relays it.
	nestedStatus = regexp.MustCompile(`(rpc error: code = \w+ desc = )+`)
)

// userError turns an error into the one line a CLI user should read: no
// source locations, one gRPC status prefix, no trailing newline.
func userError(err error) string {
	msg := sourceLocation.ReplaceAllString(err.Error(), "")
	msg = nestedStatus.ReplaceAllStringFunc(msg, func(s string) string {
		return s[:strings.Index(s, "desc = ")+len("desc = ")]
	})
	return strings.TrimSpace(strings.ReplaceAll(msg, "\n", " "))
}
