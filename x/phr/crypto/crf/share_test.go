package crf_test

import (
	"bytes"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// The share seed binds the header hash, the path, the sequence and the
// capsule index, with H2S framing; the rerandomization is capsule by
// capsule pre's FirstLevel.Rerandomize with that seed, deterministic.
// (That the result still decrypts is pre's test and the keeper's inbox
// test, which need a grant and proxies' answers.)
func TestChainRerandomizeShare(t *testing.T) {
	rnd := testrand.New(20)
	el := func() *group.Element {
		s, err := group.RandomScalar(rnd)
		if err != nil {
			t.Fatal(err)
		}
		return new(group.Element).BaseMul(s)
	}
	C0, A, X := el(), el(), el()
	var fls [crf.NumCapsules]*pre.FirstLevel
	for i := range fls {
		fls[i] = &pre.FirstLevel{EPrime: el(), F: el(), X: X}
	}
	hh := bytes.Repeat([]byte{7}, 32)
	want := group.H2S("ibc-rerand", hh, []byte("channel-0"), group.U64(5), group.U32(1))
	if !crf.ShareRerandScalar(hh, "channel-0", 5, 1).Equal(want) {
		t.Fatal("seed derivation")
	}
	seeds := []*group.Scalar{
		crf.ShareRerandScalar(hh, "channel-0", 5, 0), crf.ShareRerandScalar(hh, "channel-1", 5, 0),
		crf.ShareRerandScalar(hh, "channel-0", 6, 0), crf.ShareRerandScalar(bytes.Repeat([]byte{8}, 32), "channel-0", 5, 0),
	}
	for i := range seeds {
		for j := 0; j < i; j++ {
			if seeds[i].Equal(seeds[j]) {
				t.Fatalf("seeds %d and %d collide", i, j)
			}
		}
	}
	a := crf.ChainRerandomizeShare(C0, A, fls, hh, "channel-0", 5)
	b := crf.ChainRerandomizeShare(C0, A, fls, hh, "channel-0", 5)
	for i := range a {
		if !bytes.Equal(a[i].Bytes(), b[i].Bytes()) {
			t.Fatal("same seed, different output")
		}
		if !bytes.Equal(a[i].Bytes(), fls[i].Rerandomize(C0, A, crf.ShareRerandScalar(hh, "channel-0", 5, uint32(i))).Bytes()) {
			t.Fatalf("capsule %d: not FirstLevel.Rerandomize with its seed", i)
		}
		if bytes.Equal(a[i].Bytes(), fls[i].Bytes()) {
			t.Fatalf("capsule %d unchanged", i)
		}
	}
}
