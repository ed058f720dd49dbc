package pre_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

func TestEndToEndSmoke(t *testing.T) {
	rnd := testrand.New(1)
	vault, _ := keys.GenerateVaultKey(3, rnd)
	dev, _ := keys.GenerateDeviceKey(rnd)
	req, _ := keys.GenerateRequesterKey(rnd)
	meta := &envelope.Meta{ChainID: "medex-1", Patient: bytes.Repeat([]byte{7}, 20), Vault: "vitals", Epoch: 3,
		DeviceID: "dev-1", Sequence: 9, EffectiveTime: time.Unix(1700000000, 5).UTC()}
	payload := []byte(`{"resourceType":"Observation"}`)
	ct, err := pre.DeviceEncrypt(vault.Public(), meta, payload, dev.Key, rnd)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := crf.EdgeFirewall(vault.Public(), ct.Bytes(), crf.PublicMeta{DeviceID: "dev-1", Vault: "vitals", Epoch: 3,
		Time: time.Unix(1700000059, 0), ResourceType: "Observation"}, rnd)
	if err != nil {
		t.Fatal(err)
	}
	env, err := pre.OpenOwner(vault, rec.Ciphertext(), dev.Public().Key)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(env.Payload, payload) {
		t.Fatal("payload")
	}
	n, th := 5, 3
	proxies := make([]pre.ProxyRecipient, n)
	psks := make([]*keys.ProxySecretKey, n)
	for i := range proxies {
		psks[i], _ = keys.GenerateProxyKey(rnd)
		proxies[i] = pre.ProxyRecipient{Address: []byte(fmt.Sprintf("proxy-address-%02d..", i)), Key: psks[i].Public()}
	}
	gctx := pre.GrantContext{ChainID: "medex-1", GrantID: 42, Vault: "vitals", Epoch: 3}
	g, err := pre.CreateGrant(vault, gctx, req.Public(), th, proxies, rnd)
	if err != nil {
		t.Fatal(err)
	}
	g2, err := pre.DecodeGrant(g.Bytes())
	if err != nil || !bytes.Equal(g2.Bytes(), g.Bytes()) {
		t.Fatal("grant round trip", err)
	}
	gk, err := pre.DeriveGrantKey(req, gctx, vault.Public(), g2)
	if err != nil {
		t.Fatal(err)
	}
	var fls []*pre.FirstLevel
	for ci, c := range rec.Capsules {
		var subs []pre.Submission
		for i := 0; i < th; i++ {
			f, err := pre.OpenFragment(psks[i], "medex-1", 42, proxies[i].Address, g2)
			if err != nil {
				t.Fatal(err)
			}
			actx := pre.AnswerContext{ChainID: "medex-1", GrantID: 42, TaskID: 7, RecordID: 1, CapsuleIndex: uint32(ci), Proxy: proxies[i].Address}
			a, err := f.Answer(actx, c.E, rnd)
			if err != nil {
				t.Fatal(err)
			}
			vk, _ := pre.NewVerificationKey(g2.Commitments, "medex-1", 42, proxies[i].Address)
			if err := pre.VerifyAnswerCircl(vk, actx, c.E, a); err != nil {
				t.Fatal("circl", err)
			}
			subs = append(subs, pre.Submission{Key: vk, Ctx: actx, Answer: a})
		}
		Ep, err := pre.VerifyAndCombine(th, c.E, subs)
		if err != nil {
			t.Fatal(err)
		}
		fls = append(fls, pre.NewFirstLevel(c, Ep, g2.X))
	}
	env2, err := gk.Open(fls, rec.Body, dev.Public().Key)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(env2.Payload, payload) || env2.Meta.Sequence != 9 || !env2.Meta.EffectiveTime.Equal(meta.EffectiveTime) {
		t.Fatal("requester payload")
	}
}
