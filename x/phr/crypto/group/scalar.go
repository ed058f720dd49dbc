package group

import (
	"fmt"
	"io"

	ed "filippo.io/edwards25519"
)

// Scalar is an integer modulo the group order q. The zero value is the
// scalar 0. Methods set and return the receiver.
type Scalar struct{ s ed.Scalar }

// NewScalar returns the scalar 0.
func NewScalar() *Scalar { return &Scalar{} }

// ScalarFromUint64 returns v (v < q always holds).
func ScalarFromUint64(v uint64) *Scalar {
	var b [32]byte
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
	s := new(Scalar)
	if _, err := s.s.SetCanonicalBytes(b[:]); err != nil {
		panic("group: small scalar not canonical")
	}
	return s
}

// RandomScalar draws a uniform non-zero scalar: 64 bytes from rnd, reduced
// mod q (bias < 2^-250). The buffer is erased afterwards.
//
// circl's Ristretto255.RandomScalar ignores its io.Reader (it always uses
// crypto/rand), so it cannot serve reproducible tests; this can.
func RandomScalar(rnd io.Reader) (*Scalar, error) {
	var buf [64]byte
	defer clear(buf[:])
	for {
		if _, err := io.ReadFull(rnd, buf[:]); err != nil {
			return nil, fmt.Errorf("medexchain/crypto: randomness: %w", err)
		}
		s := new(Scalar)
		if _, err := s.s.SetUniformBytes(buf[:]); err != nil {
			panic("group: SetUniformBytes: " + err.Error())
		}
		if !s.IsZero() {
			return s, nil
		}
	}
}

// DecodeScalar decodes a canonical 32-byte little-endian scalar and refuses
// zero.
func DecodeScalar(b []byte) (*Scalar, error) {
	if len(b) != ScalarSize {
		return nil, ErrMalformed
	}
	s := new(Scalar)
	if _, err := s.s.SetCanonicalBytes(b); err != nil {
		return nil, ErrNonCanonical
	}
	if s.IsZero() {
		return nil, ErrZeroScalar
	}
	return s, nil
}

// setCanonical decodes a canonical scalar, zero allowed.
func (s *Scalar) setCanonical(b []byte) error {
	if len(b) != ScalarSize {
		return ErrMalformed
	}
	if _, err := s.s.SetCanonicalBytes(b); err != nil {
		return ErrNonCanonical
	}
	return nil
}

var zeroScalar ed.Scalar

// Bytes is the canonical 32-byte little-endian encoding.
func (s *Scalar) Bytes() []byte { return s.s.Bytes() }

// IsZero reports s == 0 (constant time).
func (s *Scalar) IsZero() bool { return s.s.Equal(&zeroScalar) == 1 }

// Equal reports s == t (constant time).
func (s *Scalar) Equal(t *Scalar) bool { return s.s.Equal(&t.s) == 1 }

// Set sets s = t.
func (s *Scalar) Set(t *Scalar) *Scalar { s.s.Set(&t.s); return s }

// Add sets s = x + y.
func (s *Scalar) Add(x, y *Scalar) *Scalar { s.s.Add(&x.s, &y.s); return s }

// Sub sets s = x - y.
func (s *Scalar) Sub(x, y *Scalar) *Scalar { s.s.Subtract(&x.s, &y.s); return s }

// Mul sets s = x · y.
func (s *Scalar) Mul(x, y *Scalar) *Scalar { s.s.Multiply(&x.s, &y.s); return s }

// Neg sets s = -x.
func (s *Scalar) Neg(x *Scalar) *Scalar { s.s.Negate(&x.s); return s }

// Inv sets s = 1/x. x must be non-zero (callers check; 1/0 is undefined).
func (s *Scalar) Inv(x *Scalar) *Scalar { s.s.Invert(&x.s); return s }

// Erase overwrites the secret value with zero. Go gives no guarantee that
// no copy survives elsewhere (registers, moved stacks), but the scheme's
// long-lived copies are cleared.
func (s *Scalar) Erase() {
	if s != nil {
		s.s.Set(&zeroScalar)
	}
}

// Less orders scalars by their value as integers (canonical little-endian
// encodings compared from the most significant byte). Used to pick "the t
// answers with the smallest ids" deterministically.
func (s *Scalar) Less(t *Scalar) bool {
	a, b := s.Bytes(), t.Bytes()
	for i := ScalarSize - 1; i >= 0; i-- {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
