package crf_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// publishedSeed is a valid published record as the chain receives it:
// capsule 0 ‖ capsule 1 ‖ body.
func publishedSeed(t *testing.T) (published, deviceOutput []byte) {
	f := setup(t, 600)
	rec, err := crf.EdgeFirewall(f.vault.Public(), f.ct.Bytes(), f.meta, testrand.New(601))
	if err != nil {
		t.Fatal(err)
	}
	caps := rec.CapsuleBytes()
	return append(append(append([]byte(nil), caps[0]...), caps[1]...), rec.Body...), f.ct.Bytes()
}

// FuzzValidatePublished: the chain's check of a submitted record, on the
// first 128 bytes as the two capsules and the rest as the body: no panic;
// an accepted record has two non-identity capsules that re-encode to the
// input and a bucket-sized body.
func FuzzValidatePublished(f *testing.F) {
	pub, _ := publishedSeed(&testing.T{})
	for _, s := range [][]byte{pub, pub[:len(pub)-1], append(append([]byte(nil), pub...), 0), pub[:2*pre.CapsuleSize], nil} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) < 2*pre.CapsuleSize {
			if _, err := crf.ValidatePublished([][]byte{b}, nil); err == nil {
				t.Fatal("one short capsule accepted")
			}
			return
		}
		caps := [][]byte{b[:pre.CapsuleSize], b[pre.CapsuleSize : 2*pre.CapsuleSize]}
		out, err := crf.ValidatePublished(caps, b[2*pre.CapsuleSize:])
		if err != nil {
			if !errors.Is(err, crf.ErrRecord) {
				t.Fatalf("error %v does not wrap ErrRecord", err)
			}
			return
		}
		for i, c := range out {
			if c.E.IsIdentity() || c.F.IsIdentity() || !bytes.Equal(c.Bytes(), caps[i]) {
				t.Fatalf("capsule %d: identity or non-canonical capsule accepted", i)
			}
		}
	})
}

// FuzzEdgeFirewall: arbitrary device output: no panic; either refused with
// ErrDeviceOutput or published with exactly two capsules.
func FuzzEdgeFirewall(f *testing.F) {
	_, out := publishedSeed(&testing.T{})
	for _, s := range [][]byte{out, out[:65], {2}, nil} {
		f.Add(s)
	}
	fx := setup(&testing.T{}, 602)
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := crf.EdgeFirewall(fx.vault.Public(), b, fx.meta, testrand.New(603))
		if err != nil {
			if !errors.Is(err, crf.ErrDeviceOutput) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if _, err := crf.ValidatePublished(rec.CapsuleBytes(), rec.Body); err != nil {
			t.Fatal("firewall published an invalid record")
		}
	})
}
