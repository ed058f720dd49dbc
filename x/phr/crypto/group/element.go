package group

import (
	ed "filippo.io/edwards25519"
)

// Element is a ristretto255 group element. Use the constructors (the zero
// value of the struct is not a valid element). Methods set and return the
// receiver.
type Element struct{ p ed.Point }

// NewElement returns the identity.
func NewElement() *Element { e := new(Element); e.p.Set(ed.NewIdentityPoint()); return e }

// Generator returns a fresh copy of the generator g (the Ed25519 base
// point, whose ristretto255 encoding is RFC 9496's generator).
func Generator() *Element { e := new(Element); e.p.Set(ed.NewGeneratorPoint()); return e }

// DecodeElement decodes a canonical 32-byte ristretto255 encoding (RFC 9496
// §4.3.1) and refuses the identity.
func DecodeElement(b []byte) (*Element, error) {
	if len(b) != ElementSize {
		return nil, ErrMalformed
	}
	e := new(Element)
	if err := ristrettoDecode(&e.p, b); err != nil {
		return nil, ErrNonCanonical
	}
	if e.IsIdentity() {
		return nil, ErrIdentity
	}
	return e, nil
}

// Bytes is the canonical 32-byte encoding.
func (e *Element) Bytes() []byte { return ristrettoEncode(&e.p, make([]byte, 0, ElementSize)) }

// Set sets e = x.
func (e *Element) Set(x *Element) *Element { e.p.Set(&x.p); return e }

// Copy returns a new element equal to e.
func (e *Element) Copy() *Element { return new(Element).Set(e) }

var identity = NewElement()

// IsIdentity reports whether e is the identity.
func (e *Element) IsIdentity() bool { return ristrettoEqual(&e.p, &identity.p) == 1 }

// Equal reports e == x in the group (ristretto equality, not Edwards
// equality: the four Edwards representatives of one element are equal).
func (e *Element) Equal(x *Element) bool { return ristrettoEqual(&e.p, &x.p) == 1 }

// Add sets e = x·y (the group operation; written additively by the
// libraries).
func (e *Element) Add(x, y *Element) *Element { e.p.Add(&x.p, &y.p); return e }

// Sub sets e = x / y.
func (e *Element) Sub(x, y *Element) *Element { e.p.Subtract(&x.p, &y.p); return e }

// BaseMul sets e = g^s (constant time, precomputed table).
func (e *Element) BaseMul(s *Scalar) *Element { e.p.ScalarBaseMult(&s.s); return e }

// Mul sets e = x^s (constant time).
func (e *Element) Mul(x *Element, s *Scalar) *Element { e.p.ScalarMult(&s.s, &x.p); return e }

// VarTimeMSM sets e = Π points[i]^scalars[i] in variable time. Only for
// public inputs (verification, Lagrange combination of public answers,
// Feldman checks of public commitments). Panics on mismatched lengths.
func (e *Element) VarTimeMSM(scalars []*Scalar, points []*Element) *Element {
	if len(scalars) != len(points) {
		panic("group: VarTimeMSM length mismatch")
	}
	ss := make([]*ed.Scalar, len(scalars))
	ps := make([]*ed.Point, len(points))
	for i := range scalars {
		ss[i] = &scalars[i].s
		ps[i] = &points[i].p
	}
	e.p.VarTimeMultiScalarMult(ss, ps)
	return e
}

// VarTimeDoubleBaseMul sets e = x^a · g^b in variable time (public inputs
// only).
func (e *Element) VarTimeDoubleBaseMul(a *Scalar, x *Element, b *Scalar) *Element {
	e.p.VarTimeDoubleScalarBaseMult(&a.s, &x.p, &b.s)
	return e
}

// Erase overwrites e with the identity (for secret elements such as B^x
// and A^r).
func (e *Element) Erase() {
	if e != nil {
		e.p.Set(&identity.p)
	}
}
