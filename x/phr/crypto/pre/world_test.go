package pre_test

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

const chainID = "medex-1"

// world is one vault, device, requester and proxy committee with a grant.
type world struct {
	t       testing.TB
	rnd     io.Reader
	vault   *keys.VaultSecretKey
	device  *keys.DeviceSecretKey
	req     *keys.RequesterSecretKey
	proxies []pre.ProxyRecipient
	psks    []*keys.ProxySecretKey
	gctx    pre.GrantContext
	grant   *pre.Grant
	th      int
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func newWorld(t testing.TB, seed uint64, th, n int) *world {
	t.Helper()
	w := &world{t: t, rnd: testrand.New(seed), th: th}
	w.vault = must[*keys.VaultSecretKey](t)(keys.GenerateVaultKey(5, w.rnd))
	w.device = must[*keys.DeviceSecretKey](t)(keys.GenerateDeviceKey(w.rnd))
	w.req = must[*keys.RequesterSecretKey](t)(keys.GenerateRequesterKey(w.rnd))
	for i := 0; i < n; i++ {
		sk := must[*keys.ProxySecretKey](t)(keys.GenerateProxyKey(w.rnd))
		w.psks = append(w.psks, sk)
		w.proxies = append(w.proxies, pre.ProxyRecipient{Address: proxyAddr(i), Key: sk.Public()})
	}
	w.gctx = pre.GrantContext{ChainID: chainID, GrantID: 1000 + seed, Vault: "vitals", Epoch: 5}
	if th >= 2 {
		w.grant = must[*pre.Grant](t)(pre.CreateGrant(w.vault, w.gctx, w.req.Public(), th, w.proxies, w.rnd))
	}
	return w
}

func proxyAddr(i int) []byte { return []byte(fmt.Sprintf("proxy-%02d-address-20b", i))[:20] }

func (w *world) meta(seq uint64) *envelope.Meta {
	return &envelope.Meta{ChainID: chainID, Patient: bytes.Repeat([]byte{9}, 20), Vault: "vitals", Epoch: 5,
		DeviceID: "dev-1", Sequence: seq, EffectiveTime: time.Unix(1700000000+int64(seq), 0).UTC()}
}

func (w *world) payload(n int) []byte {
	p := []byte(`{"resourceType":"Observation","value":"`)
	for len(p) < n-2 {
		p = append(p, 'a'+byte(len(p)%26))
	}
	return append(p, '"', '}')
}

// encrypt makes a record with `layers` capsules (device capsule + masks).
func (w *world) encrypt(seq uint64, payloadLen, layers int) (*pre.Ciphertext, []byte) {
	w.t.Helper()
	payload := w.payload(payloadLen)
	ct := must[*pre.Ciphertext](w.t)(pre.DeviceEncrypt(w.vault.Public(), w.meta(seq), payload, w.device.Key, w.rnd))
	for l := 1; l < layers; l++ {
		if err := pre.AddLayer(ct, w.vault.Public(), w.rnd); err != nil {
			w.t.Fatal(err)
		}
	}
	return ct, payload
}

// actx is proxy's answer context for an answer over n capsules.
func (w *world) actx(proxy int, task, record uint64, n int) pre.AnswerContext {
	return pre.AnswerContext{ChainID: chainID, GrantID: w.gctx.GrantID, TaskID: task, RecordID: record,
		Capsules: uint32(n), Proxy: proxyAddr(proxy)}
}

// es lists the first elements of ct's capsules, in order.
func es(ct *pre.Ciphertext) []*group.Element {
	out := make([]*group.Element, len(ct.Capsules))
	for j, c := range ct.Capsules {
		out[j] = c.E
	}
	return out
}

func (w *world) fragment(i int) *pre.Fragment {
	w.t.Helper()
	return must[*pre.Fragment](w.t)(pre.OpenFragment(w.psks[i], chainID, w.gctx.GrantID, proxyAddr(i), w.grant))
}

func (w *world) vk(i int) *pre.VerificationKey {
	w.t.Helper()
	return must[*pre.VerificationKey](w.t)(pre.NewVerificationKey(w.grant.Commitments, chainID, w.gctx.GrantID, proxyAddr(i)))
}

// reencrypt has the given proxies answer all capsules of ct (one answer
// each), verifies and combines with threshold th, and returns the
// first-level capsules.
func (w *world) reencrypt(ct *pre.Ciphertext, who []int, th int) ([]*pre.FirstLevel, error) {
	E := es(ct)
	var subs []pre.Submission
	for _, i := range who {
		ctx := w.actx(i, 77, 3, len(E))
		a, err := w.fragment(i).Answer(ctx, E, w.rnd)
		if err != nil {
			return nil, err
		}
		subs = append(subs, pre.Submission{Key: w.vk(i), Ctx: ctx, Answer: a})
	}
	Ep, err := pre.VerifyAndCombine(th, E, subs)
	if err != nil {
		return nil, err
	}
	fls := make([]*pre.FirstLevel, len(E))
	for j, c := range ct.Capsules {
		fls[j] = pre.NewFirstLevel(c, Ep[j], w.grant.X)
	}
	return fls, nil
}

func (w *world) grantKey() *pre.GrantKey {
	w.t.Helper()
	return must[*pre.GrantKey](w.t)(pre.DeriveGrantKey(w.req, w.gctx, w.vault.Public(), w.grant))
}

func subset(r *rand.Rand, n, k int) []int {
	return r.Perm(n)[:k]
}
