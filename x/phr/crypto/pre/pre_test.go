package pre_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// Correctness for random t ≤ n ≤ 7 and 1–3 layers.
func TestCorrectnessRandomThresholdsAndLayers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 12; trial++ {
		n := 2 + r.IntN(6) // 2..7
		th := 2 + r.IntN(n-1)
		layers := 1 + trial%3
		w := newWorld(t, uint64(trial), th, n)
		ct, payload := w.encrypt(uint64(trial), 100+r.IntN(3000), layers)
		ct = must[*pre.Ciphertext](t)(pre.DecodeCiphertext(ct.Bytes()))

		env, err := pre.OpenOwner(w.vault, ct, w.device.Public().Key)
		if err != nil || !bytes.Equal(env.Payload, payload) {
			t.Fatalf("t=%d n=%d layers=%d: owner: %v", th, n, layers, err)
		}
		// any t proxies, and more than t
		for _, k := range []int{th, n} {
			fls, err := w.reencrypt(ct, subset(r, n, k), th)
			if err != nil {
				t.Fatalf("t=%d n=%d: reencrypt: %v", th, n, err)
			}
			for i, fl := range fls { // first-level capsules survive encoding
				fls[i] = must[*pre.FirstLevel](t)(pre.DecodeFirstLevel(fl.Bytes()))
			}
			env, err := w.grantKey().Open(fls, ct.Body, w.device.Public().Key)
			if err != nil || !bytes.Equal(env.Payload, payload) || env.Meta.Sequence != uint64(trial) {
				t.Fatalf("t=%d n=%d k=%d layers=%d: requester: %v", th, n, k, layers, err)
			}
		}
	}
}

// Threshold: t−1 answers do not decrypt; t do.
func TestThresholdTMinusOneFails(t *testing.T) {
	for _, tn := range [][2]int{{2, 3}, {3, 4}, {5, 7}} {
		th, n := tn[0], tn[1]
		w := newWorld(t, uint64(10*th+n), th, n)
		ct, payload := w.encrypt(1, 300, 2)
		gk := w.grantKey()
		// Combine refuses fewer than t answers.
		if _, err := w.reencrypt(ct, subset(rand.New(rand.NewPCG(3, 4)), n, th-1), th); !errors.Is(err, pre.ErrCombine) {
			t.Fatalf("t-1 answers combined: %v", err)
		}
		// Interpolating t−1 answers as if the threshold were t−1 (or using
		// a lone answer when t−1 = 1) gives a wrong E': no plaintext.
		if th-1 >= 2 {
			fls, err := w.reencrypt(ct, subset(rand.New(rand.NewPCG(5, 6)), n, th-1), th-1)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := gk.Open(fls, ct.Body, w.device.Public().Key); err != pre.ErrDecrypt {
				t.Fatalf("t-1 interpolation decrypted: %v", err)
			}
		} else {
			var fls []*pre.FirstLevel
			a := must[*pre.Answer](t)(w.fragment(0).Answer(w.actx(0, 1, 1, len(ct.Capsules)), es(ct), w.rnd))
			for j, c := range ct.Capsules {
				fls = append(fls, pre.NewFirstLevel(c, a.Ei[j], w.grant.X))
			}
			if _, err := gk.Open(fls, ct.Body, w.device.Public().Key); err != pre.ErrDecrypt {
				t.Fatalf("single answer decrypted: %v", err)
			}
		}
		fls, err := w.reencrypt(ct, subset(rand.New(rand.NewPCG(7, 8)), n, th), th)
		if err != nil {
			t.Fatal(err)
		}
		env, err := gk.Open(fls, ct.Body, w.device.Public().Key)
		if err != nil || !bytes.Equal(env.Payload, payload) {
			t.Fatalf("t answers: %v", err)
		}
		// Combined E' = E^{a/d}: without d (another requester) no plaintext.
		other := newWorld(t, 999, 2, 2)
		wrong := *w
		wrong.req = other.req
		if _, err := pre.DeriveGrantKey(wrong.req, w.gctx, w.vault.Public(), w.grant); !errors.Is(err, pre.ErrGrantKey) {
			t.Fatalf("foreign requester derived a grant key: %v", err)
		}
	}
}

// withEi is a with E_i,j replaced by e (the proof kept).
func withEi(a *pre.Answer, j int, e *group.Element) *pre.Answer {
	b := *a
	b.Ei = append([]*group.Element(nil), a.Ei...)
	b.Ei[j] = e
	return &b
}

