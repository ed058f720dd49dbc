package keys

import (
	"bytes"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

func secretSeeds() [][]byte {
	rnd := testrand.New(200)
	v, _ := GenerateVaultKey(3, rnd)
	r, _ := GenerateRequesterKey(rnd)
	p, _ := GenerateProxyKey(rnd)
	d, _ := GenerateDeviceKey(rnd)
	var out [][]byte
	for _, k := range []interface{ MarshalBinary() ([]byte, error) }{v, r, p, d} {
		b, _ := k.MarshalBinary()
		out = append(out, b)
	}
	return append(out, append([]byte{1}, make([]byte, 40)...), []byte{9}, nil)
}

func publicSeeds() [][]byte {
	rnd := testrand.New(201)
	v, _ := GenerateVaultKey(3, rnd)
	p, _ := GenerateProxyKey(rnd)
	d, _ := GenerateDeviceKey(rnd)
	return [][]byte{v.Public().Bytes(), p.Public().Bytes(), d.Public().Bytes(), make([]byte, 32),
		append([]byte{1}, make([]byte, 31)...), bytes.Repeat([]byte{0xff}, 32)}
}

// FuzzSecretKey: every secret-key decoder on any input: no panic, and what
// is accepted re-encodes to the input (with a non-zero secret).
func FuzzSecretKey(f *testing.F) {
	for _, s := range secretSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(k interface{ MarshalBinary() ([]byte, error) }, err error) {
			if err != nil {
				return
			}
			enc, _ := k.MarshalBinary()
			if !bytes.Equal(enc, b) {
				t.Fatalf("non-canonical secret key accepted: %x", b)
			}
		}
		v, err := UnmarshalVaultSecret(b)
		if err == nil && v.Scalar().IsZero() {
			t.Fatal("zero vault secret")
		}
		check(v, err)
		r, err := UnmarshalRequesterSecret(b)
		if err == nil && r.Scalar().IsZero() {
			t.Fatal("zero requester secret")
		}
		check(r, err)
		p, err := UnmarshalProxySecret(b)
		check(p, err)
		d, err := UnmarshalDeviceSecret(b)
		check(d, err)
	})
}

// FuzzPublicKey: every public-key decoder: no panic, accepted keys are
// canonical (ristretto keys never the identity).
func FuzzPublicKey(f *testing.F) {
	for _, s := range publicSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if v, err := DecodeVaultPublicKey(b); err == nil && (v.A.IsIdentity() || !bytes.Equal(v.Bytes(), b)) {
			t.Fatal("vault key")
		}
		if r, err := DecodeRequesterPublicKey(b); err == nil && (r.B.IsIdentity() || !bytes.Equal(r.Bytes(), b)) {
			t.Fatal("requester key")
		}
		if p, err := DecodeProxyPublicKey(b); err == nil && !bytes.Equal(p.Bytes(), b) {
			t.Fatal("proxy key")
		}
		if d, err := DecodeDevicePublicKey(b); err == nil && !bytes.Equal(d.Bytes(), b) {
			t.Fatal("device key")
		}
	})
}
