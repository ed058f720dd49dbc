package pre_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// A fixed world for the fuzz targets (built once per process).
var fuzzWorld *world

func fw(tb testing.TB) *world {
	if fuzzWorld == nil {
		fuzzWorld = newWorld(tb, 500, 2, 3)
	}
	return fuzzWorld
}

type seedSet struct {
	capsule, ciphertext, grant, fragment, answer, firstLevel [][]byte
}

var cachedSeeds *seedSet

// fuzzSeeds builds the seeds once per process (the world's randomness
// advances, so they must not be rebuilt).
func fuzzSeeds(tb testing.TB) seedSet {
	if cachedSeeds == nil {
		s := buildSeeds(tb)
		cachedSeeds = &s
	}
	return *cachedSeeds
}

func buildSeeds(tb testing.TB) seedSet {
	w := fw(tb)
	ct, _ := w.encrypt(1, 300, 2)
	fls, err := w.reencrypt(ct, []int{0, 1}, 2)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := w.actx(0, 1, 1, len(ct.Capsules))
	a, err := w.fragment(0).Answer(ctx, es(ct), w.rnd)
	if err != nil {
		tb.Fatal(err)
	}
	z := make([]byte, 32)
	g := w.grant.Bytes()
	return seedSet{
		capsule:    [][]byte{ct.Capsules[0].Bytes(), append(z, ct.Capsules[0].Bytes()[32:]...), make([]byte, 63)},
		ciphertext: [][]byte{ct.Bytes(), ct.Bytes()[:100], {0}, {5}},
		grant:      [][]byte{g, g[:len(g)-1], append([]byte{1}, g[1:]...), {2, 2}},
		fragment:   [][]byte{w.grant.Fragments[0].Sealed, make([]byte, pre.SealedFragmentSize), {}},
		answer:     [][]byte{a.Bytes(), append(a.Bytes()[:96], z...), make([]byte, pre.AnswerSize(2)), a.Bytes()[32:]},
		firstLevel: [][]byte{fls[0].Bytes(), fls[1].Bytes(), make([]byte, 96)},
	}
}

func noIdentity(t *testing.T, es ...*group.Element) {
	for _, e := range es {
		if e == nil || e.IsIdentity() {
			t.Fatal("decoder returned the identity")
		}
	}
}

func FuzzDecodeCapsule(f *testing.F) {
	for _, s := range fuzzSeeds(f).capsule {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := pre.DecodeCapsule(b)
		if err == nil {
			noIdentity(t, c.E, c.F)
			if !bytes.Equal(c.Bytes(), b) {
				t.Fatal("non-canonical capsule")
			}
		}
	})
}

// FuzzDecodeCiphertext also runs owner decryption on what decodes: it must
// fail with ErrDecrypt (the fuzzer cannot forge the device signature), never
// panic.
func FuzzDecodeCiphertext(f *testing.F) {
	for _, s := range fuzzSeeds(f).ciphertext {
		f.Add(s)
	}
	w := fw(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		ct, err := pre.DecodeCiphertext(b)
		if err != nil {
			return
		}
		if !bytes.Equal(ct.Bytes(), b) {
			t.Fatal("non-canonical ciphertext")
		}
		for _, c := range ct.Capsules {
			noIdentity(t, c.E, c.F)
		}
		if env, err := pre.OpenOwner(w.vault, ct, w.device.Public().Key); err != pre.ErrDecrypt && !bytes.Equal(ct.Bytes(), seedCiphertext(t)) {
			t.Fatalf("forged ciphertext opened: %v %v", env, err)
		}
	})
}

func seedCiphertext(t *testing.T) []byte { return fuzzSeeds(t).ciphertext[0] }

// FuzzDecodeGrant: no panic; accepted grants are canonical, with
// non-identity X and commitments; the proxy refuses the fragment inside with
// ErrFragment unless it is the genuine one.
func FuzzDecodeGrant(f *testing.F) {
	for _, s := range fuzzSeeds(f).grant {
		f.Add(s)
	}
	w := fw(f)
	genuine := w.grant.Bytes()
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := pre.DecodeGrant(b)
		if err != nil {
			return
		}
		if !bytes.Equal(g.Bytes(), b) {
			t.Fatal("non-canonical grant")
		}
		noIdentity(t, append([]*group.Element{g.X}, g.Commitments...)...)
		if g.Threshold < 2 || g.Threshold > len(g.Fragments) {
			t.Fatal("threshold out of range")
		}
		_, err = pre.OpenFragment(w.psks[0], chainID, w.gctx.GrantID, proxyAddr(0), g)
		if err != nil && !errors.Is(err, pre.ErrFragment) {
			t.Fatalf("unexpected error %v", err)
		}
		if err == nil && !bytes.Equal(b, genuine) {
			// Only possible if the fuzzer reproduced the sealed fragment and
			// commitments consistent with it; accept only the genuine ones.
			if !g.Commitments[0].Equal(w.grant.Commitments[0]) {
				t.Fatal("a forged fragment was accepted")
			}
		}
	})
}

// FuzzOpenFragment: arbitrary sealed fragment bytes in the genuine grant:
// no panic, and ErrFragment unless they are the genuine sealed fragment.
func FuzzOpenFragment(f *testing.F) {
	for _, s := range fuzzSeeds(f).fragment {
		f.Add(s)
	}
	w := fw(f)
	f.Fuzz(func(t *testing.T, sealed []byte) {
		g := *w.grant
		g.Fragments = append([]pre.SealedFragment(nil), w.grant.Fragments...)
		g.Fragments[0].Sealed = sealed
		_, err := pre.OpenFragment(w.psks[0], chainID, w.gctx.GrantID, proxyAddr(0), &g)
		if err == nil && !bytes.Equal(sealed, w.grant.Fragments[0].Sealed) {
			t.Fatal("forged fragment accepted")
		}
		if err != nil && !errors.Is(err, pre.ErrFragment) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// FuzzDecodeAnswer: no panic; canonical; verification of a decoded answer
// never panics and only the genuine answer verifies.
func FuzzDecodeAnswer(f *testing.F) {
	seeds := fuzzSeeds(f)
	for _, s := range seeds.answer {
		f.Add(s)
	}
	w := fw(f)
	vk, ctx := w.vk(0), w.actx(0, 1, 1, 2)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := pre.DecodeAnswer(b, 2)
		if err != nil {
			return
		}
		noIdentity(t, a.Ei...)
		if a.C.IsZero() || a.S.IsZero() || !bytes.Equal(a.Bytes(), b) {
			t.Fatal("non-canonical answer or zero scalar")
		}
		E := []*group.Element{group.Generator(), group.Generator()}
		if pre.VerifyAnswer(vk, ctx, E, a) == nil {
			t.Fatal("fuzzed answer verified for an unrelated capsule")
		}
	})
}

func FuzzDecodeFirstLevel(f *testing.F) {
	for _, s := range fuzzSeeds(f).firstLevel {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fl, err := pre.DecodeFirstLevel(b)
		if err == nil {
			noIdentity(t, fl.EPrime, fl.F, fl.X)
			if !bytes.Equal(fl.Bytes(), b) {
				t.Fatal("non-canonical first-level capsule")
			}
		}
	})
}
