// Package testrand gives tests reproducible randomness: a ChaCha8 stream
// from a fixed seed, usable wherever the library takes an io.Reader.
package testrand

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
)

// New returns a deterministic io.Reader for seed.
func New(seed uint64) io.Reader {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	copy(s[8:], "medexchain/test/")
	return rand.NewChaCha8(s)
}
