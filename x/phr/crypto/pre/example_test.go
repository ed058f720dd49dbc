package pre_test

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// The whole flow: device → edge firewall → chain checks → grant → proxy
// answers → chain verification and combination → requester decryption.
func Example() {
	// Keys (patient's vault, device, hospital, three proxies).
	vault, _ := keys.GenerateVaultKey(1, rand.Reader)
	device, _ := keys.GenerateDeviceKey(rand.Reader)
	hospital, _ := keys.GenerateRequesterKey(rand.Reader)
	var proxies []pre.ProxyRecipient
	var proxyKeys []*keys.ProxySecretKey
	for i := 0; i < 3; i++ {
		sk, _ := keys.GenerateProxyKey(rand.Reader)
		proxyKeys = append(proxyKeys, sk)
		proxies = append(proxies, pre.ProxyRecipient{Address: []byte(fmt.Sprintf("proxy-address-%06d", i)), Key: sk.Public()})
	}

	// Device: sign and encrypt one reading.
	meta := &envelope.Meta{ChainID: "medex-1", Patient: []byte("patient-address-20b."), Vault: "vitals", Epoch: 1,
		DeviceID: "pulse-ox-1", Sequence: 1, EffectiveTime: time.Now()}
	ct, _ := pre.DeviceEncrypt(vault.Public(), meta, []byte(`{"resourceType":"Observation"}`), device.Key, rand.Reader)

	// Gateway: edge firewall, then submit rec.CapsuleBytes() and rec.Body.
	rec, _ := crf.EdgeFirewall(vault.Public(), ct.Bytes(), crf.PublicMeta{DeviceID: "pulse-ox-1", Vault: "vitals",
		Epoch: 1, Time: time.Now(), ResourceType: "Observation"}, rand.Reader)

	// Chain (ante handler): validate, then rerandomize with the block's seed.
	caps, err := crf.ValidatePublished(rec.CapsuleBytes(), rec.Body)
	fmt.Println("valid record:", err == nil)
	stored := crf.ChainRerandomize(vault.Public().A, caps, make([]byte, 32), make([]byte, 32), 0)

	// Patient: grant the hospital 2-of-3 access (grant id fixed at request time).
	gctx := pre.GrantContext{ChainID: "medex-1", GrantID: 7, Vault: "vitals", Epoch: 1}
	grant, _ := pre.CreateGrant(vault, gctx, hospital.Public(), 2, proxies, rand.Reader)
	onChain, _ := pre.DecodeGrant(grant.Bytes())

	// Hospital: check the grant targets the vault key before fetching.
	gk, err := pre.DeriveGrantKey(hospital, gctx, vault.Public(), onChain)
	fmt.Println("grant targets vault:", err == nil)

	// Proxies 0 and 2 answer the record's task (one answer over both
	// capsules each); the chain verifies and combines per capsule.
	E := []*group.Element{stored[0].E, stored[1].E}
	verified := make([][]pre.VerifiedAnswer, len(E))
	for _, i := range []int{0, 2} {
		frag, _ := pre.OpenFragment(proxyKeys[i], "medex-1", 7, proxies[i].Address, onChain)
		ctx := pre.AnswerContext{ChainID: "medex-1", GrantID: 7, TaskID: 10, RecordID: 1,
			Capsules: uint32(len(E)), Proxy: proxies[i].Address}
		ans, _ := frag.Answer(ctx, E, rand.Reader)
		vk, _ := pre.NewVerificationKey(onChain.Commitments, "medex-1", 7, proxies[i].Address)
		if pre.VerifyAnswer(vk, ctx, E, ans) == nil {
			for j := range E {
				verified[j] = append(verified[j], pre.VerifiedAnswer{ID: vk.ID, Ei: ans.Ei[j]})
			}
		}
	}
	var shares []*pre.FirstLevel
	for j, c := range stored {
		EPrime, _ := pre.Combine(onChain.Threshold, verified[j])
		shares = append(shares, pre.NewFirstLevel(c, EPrime, onChain.X))
	}

	// Hospital: decrypt and verify the device signature.
	env, err := gk.Open(shares, rec.Body, device.Public().Key)
	fmt.Println(err == nil, string(env.Payload))
	// Output:
	// valid record: true
	// grant targets vault: true
	// true {"resourceType":"Observation"}
}