// An answer with a valid-looking point but a wrong exponent in any capsule
// position fails its proof; the fast verifier and circl's agree.
func TestWrongExponentAnswerFailsProof(t *testing.T) {
	w := newWorld(t, 20, 2, 3)
	ct, _ := w.encrypt(1, 100, 2)
	E := es(ct)
	ctx := w.actx(1, 5, 6, len(E))
	a := must[*pre.Answer](t)(w.fragment(1).Answer(ctx, E, w.rnd))
	vk := w.vk(1)
	if err := pre.VerifyAnswer(vk, ctx, E, a); err != nil {
		t.Fatal(err)
	}
	rnd := testrand.New(21)
	for i := 0; i < 20; i++ {
		k := must[*group.Scalar](t)(group.RandomScalar(rnd))
		j := i % len(E)
		bad := withEi(a, j, new(group.Element).Mul(E[j], k)) // a valid point, wrong exponent
		if pre.VerifyAnswer(vk, ctx, E, bad) == nil || pre.VerifyAnswerCircl(vk, ctx, E, bad) == nil {
			t.Fatalf("wrong exponent in capsule %d accepted", j)
		}
	}
	// Another proxy's (valid) answer is refused under this proxy's key.
	a0 := must[*pre.Answer](t)(w.fragment(0).Answer(w.actx(0, 5, 6, len(E)), E, w.rnd))
	if pre.VerifyAnswer(vk, w.actx(0, 5, 6, len(E)), E, a0) == nil {
		t.Fatal("answer of proxy 0 accepted under proxy 1's key")
	}
}

// An answer valid for one grant, task, record, capsule count, chain or
// proxy is refused for another (the DLEQ DST binds them), for capsules in
// another order and for another record's capsules.
func TestAnswerBoundToContext(t *testing.T) {
	w := newWorld(t, 30, 2, 3)
	ct, _ := w.encrypt(1, 100, 2)
	E := es(ct)
	ctx := w.actx(2, 11, 12, len(E))
	a := must[*pre.Answer](t)(w.fragment(2).Answer(ctx, E, w.rnd))
	vk := w.vk(2)
	if err := pre.VerifyAnswer(vk, ctx, E, a); err != nil {
		t.Fatal(err)
	}
	variants := map[string]func(c *pre.AnswerContext){
		"grant":    func(c *pre.AnswerContext) { c.GrantID++ },
		"task":     func(c *pre.AnswerContext) { c.TaskID++ },
		"record":   func(c *pre.AnswerContext) { c.RecordID++ },
		"capsules": func(c *pre.AnswerContext) { c.Capsules++ },
		"chain":    func(c *pre.AnswerContext) { c.ChainID = "medex-2" },
		"proxy":    func(c *pre.AnswerContext) { c.Proxy = proxyAddr(1) },
	}
	for name, edit := range variants {
		c := ctx
		edit(&c)
		if pre.VerifyAnswer(vk, c, E, a) == nil || pre.VerifyAnswerCircl(vk, c, E, a) == nil {
			t.Fatalf("answer accepted in another %s", name)
		}
	}
	swapped := []*group.Element{E[1], E[0]}
	if pre.VerifyAnswer(vk, ctx, swapped, a) == nil || pre.VerifyAnswerCircl(vk, ctx, swapped, a) == nil {
		t.Fatal("answer accepted for the capsules swapped")
	}
	other, _ := w.encrypt(2, 100, 2)
	if pre.VerifyAnswer(vk, ctx, es(other), a) == nil {
		t.Fatal("answer accepted for another record's capsules")
	}
	if pre.VerifyAnswer(vk, ctx, E[:1], a) == nil {
		t.Fatal("answer accepted for fewer capsules")
	}
	// A fragment cannot be used to answer in another grant's or proxy's
	// context, nor for another number of capsules than the context names.
	c := ctx
	c.GrantID++
	if _, err := w.fragment(2).Answer(c, E, w.rnd); !errors.Is(err, pre.ErrContext) {
		t.Fatalf("fragment answered for another grant: %v", err)
	}
	if _, err := w.fragment(2).Answer(ctx, E[:1], w.rnd); !errors.Is(err, pre.ErrContext) {
		t.Fatalf("fragment answered for another capsule count: %v", err)
	}
	// A verification key of another grant refuses it too.
	ow := newWorld(t, 31, 2, 3)
	if pre.VerifyAnswer(ow.vk(2), ctx, E, a) == nil {
		t.Fatal("accepted under another grant's commitments")
	}
}

