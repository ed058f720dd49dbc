package crf_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/fuzzcorpus"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

func recordSeeds(t testing.TB) ([][]byte, [][]byte) {
	f := setup(t.(*testing.T), 600)
	rec, err := crf.EdgeFirewall(f.vault.Public(), f.ct.Bytes(), f.meta, testrand.New(601))
	if err != nil {
		t.Fatal(err)
	}
	rb := rec.Bytes()
	return [][]byte{rb, rb[:len(rb)-1], append(append([]byte(nil), rb...), 0), nil},
		[][]byte{f.ct.Bytes(), f.ct.Bytes()[:65], {2}, nil}
}

// FuzzDecodeRecord: no panic; an accepted record is canonical, has exactly
// two non-identity capsules and a bucket-sized body.
func FuzzDecodeRecord(f *testing.F) {
	recs, _ := recordSeeds(&testing.T{})
	for _, s := range recs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := crf.DecodeRecord(b)
		if err != nil {
			return
		}
		if !bytes.Equal(rec.Bytes(), b) {
			t.Fatal("non-canonical record")
		}
		for _, c := range rec.Capsules {
			if c.E.IsIdentity() || c.F.IsIdentity() {
				t.Fatal("identity capsule")
			}
		}
		if _, err := crf.ValidatePublished(rec.CapsuleBytes(), rec.Body); err != nil {
			t.Fatal("decoded record fails validation")
		}
	})
}

// FuzzEdgeFirewall: arbitrary device output: no panic; either refused with
// ErrDeviceOutput or published with exactly two capsules.
func FuzzEdgeFirewall(f *testing.F) {
	_, outs := recordSeeds(&testing.T{})
	for _, s := range outs {
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

func TestWriteFuzzCorpus(t *testing.T) {
	if !fuzzcorpus.Enabled() {
		t.Skip("set MEDEX_WRITE_FUZZ_CORPUS=1 to regenerate testdata/fuzz")
	}
	recs, outs := recordSeeds(t)
	fuzzcorpus.Write(t, "FuzzDecodeRecord", recs)
	fuzzcorpus.Write(t, "FuzzEdgeFirewall", outs)
}
