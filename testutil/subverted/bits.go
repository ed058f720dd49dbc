package subverted

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"math/rand/v2"
)

// Key is the subversion key shared by a subverted device and its accomplice.
type Key [32]byte

// KeyedBit is the accomplice's decoder: the low bit of
// HMAC-SHA256(key, domain ‖ data...). Without the key the bit is a fair coin.
func KeyedBit(k Key, domain string, data ...[]byte) uint8 {
	h := hmac.New(sha256.New, k[:])
	h.Write([]byte(domain))
	var l [4]byte
	for _, d := range data {
		binary.BigEndian.PutUint32(l[:], uint32(len(d)))
		h.Write(l[:])
		h.Write(d)
	}
	return h.Sum(nil)[0] & 1
}

// SeededReader is a deterministic io.Reader (ChaCha8 from math/rand/v2)
// for the randomness of devices and firewalls in experiments. Never use it
// outside tests.
func SeededReader(seed uint64, stream uint64) io.Reader {
	var s [32]byte
	binary.BigEndian.PutUint64(s[0:], seed)
	binary.BigEndian.PutUint64(s[8:], stream)
	copy(s[16:], "medexchain-test!")
	return rand.NewChaCha8(s)
}

// Bits is a deterministic stream of secret bits to exfiltrate.
type Bits struct{ r *rand.Rand }

// NewBits returns a uniform bit stream from seed.
func NewBits(seed uint64) *Bits {
	return &Bits{r: rand.New(rand.NewPCG(seed, 0x6d65646578))}
}

// Next returns the next secret bit.
func (b *Bits) Next() uint8 { return uint8(b.r.Uint64() & 1) }

// Sample draws candidates until decode(candidate) == want or tries run out,
// and returns the last candidate and whether it carries the bit. Each try
// succeeds with probability 1/2, so the leak rate is 1 − 2^−tries
// (tries = 8: 99.6%).
func Sample[T any](tries int, want uint8, draw func() (T, error), decode func(T) uint8) (T, bool, error) {
	var c T
	var err error
	for i := 0; i < tries; i++ {
		c, err = draw()
		if err != nil {
			return c, false, err
		}
		if decode(c) == want {
			return c, true, nil
		}
	}
	return c, false, nil
}

// Counter tallies the accomplice's guesses.
type Counter struct{ Right, Total int }

// Add records one guess.
func (c *Counter) Add(guess, truth uint8) {
	c.Total++
	if guess == truth {
		c.Right++
	}
}

// Rate is the fraction of right guesses.
func (c Counter) Rate() float64 {
	if c.Total == 0 {
		return 0
	}
	return float64(c.Right) / float64(c.Total)
}