// The fast verifier accepts and rejects exactly what circl's VerifyBatch
// does, for answers over 1 to 3 capsules: a wrong E_i in each position,
// E_i swapped, proof scalars changed or swapped, a wrong DST, a wrong V.
func TestFastVerifierMatchesCircl(t *testing.T) {
	w := newWorld(t, 40, 3, 4)
	rnd := testrand.New(41)
	one := group.ScalarFromUint64(1)
	for i := 0; i < 30; i++ {
		n := 1 + i%3
		ct, _ := w.encrypt(uint64(i), 100, n)
		E := es(ct)
		p := i % 4
		ctx := w.actx(p, uint64(i), 1, n)
		a := must[*pre.Answer](t)(w.fragment(p).Answer(ctx, E, w.rnd))
		vk := w.vk(p)
		type tc struct {
			name string
			vk   *pre.VerificationKey
			ctx  pre.AnswerContext
			a    *pre.Answer
			ok   bool
		}
		otherDST := ctx
		otherDST.TaskID++
		cases := []tc{
			{"honest", vk, ctx, a, true},
			{"c+1", vk, ctx, &pre.Answer{Ei: a.Ei, C: new(group.Scalar).Add(a.C, one), S: a.S}, false},
			{"s+1", vk, ctx, &pre.Answer{Ei: a.Ei, C: a.C, S: new(group.Scalar).Add(a.S, one)}, false},
			{"c,s swapped", vk, ctx, &pre.Answer{Ei: a.Ei, C: a.S, S: a.C}, false},
			{"random proof", vk, ctx, &pre.Answer{Ei: a.Ei, C: must[*group.Scalar](t)(group.RandomScalar(rnd)), S: must[*group.Scalar](t)(group.RandomScalar(rnd))}, false},
			{"wrong DST", vk, otherDST, a, false},
			{"wrong V", w.vk((p + 1) % 4), ctx, a, false},
		}
		for j := range E {
			cases = append(cases,
				tc{fmt.Sprintf("E_i,%d + g", j), vk, ctx, withEi(a, j, new(group.Element).Add(a.Ei[j], group.Generator())), false},
				tc{fmt.Sprintf("E_i,%d = E_%d", j, j), vk, ctx, withEi(a, j, E[j]), false})
		}
		if n > 1 {
			sw := withEi(a, 0, a.Ei[1])
			sw.Ei[1] = a.Ei[0]
			cases = append(cases, tc{"E_i swapped", vk, ctx, sw, false})
		}
		for _, c := range cases {
			fast := pre.VerifyAnswer(c.vk, c.ctx, E, c.a) == nil
			ref := pre.VerifyAnswerCircl(c.vk, c.ctx, E, c.a) == nil
			if fast != ref || fast != c.ok {
				t.Fatalf("n=%d %s: fast %v, circl %v, want %v", n, c.name, fast, ref, c.ok)
			}
		}
	}
}

// An answer decodes only at the exact size for its capsule count, and its
// encoding round-trips.
func TestDecodeAnswerStrict(t *testing.T) {
	w := newWorld(t, 45, 2, 3)
	ct, _ := w.encrypt(1, 100, 2)
	E := es(ct)
	a := must[*pre.Answer](t)(w.fragment(0).Answer(w.actx(0, 1, 1, len(E)), E, w.rnd))
	b := a.Bytes()
	if len(b) != pre.AnswerSize(2) {
		t.Fatalf("answer of %d bytes, want %d", len(b), pre.AnswerSize(2))
	}
	got := must[*pre.Answer](t)(pre.DecodeAnswer(b, 2))
	if !bytes.Equal(got.Bytes(), b) {
		t.Fatal("round trip changed the answer")
	}
	for _, bad := range []struct {
		name string
		b    []byte
		n    int
	}{
		{"one capsule expected", b, 1},
		{"three capsules expected", b, 3},
		{"zero capsules", b[64:], 0},
		{"short", b[:len(b)-1], 2},
		{"long", append(append([]byte(nil), b...), 0), 2},
		{"identity E_i", append(make([]byte, 32), b[32:]...), 2},
		{"zero c", append(append(append([]byte(nil), b[:64]...), make([]byte, 32)...), b[96:]...), 2},
		{"zero s", append(append([]byte(nil), b[:96]...), make([]byte, 32)...), 2},
	} {
		if _, err := pre.DecodeAnswer(bad.b, bad.n); err == nil {
			t.Fatalf("%s decoded", bad.name)
		}
	}
}

