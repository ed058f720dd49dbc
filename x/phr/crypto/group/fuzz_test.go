package group

import (
	"bytes"
	"testing"

	circl "github.com/cloudflare/circl/group"

	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

func elementSeeds() [][]byte {
	rnd := testrand.New(100)
	s, _ := RandomScalar(rnd)
	p := append([]byte{0xed}, bytes.Repeat([]byte{0xff}, 30)...)
	return [][]byte{Generator().Bytes(), new(Element).BaseMul(s).Bytes(), make([]byte, 32),
		append(p, 0x7f), append([]byte{1}, make([]byte, 31)...), {}, make([]byte, 33)}
}

func scalarSeeds() [][]byte {
	rnd := testrand.New(101)
	s, _ := RandomScalar(rnd)
	return [][]byte{s.Bytes(), make([]byte, 32), bytes.Repeat([]byte{0xff}, 32), ScalarFromUint64(1).Bytes(), {1}}
}

// FuzzDecodeElement: no panic; accepted encodings are canonical (re-encode
// to the input), never the identity, and exactly those circl accepts minus
// the identity.
func FuzzDecodeElement(f *testing.F) {
	for _, s := range elementSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeElement(b)
		cerr := circl.Ristretto255.NewElement().UnmarshalBinary(b)
		if err == nil {
			if e.IsIdentity() || !bytes.Equal(e.Bytes(), b) || cerr != nil {
				t.Fatalf("accepted bad encoding %x", b)
			}
		} else if cerr == nil && len(b) == 32 && !bytes.Equal(b, make([]byte, 32)) {
			t.Fatalf("refused %x that circl accepts: %v", b, err)
		}
	})
}

// FuzzDecodeScalar: no panic; accepted scalars are canonical and non-zero.
func FuzzDecodeScalar(f *testing.F) {
	for _, s := range scalarSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeScalar(b)
		if err == nil && (s.IsZero() || !bytes.Equal(s.Bytes(), b)) {
			t.Fatalf("accepted bad scalar %x", b)
		}
	})
}
