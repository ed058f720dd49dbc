package group

import (
	"bytes"
	"testing"

	ed "filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
	r255 "github.com/gtank/ristretto255"

	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

// The first multiples of the generator encode as gtank's independent
// implementation encodes them (the RFC 9496 literals are in
// rfc9496_test.go).
func TestGeneratorMultiplesMatchGtank(t *testing.T) {
	acc := NewElement()
	gacc := r255.NewElement()
	gb := r255.NewElement().Base()
	for i := 0; i < 16; i++ {
		want := gacc.Encode(nil)
		if got := acc.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("%d·g: %x, want %x", i, got, want)
		}
		if i > 0 {
			if d, err := DecodeElement(want); err != nil || !d.Equal(acc) {
				t.Fatalf("%d·g does not decode: %v", i, err)
			}
		}
		acc.Add(acc, Generator())
		gacc.Add(gacc, gb)
	}
	if hexG := "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"; bytesHex(Generator().Bytes()) != hexG {
		t.Fatal("generator encoding differs from RFC 9496")
	}
}

func bytesHex(b []byte) string {
	const h = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, h[c>>4], h[c&15])
	}
	return string(out)
}

// Random elements and scalars: our encodings and arithmetic agree with
// gtank/ristretto255.
func TestArithmeticMatchesGtank(t *testing.T) {
	rnd := testrand.New(11)
	var u [64]byte
	for i := 0; i < 200; i++ {
		readFull(t, rnd, u[:])
		s := new(Scalar)
		if _, err := s.s.SetUniformBytes(u[:]); err != nil {
			t.Fatal(err)
		}
		gs := r255.NewScalar().FromUniformBytes(u[:])
		if !bytes.Equal(s.Bytes(), gs.Encode(nil)) {
			t.Fatal("uniform scalar reduction differs")
		}
		P := new(Element).BaseMul(s)
		gP := r255.NewElement().ScalarBaseMult(gs)
		if !bytes.Equal(P.Bytes(), gP.Encode(nil)) {
			t.Fatal("base multiplication encodes differently")
		}
		Q := new(Element).Mul(P, s)
		gQ := r255.NewElement().ScalarMult(gs, gP)
		if !bytes.Equal(Q.Bytes(), gQ.Encode(nil)) {
			t.Fatal("multiplication encodes differently")
		}
		// hash-to-group points exercise encodings far from the generator's
		// multiples of small scalars
		h := r255.NewElement().FromUniformBytes(u[:])
		hb := h.Encode(nil)
		H, err := DecodeElement(hb)
		if err != nil || !bytes.Equal(H.Bytes(), hb) {
			t.Fatal("decode/encode round trip of a gtank point")
		}
		sum := new(Element).Add(H, Q)
		gsum := r255.NewElement().Add(h, gQ)
		if !bytes.Equal(sum.Bytes(), gsum.Encode(nil)) {
			t.Fatal("addition encodes differently")
		}
	}
}

// Every Edwards representative of a ristretto element (P plus a
// 4-torsion point) encodes identically and compares equal.
func TestTorsionRepresentativesEncodeAlike(t *testing.T) {
	rnd := testrand.New(12)
	// T4 = (sqrt(-1), 0) of order 4; T2 = (0, -1) of order 2.
	zero, one := new(field.Element).Zero(), new(field.Element).One()
	minusOne := new(field.Element).Negate(one)
	t4, err := new(ed.Point).SetExtendedCoordinates(sqrtM1, zero, one, zero)
	if err != nil {
		t.Fatal(err)
	}
	t2, err := new(ed.Point).SetExtendedCoordinates(zero, minusOne, one, zero)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 50; i++ {
		s, _ := RandomScalar(rnd)
		P := new(Element).BaseMul(s)
		for _, tor := range []*ed.Point{t4, t2, new(ed.Point).Add(t4, t2)} {
			Q := new(Element)
			Q.p.Add(&P.p, tor)
			if Q.p.Equal(&P.p) == 1 {
				t.Fatal("torsion did not change the Edwards point")
			}
			if !Q.Equal(P) || !bytes.Equal(Q.Bytes(), P.Bytes()) {
				t.Fatal("representatives differ in the quotient")
			}
		}
	}
	// the torsion points themselves are the identity of ristretto255
	for _, tor := range []*ed.Point{t4, t2} {
		e := new(Element)
		e.p.Set(tor)
		if !e.IsIdentity() || !bytes.Equal(e.Bytes(), make([]byte, 32)) {
			t.Fatal("torsion point is not the ristretto identity")
		}
	}
}

// Decoding acceptance agrees with gtank on random, near-valid and
// structured inputs (and with circl, in group_test.go).
func TestDecodeAgreesWithGtank(t *testing.T) {
	rnd := testrand.New(13)
	buf := make([]byte, 32)
	var u [64]byte
	for i := 0; i < 20000; i++ {
		switch i % 3 {
		case 0:
			readFull(t, rnd, buf)
		case 1:
			readFull(t, rnd, buf)
			buf[31] &= 0x7f
			buf[0] &^= 1
		case 2:
			readFull(t, rnd, u[:])
			copy(buf, r255.NewElement().FromUniformBytes(u[:]).Encode(nil))
			buf[(i/3)%32] ^= byte(1 << ((i / 3) % 8))
		}
		_, err := DecodeElement(buf)
		gerr := r255.NewElement().Decode(buf)
		isIdentity := bytes.Equal(buf, make([]byte, 32))
		if (err == nil) != (gerr == nil && !isIdentity) {
			t.Fatalf("%x: ours %v, gtank %v", buf, err, gerr)
		}
	}
}