// A fragment that does not match the commitments, or is not sealed for
// this proxy and grant, is refused by the proxy.
func TestFragmentRefusedByProxy(t *testing.T) {
	w := newWorld(t, 50, 3, 4)
	if _, err := pre.OpenFragment(w.psks[0], chainID, w.gctx.GrantID, proxyAddr(0), w.grant); err != nil {
		t.Fatal(err)
	}
	// commitments changed (a grant whose C_1 is not the polynomial's)
	bad := *w.grant
	bad.Commitments = append([]*group.Element(nil), w.grant.Commitments...)
	bad.Commitments[1] = new(group.Element).Add(bad.Commitments[1], group.Generator())
	if _, err := pre.OpenFragment(w.psks[0], chainID, w.gctx.GrantID, proxyAddr(0), &bad); !errors.Is(err, pre.ErrFragment) {
		t.Fatalf("mismatched commitments: %v", err)
	}
	// proxy 1's sealed fragment relabelled as proxy 0's
	swapped := *w.grant
	swapped.Fragments = append([]pre.SealedFragment(nil), w.grant.Fragments...)
	swapped.Fragments[0].Sealed = w.grant.Fragments[1].Sealed
	if _, err := pre.OpenFragment(w.psks[0], chainID, w.gctx.GrantID, proxyAddr(0), &swapped); !errors.Is(err, pre.ErrFragment) {
		t.Fatalf("another proxy's fragment: %v", err)
	}
	for name, f := range map[string]func() error{
		"grant id": func() error {
			_, err := pre.OpenFragment(w.psks[0], chainID, w.gctx.GrantID+1, proxyAddr(0), w.grant)
			return err
		},
		"chain id": func() error {
			_, err := pre.OpenFragment(w.psks[0], "medex-2", w.gctx.GrantID, proxyAddr(0), w.grant)
			return err
		},
		"wrong key": func() error {
			_, err := pre.OpenFragment(w.psks[1], chainID, w.gctx.GrantID, proxyAddr(0), w.grant)
			return err
		},
		"stranger": func() error {
			_, err := pre.OpenFragment(w.psks[0], chainID, w.gctx.GrantID, proxyAddr(9), w.grant)
			return err
		},
	} {
		if err := f(); !errors.Is(err, pre.ErrFragment) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// a flipped bit anywhere in the sealed fragment
	for i := 0; i < pre.SealedFragmentSize; i++ {
		g := *w.grant
		g.Fragments = append([]pre.SealedFragment(nil), w.grant.Fragments...)
		g.Fragments[0].Sealed = append([]byte(nil), g.Fragments[0].Sealed...)
		g.Fragments[0].Sealed[i] ^= 1
		if _, err := pre.OpenFragment(w.psks[0], chainID, w.gctx.GrantID, proxyAddr(0), &g); !errors.Is(err, pre.ErrFragment) {
			t.Fatalf("bit %d: %v", i, err)
		}
	}
}

// t < 2, t > n, duplicate proxies, epoch mismatch, too many proxies and
// missing keys are refused when building a grant. (Zero and duplicate ids
// are tested in internal_test.go: ids are hashes and cannot be forced.)
func TestGrantParamsRefused(t *testing.T) {
	w := newWorld(t, 60, 0, 4)
	mk := func(th int, ps []pre.ProxyRecipient, ctx pre.GrantContext) error {
		_, err := pre.CreateGrant(w.vault, ctx, w.req.Public(), th, ps, w.rnd)
		return err
	}
	dup := append(append([]pre.ProxyRecipient(nil), w.proxies[:3]...), w.proxies[0])
	many := make([]pre.ProxyRecipient, pre.MaxProxies+1)
	for i := range many {
		many[i] = pre.ProxyRecipient{Address: []byte{byte(i), byte(i >> 8), 1}, Key: w.proxies[0].Key}
	}
	wrongEpoch := w.gctx
	wrongEpoch.Epoch++
	noKey := append([]pre.ProxyRecipient(nil), w.proxies...)
	noKey[2].Key = nil
	emptyAddr := append([]pre.ProxyRecipient(nil), w.proxies...)
	emptyAddr[1].Address = nil
	for name, err := range map[string]error{
		"t=1":        mk(1, w.proxies, w.gctx),
		"t=0":        mk(0, w.proxies, w.gctx),
		"t>n":        mk(5, w.proxies, w.gctx),
		"duplicate":  mk(2, dup, w.gctx),
		"too many":   mk(2, many, w.gctx),
		"epoch":      mk(2, w.proxies, wrongEpoch),
		"no key":     mk(2, noKey, w.gctx),
		"empty addr": mk(2, emptyAddr, w.gctx),
		"no proxies": mk(2, nil, w.gctx),
	} {
		if !errors.Is(err, pre.ErrGrantParams) {
			t.Fatalf("%s: got %v", name, err)
		}
	}
	if err := mk(4, w.proxies, w.gctx); err != nil {
		t.Fatalf("t=n refused: %v", err)
	}
}

// The requester checks C_0^d = A before fetching.
func TestRequesterChecksGrantTargetsVault(t *testing.T) {
	w := newWorld(t, 70, 2, 3)
	w.grantKey()
	other := newWorld(t, 71, 2, 3)
	if _, err := pre.DeriveGrantKey(w.req, w.gctx, other.vault.Public(), w.grant); !errors.Is(err, pre.ErrGrantKey) {
		t.Fatalf("grant for another vault key accepted: %v", err)
	}
	ctx := w.gctx
	ctx.GrantID++
	if _, err := pre.DeriveGrantKey(w.req, ctx, w.vault.Public(), w.grant); !errors.Is(err, pre.ErrGrantKey) {
		t.Fatalf("grant under another id accepted: %v", err)
	}
	// a grant built by someone who does not know a (C_0 = random) fails
	forged := *w.grant
	forged.Commitments = append([]*group.Element(nil), w.grant.Commitments...)
	forged.Commitments[0] = new(group.Element).BaseMul(must[*group.Scalar](t)(group.RandomScalar(w.rnd)))
	if _, err := pre.DeriveGrantKey(w.req, w.gctx, w.vault.Public(), &forged); !errors.Is(err, pre.ErrGrantKey) {
		t.Fatalf("forged grant accepted: %v", err)
	}
}

// Tampering with any byte of a capsule or of the body gives a decode error
// or ErrDecrypt (the very same error value), never a plaintext — for the
// owner and for the requester.
func TestTamperingNeverYieldsPlaintext(t *testing.T) {
	w := newWorld(t, 80, 2, 3)
	ct, _ := w.encrypt(1, 200, 2)
	raw := ct.Bytes()
	fls, err := w.reencrypt(ct, []int{0, 2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	gk := w.grantKey()
	dev := w.device.Public().Key
	decodeErrs, decryptErrs := 0, 0
	for i := 1; i < len(raw); i++ { // byte 0 is the capsule count
		for _, bit := range []byte{0x01, 0x40} {
			bad := append([]byte(nil), raw...)
			bad[i] ^= bit
			bct, err := pre.DecodeCiphertext(bad)
			if err != nil {
				decodeErrs++
				continue
			}
			if _, err := pre.OpenOwner(w.vault, bct, dev); err != pre.ErrDecrypt {
				t.Fatalf("owner, byte %d: got %v", i, err)
			}
			decryptErrs++
		}
	}
	// requester side: tamper with first-level capsules and body
	for c := range fls {
		fb := fls[c].Bytes()
		for i := 0; i < len(fb); i++ {
			bad := append([]byte(nil), fb...)
			bad[i] ^= 0x02
			fl, err := pre.DecodeFirstLevel(bad)
			if err != nil {
				continue
			}
			caps := append([]*pre.FirstLevel(nil), fls...)
			caps[c] = fl
			if _, err := gk.Open(caps, ct.Body, dev); err != pre.ErrDecrypt {
				t.Fatalf("requester, capsule %d byte %d: %v", c, i, err)
			}
		}
	}
	for i := 0; i < len(ct.Body); i += 7 {
		body := append([]byte(nil), ct.Body...)
		body[i] ^= 0x10
		if _, err := gk.Open(fls, body, dev); err != pre.ErrDecrypt {
			t.Fatalf("requester, body byte %d: %v", i, err)
		}
	}
	if decryptErrs == 0 || decodeErrs == 0 {
		t.Fatalf("expected both kinds of failure: decode %d, decrypt %d", decodeErrs, decryptErrs)
	}
	// missing or reordered capsules fail too
	if _, err := gk.Open(fls[:1], ct.Body, dev); err != pre.ErrDecrypt {
		t.Fatal("one capsule missing")
	}
	if _, err := gk.Open([]*pre.FirstLevel{fls[1], fls[0], fls[0]}, ct.Body, dev); err != pre.ErrDecrypt {
		t.Fatal("extra capsule")
	}
}

// Public rerandomization of first-level capsules: same plaintext, new
// bytes, needs only C_0 and A.
func TestFirstLevelRerandomization(t *testing.T) {
	w := newWorld(t, 90, 2, 3)
	ct, payload := w.encrypt(1, 500, 2)
	fls, err := w.reencrypt(ct, []int{1, 2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	re := make([]*pre.FirstLevel, len(fls))
	for i, fl := range fls {
		re[i] = must[*pre.FirstLevel](t)(fl.RerandomizeRandom(w.grant.C0(), w.vault.Public().A, w.rnd))
		if bytes.Equal(re[i].EPrime.Bytes(), fl.EPrime.Bytes()) || bytes.Equal(re[i].F.Bytes(), fl.F.Bytes()) {
			t.Fatal("rerandomization changed nothing")
		}
	}
	env, err := w.grantKey().Open(re, ct.Body, w.device.Public().Key)
	if err != nil || !bytes.Equal(env.Payload, payload) {
		t.Fatalf("rerandomized share: %v", err)
	}
	// deterministic with an explicit s
	s := group.H2S("test", []byte("seed"))
	if !bytes.Equal(fls[0].Rerandomize(w.grant.C0(), w.vault.Public().A, s).Bytes(),
		fls[0].Rerandomize(w.grant.C0(), w.vault.Public().A, s).Bytes()) {
		t.Fatal("not deterministic")
	}
}

// Second-level capsule rerandomization keeps the plaintext.
func TestCapsuleRerandomization(t *testing.T) {
	w := newWorld(t, 91, 0, 0)
	ct, payload := w.encrypt(1, 100, 1)
	s := must[*group.Scalar](t)(group.RandomScalar(w.rnd))
	c2 := ct.Capsules[0].Rerandomize(w.vault.Public().A, s)
	if c2.Equal(ct.Capsules[0]) {
		t.Fatal("unchanged")
	}
	env, err := pre.OpenOwner(w.vault, &pre.Ciphertext{Capsules: []*pre.Capsule{c2}, Body: ct.Body}, w.device.Public().Key)
	if err != nil || !bytes.Equal(env.Payload, payload) {
		t.Fatal(err)
	}
}

// Owner decryption is all or nothing and wrong keys give ErrDecrypt.
func TestOwnerAllOrNothing(t *testing.T) {
	w := newWorld(t, 92, 0, 0)
	ct, _ := w.encrypt(1, 100, 3)
	other := must[*keys.VaultSecretKey](t)(keys.GenerateVaultKey(5, w.rnd))
	if _, err := pre.OpenOwner(other, ct, w.device.Public().Key); err != pre.ErrDecrypt {
		t.Fatal("wrong vault key")
	}
	for drop := range ct.Capsules {
		caps := append(append([]*pre.Capsule(nil), ct.Capsules[:drop]...), ct.Capsules[drop+1:]...)
		if _, err := pre.OpenOwner(w.vault, &pre.Ciphertext{Capsules: caps, Body: ct.Body}, w.device.Public().Key); err != pre.ErrDecrypt {
			t.Fatalf("capsule %d dropped: %v", drop, err)
		}
	}
	otherDev := must[*keys.DeviceSecretKey](t)(keys.GenerateDeviceKey(w.rnd))
	if _, err := pre.OpenOwner(w.vault, ct, otherDev.Public().Key); err != pre.ErrDecrypt {
		t.Fatal("wrong device key")
	}
}

func TestSealWithExplicitRandomness(t *testing.T) {
	w := newWorld(t, 93, 0, 0)
	env := must[[]byte](t)(sealEnvelope(w))
	m := group.H2S("m", []byte("chosen"))
	M := new(group.Element).BaseMul(m)
	r := group.ScalarFromUint64(12345)
	a := must[*pre.Ciphertext](t)(pre.SealWith(w.vault.Public(), env, M, r))
	b := must[*pre.Ciphertext](t)(pre.SealWith(w.vault.Public(), env, M, r))
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("SealWith not deterministic")
	}
	if !a.Capsules[0].E.Equal(new(group.Element).BaseMul(r)) {
		t.Fatal("E != g^r")
	}
	if _, err := pre.OpenOwner(w.vault, a, w.device.Public().Key); err != nil {
		t.Fatal(err)
	}
	if _, err := pre.SealWith(w.vault.Public(), env[:100], M, r); err == nil {
		t.Fatal("non-bucket envelope sealed")
	}
}
