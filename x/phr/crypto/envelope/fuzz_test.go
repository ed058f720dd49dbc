package envelope

import (
	"bytes"
	"crypto/ed25519"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

func fuzzKey() ed25519.PrivateKey {
	_, sk, _ := ed25519.GenerateKey(testrand.New(300))
	return sk
}

func envelopeSeeds() [][]byte {
	sk := fuzzKey()
	a, _ := Seal(testMeta(), []byte(`{"resourceType":"Observation"}`), sk)
	b, _ := Seal(testMeta(), bytes.Repeat([]byte{'x'}, 1500), sk)
	bad := append([]byte(nil), a...)
	bad[10] ^= 1
	return [][]byte{a, b, bad, make([]byte, 512), nil}
}

func metaSeeds() [][]byte {
	mb, _ := MarshalMeta(testMeta())
	return [][]byte{mb, mb[:10], append(append([]byte(nil), mb...), 0), nil}
}

// FuzzOpen: no panic on any input; the only error is ErrOpen; an accepted
// envelope is exactly what Seal produces for its contents (the signer is
// fixed, and Ed25519 is deterministic).
func FuzzOpen(f *testing.F) {
	for _, s := range envelopeSeeds() {
		f.Add(s)
	}
	sk := fuzzKey()
	pk := sk.Public().(ed25519.PublicKey)
	f.Fuzz(func(t *testing.T, raw []byte) {
		env, err := Open(raw, pk)
		if err != nil {
			if err != ErrOpen {
				t.Fatalf("error %v is not ErrOpen", err)
			}
			return
		}
		again, err := Seal(&env.Meta, env.Payload, sk)
		if err != nil || !bytes.Equal(again, raw) {
			t.Fatal("accepted envelope is not the canonical sealing of its contents")
		}
	})
}

// FuzzUnmarshalMeta: no panic; accepted meta re-encodes to the input.
func FuzzUnmarshalMeta(f *testing.F) {
	for _, s := range metaSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := UnmarshalMeta(b)
		if err != nil {
			return
		}
		enc, err := MarshalMeta(m)
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("non-canonical meta accepted: %x", b)
		}
	})
}
