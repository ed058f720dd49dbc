package cli

import (
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ReadPublicKeyArg reads a public key given as a .pub file written by
// `phr keygen` (hex text) or as hex on the command line. autocli's bytes
// flags would read a .pub file's hex text as raw bytes, hence this.
func ReadPublicKeyArg(what, arg string) ([]byte, error) {
	value := strings.TrimPrefix(arg, "@")
	if bz, err := os.ReadFile(value); err == nil {
		value = strings.TrimSpace(string(bz))
	} else if strings.HasPrefix(arg, "@") || strings.ContainsAny(arg, "/.") {
		return nil, fmt.Errorf("%s: %v", what, err)
	}
	key, err := hex.DecodeString(value)
	if err != nil {
		return nil, fmt.Errorf("%s: neither a readable .pub file nor hex", what)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("%s: %d bytes, want 32", what, len(key))
	}
	return key, nil
}

// ParseTime takes an RFC 3339 time, or a duration from now ("24h", "90m").
// A bare number of seconds is refused: its unit would be a guess.
func ParseTime(what, s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("%s is empty", what)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%s %q: use an RFC 3339 time (2026-05-01T12:00:00Z) or a duration from now (24h, -30m)", what, s)
}

// ParseID parses a positive id argument.
func ParseID(what, s string) (uint64, error) {
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("%s %q: want a positive integer", what, s)
	}
	return id, nil
}
