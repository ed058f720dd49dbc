package cli

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// Errors from a node arrive wrapped in gRPC status text, ABCI boilerplate and
// source locations. The CLI's promise is one line naming the problem, so
// the wrapping is peeled off; the chain's own message stays word for word.
var (
	grpcPrefix  = regexp.MustCompile(`rpc error: code = \w+ desc = `)
	msgIndex    = regexp.MustCompile(`failed to execute message; message index: \d+: `)
	sourceLoc   = regexp.MustCompile(` \[[^\]]*\.go:\d+\]`)
	gasSuffix   = regexp.MustCompile(` with gas used: '\d+'.*$`)
	storeSuffix = regexp.MustCompile(`: key not found$`)
)

// CleanChainError reduces a node's error text to the chain's message.
func CleanChainError(s string) string {
	s = oneLine(s)
	s = grpcPrefix.ReplaceAllString(s, "")
	s = msgIndex.ReplaceAllString(s, "")
	s = sourceLoc.ReplaceAllString(s, "")
	s = gasSuffix.ReplaceAllString(s, "")
	s = storeSuffix.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}

// loadKey loads a key file of the wanted kind, naming a file of another
// kind instead of reporting a malformed encoding.
func loadKey(path, pass string, want keys.Kind) ([]byte, error) {
	secret, kind, err := keys.LoadKeyFile(path, pass)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if kind != want {
		clear(secret)
		return nil, fmt.Errorf("%s is a %s key file, not a %s key file", path, kind, want)
	}
	return secret, nil
}

func loadVaultKey(path, pass string) (*keys.VaultSecretKey, error) {
	b, err := loadKey(path, pass, keys.KindVault)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	return keys.UnmarshalVaultSecret(b)
}

func loadRequesterKey(path, pass string) (*keys.RequesterSecretKey, error) {
	b, err := loadKey(path, pass, keys.KindRequester)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	return keys.UnmarshalRequesterSecret(b)
}

func loadDeviceKey(path, pass string) (*keys.DeviceSecretKey, error) {
	b, err := loadKey(path, pass, keys.KindDevice)
	if err != nil {
		return nil, err
	}
	defer clear(b)
	return keys.UnmarshalDeviceSecret(b)
}
