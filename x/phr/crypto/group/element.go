package group

import (
	r255 "github.com/gtank/ristretto255"
)

// Element is a ristretto255 group element. Use the constructors (the zero
// value of the struct is not a valid element). Methods set and return the
// receiver.
type Element struct{ e r255.Element }

var generator = func() *Element { e := new(Element); e.e.Base(); return e }()

// NewElement returns the identity.
func NewElement() *Element { e := new(Element); e.e.Zero(); return e }

// Generator returns a fresh copy of the generator g.
func Generator() *Element { return new(Element).Set(generator) }

// DecodeElement decodes a canonical 32-byte ristretto255 encoding (RFC 9496
// §4.3.1) and refuses the identity.
func DecodeElement(b []byte) (*Element, error) {
	if len(b) != ElementSize {
		return nil, ErrMalformed
	}
	e := new(Element)
	if err := e.e.Decode(b); err != nil {
		return nil, ErrNonCanonical
	}
	if e.IsIdentity() {
		return nil, ErrIdentity
	}
	return e, nil
}

// Bytes is the canonical 32-byte encoding.
func (e *Element) Bytes() []byte { return e.e.Encode(make([]byte, 0, ElementSize)) }

// Set sets e = x.
func (e *Element) Set(x *Element) *Element { e.e = x.e; return e }

// Copy returns a new element equal to e.
func (e *Element) Copy() *Element { return new(Element).Set(e) }

// IsIdentity reports whether e is the identity.
func (e *Element) IsIdentity() bool { return e.e.Equal(r255.NewElement()) == 1 }

// Equal reports e == x (in the group, not as representations).
func (e *Element) Equal(x *Element) bool { return e.e.Equal(&x.e) == 1 }

// Add sets e = x·y (written additively by the library: x + y).
func (e *Element) Add(x, y *Element) *Element { e.e.Add(&x.e, &y.e); return e }

// Sub sets e = x / y.
func (e *Element) Sub(x, y *Element) *Element { e.e.Subtract(&x.e, &y.e); return e }

// BaseMul sets e = g^s (constant time, precomputed table).
func (e *Element) BaseMul(s *Scalar) *Element { e.e.ScalarBaseMult(&s.s); return e }

// Mul sets e = x^s (constant time).
func (e *Element) Mul(x *Element, s *Scalar) *Element { e.e.ScalarMult(&s.s, &x.e); return e }

// VarTimeMSM sets e = Π points[i]^scalars[i] in variable time. Only for
// public inputs (verification, Lagrange combination of public answers,
// Feldman checks of public commitments). Panics on mismatched lengths.
func (e *Element) VarTimeMSM(scalars []*Scalar, points []*Element) *Element {
	ss := make([]*r255.Scalar, len(scalars))
	ps := make([]*r255.Element, len(points))
	for i := range scalars {
		ss[i] = &scalars[i].s
	}
	for i := range points {
		ps[i] = &points[i].e
	}
	e.e.VarTimeMultiScalarMult(ss, ps)
	return e
}

// VarTimeDoubleBaseMul sets e = x^a · g^b in variable time (public inputs
// only).
func (e *Element) VarTimeDoubleBaseMul(a *Scalar, x *Element, b *Scalar) *Element {
	e.e.VarTimeDoubleScalarBaseMult(&a.s, &x.e, &b.s)
	return e
}

// Erase overwrites e with the identity (for secret elements such as B^x
// and A^r).
func (e *Element) Erase() {
	if e != nil {
		e.e.Zero()
	}
}
