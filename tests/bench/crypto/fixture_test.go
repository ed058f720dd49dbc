package cryptobench

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/medexchain/medexchain/testutil/cryptotest"
	"github.com/medexchain/medexchain/testutil/subverted"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// ReadingSize is the FHIR payload size of the device benchmarks: a 1 KiB
// reading, which with metadata and signature fills the 2 KiB bucket.
const ReadingSize = 1024

const (
	chainID = "medex-1"
	vaultNm = "vitals"
	epoch   = 3
	grantID = 42
)

type fixture struct {
	vault   *keys.VaultSecretKey
	dev     *keys.DeviceSecretKey
	req     *keys.RequesterSecretKey
	meta    *envelope.Meta
	payload []byte
	pub     crf.PublicMeta
	env     []byte // the signed envelope of (meta, payload)
	devOut  []byte // one device output (pre.Ciphertext encoding)
	rec     *crf.Record
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	f := &fixture{}
	var err error
	if f.vault, err = keys.GenerateVaultKey(epoch, rand.Reader); err != nil {
		tb.Fatal(err)
	}
	if f.dev, err = keys.GenerateDeviceKey(rand.Reader); err != nil {
		tb.Fatal(err)
	}
	if f.req, err = keys.GenerateRequesterKey(rand.Reader); err != nil {
		tb.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 8, 30, 12, 345000000, time.UTC)
	f.meta = &envelope.Meta{ChainID: chainID, Patient: bytes.Repeat([]byte{0x42}, 20), Vault: vaultNm, Epoch: epoch,
		DeviceID: "pulse-ox-0001", Sequence: 1, EffectiveTime: t0}
	f.payload = subverted.FHIRReading(ReadingSize, 1, t0, 0)
	f.pub = crf.PublicMeta{DeviceID: "pulse-ox-0001", Vault: vaultNm, Epoch: epoch, Time: t0, ResourceType: "Observation"}
	if f.env, err = envelope.Seal(f.meta, f.payload, f.dev.Key); err != nil {
		tb.Fatal(err)
	}
	ct, err := pre.DeviceEncrypt(f.vault.Public(), f.meta, f.payload, f.dev.Key, rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	f.devOut = ct.Bytes()
	if f.rec, err = crf.EdgeFirewall(f.vault.Public(), f.devOut, f.pub, rand.Reader); err != nil {
		tb.Fatal(err)
	}
	return f
}

// committee is a grant with its proxies' keys, opened fragments and
// verification keys.
type committee struct {
	t, n    int
	proxies []pre.ProxyRecipient
	psks    []*keys.ProxySecretKey
	grant   *pre.Grant
	frags   []*pre.Fragment
	vks     []*pre.VerificationKey
}

func proxyAddr(i int) []byte {
	// 20 raw bytes, the size of a Cosmos account address
	return []byte(fmt.Sprintf("medex-proxy-addr-%03d", i))[:20]
}

func newCommittee(tb testing.TB, f *fixture, t, n int) *committee {
	tb.Helper()
	c := &committee{t: t, n: n, proxies: make([]pre.ProxyRecipient, n), psks: make([]*keys.ProxySecretKey, n)}
	for i := range c.proxies {
		sk, err := keys.GenerateProxyKey(rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		c.psks[i] = sk
		c.proxies[i] = pre.ProxyRecipient{Address: proxyAddr(i), Key: sk.Public()}
	}
	var err error
	if c.grant, err = pre.CreateGrant(f.vault, grantCtx(), f.req.Public(), t, c.proxies, rand.Reader); err != nil {
		tb.Fatal(err)
	}
	for i := range c.proxies {
		fr, err := pre.OpenFragment(c.psks[i], chainID, grantID, c.proxies[i].Address, c.grant)
		if err != nil {
			tb.Fatal(err)
		}
		c.frags = append(c.frags, fr)
		vk, err := pre.NewVerificationKey(c.grant.Commitments, chainID, grantID, c.proxies[i].Address)
		if err != nil {
			tb.Fatal(err)
		}
		c.vks = append(c.vks, vk)
	}
	return c
}

func grantCtx() pre.GrantContext {
	return pre.GrantContext{ChainID: chainID, GrantID: grantID, Vault: vaultNm, Epoch: epoch}
}

func answerCtx(c *committee, i int, capsule uint32) pre.AnswerContext {
	return pre.AnswerContext{ChainID: chainID, GrantID: grantID, TaskID: 7, RecordID: 1, CapsuleIndex: capsule, Proxy: c.proxies[i].Address}
}

// submissions returns the first t proxies' answers for capsule ci of rec.
func (c *committee) submissions(tb testing.TB, rec *crf.Record, ci int) []cryptotest.Submission {
	tb.Helper()
	subs := make([]cryptotest.Submission, 0, c.t)
	for i := 0; i < c.t; i++ {
		actx := answerCtx(c, i, uint32(ci))
		a, err := c.frags[i].Answer(actx, rec.Capsules[ci].E, rand.Reader)
		if err != nil {
			tb.Fatal(err)
		}
		subs = append(subs, cryptotest.Submission{Key: c.vks[i], Ctx: actx, Answer: a})
	}
	return subs
}

// firstLevel re-encrypts both capsules of rec for the requester.
func (c *committee) firstLevel(tb testing.TB, rec *crf.Record) []*pre.FirstLevel {
	tb.Helper()
	var fls []*pre.FirstLevel
	for ci, cap := range rec.Capsules {
		Ep, err := cryptotest.VerifyAndCombine(c.t, cap.E, c.submissions(tb, rec, ci))
		if err != nil {
			tb.Fatal(err)
		}
		fls = append(fls, pre.NewFirstLevel(cap, Ep, c.grant.X))
	}
	return fls
}
