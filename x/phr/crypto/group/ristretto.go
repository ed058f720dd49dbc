package group

import (
	"errors"
	"math/big"

	ed "filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

// The ristretto255 encoding layer of RFC 9496 (§4.3) over
// filippo.io/edwards25519, which provides the curve and field arithmetic
// (the same code as Go's crypto/ed25519, with assembly field
// multiplication on amd64) but not the ristretto quotient. Tests check it
// against circl and gtank/ristretto255 (two independent RFC 9496
// implementations) byte for byte, on valid and invalid encodings.

var (
	sqrtM1         = fieldFromDecimal("19681161376707505956807079304988542015446066515923890162744021073123829784752")
	invSqrtAMinusD = fieldFromDecimal("54469307008909316920995813868745141605393597292927456921205312896311721017578")
	edwardsD       = fieldFromDecimal("37095705934669439343138083508754565189542113879843219016388785533085940283555")
	feOne          = new(field.Element).One()
	errBadEncoding = errors.New("invalid ristretto255 encoding")
)

func fieldFromDecimal(s string) *field.Element {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("group: bad constant")
	}
	var le [32]byte
	b := n.Bytes() // big-endian
	for i := range b {
		le[i] = b[len(b)-1-i]
	}
	fe, err := new(field.Element).SetBytes(le[:])
	if err != nil {
		panic("group: bad constant")
	}
	return fe
}

// ristrettoDecode implements RFC 9496 §4.3.1.
func ristrettoDecode(p *ed.Point, in []byte) error {
	if len(in) != 32 {
		return errBadEncoding
	}
	s, err := new(field.Element).SetBytes(in)
	if err != nil {
		return errBadEncoding
	}
	// Canonical: SetBytes ignores the top bit and accepts values ≥ p, so
	// re-encode and compare. Then IS_NEGATIVE(s) must be false.
	if string(s.Bytes()) != string(in) || s.IsNegative() == 1 {
		return errBadEncoding
	}
	ss := new(field.Element).Square(s)
	u1 := new(field.Element).Subtract(feOne, ss)
	u2 := new(field.Element).Add(feOne, ss)
	u2sq := new(field.Element).Square(u2)
	// v = -(D * u1^2) - u2_sqr
	v := new(field.Element).Square(u1)
	v.Multiply(v, edwardsD).Negate(v).Subtract(v, u2sq)
	invsqrt, wasSquare := new(field.Element).SqrtRatio(feOne, new(field.Element).Multiply(v, u2sq))
	denX := new(field.Element).Multiply(invsqrt, u2)
	denY := new(field.Element).Multiply(invsqrt, denX)
	denY.Multiply(denY, v)
	x := new(field.Element).Add(s, s)
	x.Multiply(x, denX).Absolute(x)
	y := new(field.Element).Multiply(u1, denY)
	t := new(field.Element).Multiply(x, y)
	if wasSquare == 0 || t.IsNegative() == 1 || y.Equal(new(field.Element).Zero()) == 1 {
		return errBadEncoding
	}
	if _, err := p.SetExtendedCoordinates(x, y, feOne, t); err != nil {
		return errBadEncoding
	}
	return nil
}

// ristrettoEncode implements RFC 9496 §4.3.2.
func ristrettoEncode(p *ed.Point, out []byte) []byte {
	x0, y0, z0, t0 := p.ExtendedCoordinates()
	u1 := new(field.Element).Add(z0, y0)
	u1.Multiply(u1, new(field.Element).Subtract(z0, y0))
	u2 := new(field.Element).Multiply(x0, y0)
	// (_, invsqrt) = SQRT_RATIO_M1(1, u1 * u2^2)
	tmp := new(field.Element).Square(u2)
	tmp.Multiply(tmp, u1)
	invsqrt, _ := new(field.Element).SqrtRatio(feOne, tmp)
	den1 := new(field.Element).Multiply(invsqrt, u1)
	den2 := new(field.Element).Multiply(invsqrt, u2)
	zInv := new(field.Element).Multiply(den1, den2)
	zInv.Multiply(zInv, t0)
	ix0 := new(field.Element).Multiply(x0, sqrtM1)
	iy0 := new(field.Element).Multiply(y0, sqrtM1)
	enchanted := new(field.Element).Multiply(den1, invSqrtAMinusD)
	rotate := new(field.Element).Multiply(t0, zInv).IsNegative()
	x := new(field.Element).Select(iy0, x0, rotate)
	y := new(field.Element).Select(ix0, y0, rotate)
	denInv := new(field.Element).Select(enchanted, den2, rotate)
	negY := new(field.Element).Negate(y)
	y.Select(negY, y, new(field.Element).Multiply(x, zInv).IsNegative())
	s := new(field.Element).Subtract(z0, y)
	s.Multiply(s, denInv).Absolute(s)
	return append(out, s.Bytes()...)
}

// ristrettoEqual implements RFC 9496 §4.3.3: x1·y2 == y1·x2 or
// y1·y2 == x1·x2 (constant time).
func ristrettoEqual(p, q *ed.Point) int {
	x1, y1, _, _ := p.ExtendedCoordinates()
	x2, y2, _, _ := q.ExtendedCoordinates()
	a := new(field.Element).Multiply(x1, y2)
	b := new(field.Element).Multiply(y1, x2)
	c := new(field.Element).Multiply(y1, y2)
	d := new(field.Element).Multiply(x1, x2)
	return a.Equal(b) | c.Equal(d)
}
