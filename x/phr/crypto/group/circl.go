package group

import (
	circl "github.com/cloudflare/circl/group"
)

// Conversions to circl's types, for circl/zk/dleq. They go through the
// canonical encodings, which both libraries share (RFC 9496).

// CirclScalar returns s as a circl ristretto255 scalar.
func (s *Scalar) CirclScalar() circl.Scalar {
	c := circl.Ristretto255.NewScalar()
	b := s.Bytes()
	defer clear(b)
	if err := c.UnmarshalBinary(b); err != nil {
		panic("medexchain/crypto: circl rejected a canonical scalar")
	}
	return c
}

// CirclElement returns e as a circl ristretto255 element.
func (e *Element) CirclElement() circl.Element {
	c := circl.Ristretto255.NewElement()
	if err := c.UnmarshalBinary(e.Bytes()); err != nil {
		panic("medexchain/crypto: circl rejected a canonical element")
	}
	return c
}

// ScalarFromCircl converts a circl ristretto255 scalar (zero allowed: the
// caller decides).
func ScalarFromCircl(c circl.Scalar) (*Scalar, error) {
	b, err := c.MarshalBinary()
	if err != nil {
		return nil, ErrMalformed
	}
	s := new(Scalar)
	if err := s.setCanonical(b); err != nil {
		return nil, err
	}
	return s, nil
}
