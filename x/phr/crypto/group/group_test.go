package group

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	circl "github.com/cloudflare/circl/group"

	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

func mustScalar(t testing.TB, rnd io.Reader) *Scalar {
	t.Helper()
	s, err := RandomScalar(rnd)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// gtank arithmetic and circl arithmetic agree byte for byte.
func TestArithmeticMatchesCircl(t *testing.T) {
	rnd := testrand.New(1)
	C := circl.Ristretto255
	for i := 0; i < 50; i++ {
		s, u := mustScalar(t, rnd), mustScalar(t, rnd)
		P := new(Element).BaseMul(s)
		cP := C.NewElement().MulGen(s.CirclScalar())
		cb, _ := cP.MarshalBinary()
		if !bytes.Equal(P.Bytes(), cb) {
			t.Fatal("BaseMul differs from circl MulGen")
		}
		Q := new(Element).Mul(P, u)
		cQ := C.NewElement().Mul(cP, u.CirclScalar())
		cb, _ = cQ.MarshalBinary()
		if !bytes.Equal(Q.Bytes(), cb) {
			t.Fatal("Mul differs from circl Mul")
		}
		R := new(Element).Add(P, Q)
		cR := C.NewElement().Add(cP, cQ)
		cb, _ = cR.MarshalBinary()
		if !bytes.Equal(R.Bytes(), cb) {
			t.Fatal("Add differs")
		}
		prod := new(Scalar).Mul(s, u)
		cprod := C.NewScalar().Mul(s.CirclScalar(), u.CirclScalar())
		pb, _ := cprod.MarshalBinary()
		if !bytes.Equal(prod.Bytes(), pb) {
			t.Fatal("scalar Mul differs")
		}
		inv := new(Scalar).Inv(s)
		if !new(Scalar).Mul(inv, s).Equal(ScalarFromUint64(1)) {
			t.Fatal("Inv")
		}
		// variable-time helpers agree with constant-time ones
		msm := new(Element).VarTimeMSM([]*Scalar{s, u}, []*Element{P, Q})
		want := new(Element).Add(new(Element).Mul(P, s), new(Element).Mul(Q, u))
		if !msm.Equal(want) {
			t.Fatal("VarTimeMSM")
		}
		dbl := new(Element).VarTimeDoubleBaseMul(s, Q, u)
		want = new(Element).Add(new(Element).Mul(Q, s), new(Element).BaseMul(u))
		if !dbl.Equal(want) {
			t.Fatal("VarTimeDoubleBaseMul")
		}
	}
}

func TestH2SIsCirclHashToScalarOverFramedFields(t *testing.T) {
	fields := [][]byte{[]byte("medex-1"), {}, {1, 2, 3}}
	var msg []byte
	for _, f := range fields {
		msg = binary.BigEndian.AppendUint32(msg, uint32(len(f)))
		msg = append(msg, f...)
	}
	want, _ := circl.Ristretto255.HashToScalar(msg, []byte("medexchain/v1/test")).MarshalBinary()
	if got := H2S("test", fields...).Bytes(); !bytes.Equal(got, want) {
		t.Fatalf("H2S %x, want %x", got, want)
	}
	// framing makes field boundaries matter
	if H2S("t", []byte("ab"), []byte("c")).Equal(H2S("t", []byte("a"), []byte("bc"))) {
		t.Fatal("field boundaries ignored")
	}
	if H2S("t1", []byte("x")).Equal(H2S("t2", []byte("x"))) {
		t.Fatal("tags not separated")
	}
}

func TestDecodeElementStrict(t *testing.T) {
	rnd := testrand.New(2)
	P := new(Element).BaseMul(mustScalar(t, rnd))
	if Q, err := DecodeElement(P.Bytes()); err != nil || !Q.Equal(P) {
		t.Fatal("round trip", err)
	}
	identity := make([]byte, 32)
	if _, err := DecodeElement(identity); !errors.Is(err, ErrIdentity) {
		t.Fatalf("identity: %v", err)
	}
	// p = 2^255-19 encodes 0 non-canonically; s = 1 is "negative" (odd).
	p := append([]byte{0xed}, bytes.Repeat([]byte{0xff}, 30)...)
	p = append(p, 0x7f)
	one := append([]byte{1}, make([]byte, 31)...)
	top := append([]byte(nil), P.Bytes()...)
	top[31] |= 0x80
	for name, b := range map[string][]byte{"p": p, "negative": one, "top bit": top} {
		if _, err := DecodeElement(b); !errors.Is(err, ErrNonCanonical) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, n := range []int{0, 31, 33, 64} {
		if _, err := DecodeElement(make([]byte, n)); !errors.Is(err, ErrMalformed) {
			t.Fatalf("length %d: %v", n, err)
		}
	}
	if new(Element).BaseMul(new(Scalar)).IsIdentity() != true {
		t.Fatal("g^0 should be the identity")
	}
}

// Differential: our decoder accepts exactly what circl accepts, minus the
// identity, on random and structured inputs.
func TestDecodeElementAgreesWithCircl(t *testing.T) {
	rnd := testrand.New(3)
	buf := make([]byte, 32)
	for i := 0; i < 20000; i++ {
		readFull(t, rnd, buf)
		if i%4 == 1 {
			buf[31] &= 0x7f
			buf[0] &^= 1
		}
		if i%4 == 2 { // a valid point, one byte changed
			copy(buf, new(Element).BaseMul(mustScalar(t, rnd)).Bytes())
			buf[i%32] ^= byte(1 << (i % 8))
		}
		_, err := DecodeElement(buf)
		cerr := circl.Ristretto255.NewElement().UnmarshalBinary(buf)
		if (err == nil) != (cerr == nil) {
			t.Fatalf("%x: ours %v, circl %v", buf, err, cerr)
		}
	}
}

func TestDecodeScalarStrict(t *testing.T) {
	rnd := testrand.New(4)
	s := mustScalar(t, rnd)
	if u, err := DecodeScalar(s.Bytes()); err != nil || !u.Equal(s) {
		t.Fatal("round trip", err)
	}
	if _, err := DecodeScalar(make([]byte, 32)); !errors.Is(err, ErrZeroScalar) {
		t.Fatalf("zero: %v", err)
	}
	q := []byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}
	if _, err := DecodeScalar(q); !errors.Is(err, ErrNonCanonical) {
		t.Fatalf("q: %v", err)
	}
	qm1 := append([]byte(nil), q...)
	qm1[0]--
	if _, err := DecodeScalar(qm1); err != nil {
		t.Fatalf("q-1: %v", err)
	}
	if _, err := DecodeScalar(bytes.Repeat([]byte{0xff}, 32)); !errors.Is(err, ErrNonCanonical) {
		t.Fatal("2^256-1 accepted")
	}
	for _, n := range []int{0, 31, 33} {
		if _, err := DecodeScalar(make([]byte, n)); !errors.Is(err, ErrMalformed) {
			t.Fatalf("length %d: %v", n, err)
		}
	}
}

func TestRandomScalarUsesReader(t *testing.T) {
	a := mustScalar(t, testrand.New(9))
	b := mustScalar(t, testrand.New(9))
	c := mustScalar(t, testrand.New(10))
	if !a.Equal(b) || a.Equal(c) {
		t.Fatal("RandomScalar is not a function of its reader")
	}
	if _, err := RandomScalar(bytes.NewReader(make([]byte, 10))); err == nil {
		t.Fatal("short reader accepted")
	}
	// an all-zero reader yields zero, which is redrawn; with only zeros the
	// reader runs out and the call fails rather than returning zero.
	if _, err := RandomScalar(bytes.NewReader(make([]byte, 64*3))); err == nil {
		t.Fatal("zero scalar returned")
	}
	a.Erase()
	if !a.IsZero() {
		t.Fatal("Erase")
	}
}

func TestLess(t *testing.T) {
	a, b := ScalarFromUint64(5), ScalarFromUint64(300)
	if !a.Less(b) || b.Less(a) || a.Less(a) {
		t.Fatal("Less")
	}
}

func readFull(t *testing.T, r io.Reader, b []byte) {
	t.Helper()
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatal(err)
	}
}
