package crf_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

type fixture struct {
	vault  *keys.VaultSecretKey
	device *keys.DeviceSecretKey
	ct     *pre.Ciphertext
	pay    []byte
	meta   crf.PublicMeta
}

func setup(t *testing.T, seed uint64) *fixture {
	t.Helper()
	rnd := testrand.New(seed)
	f := &fixture{}
	f.vault, _ = keys.GenerateVaultKey(1, rnd)
	f.device, _ = keys.GenerateDeviceKey(rnd)
	f.pay = []byte(`{"resourceType":"Observation","code":"8867-4"}`)
	m := &envelope.Meta{ChainID: "medex-1", Patient: []byte("patient-address-20by"), Vault: "vitals", Epoch: 1,
		DeviceID: "dev-9", Sequence: 1, EffectiveTime: time.Unix(1700000123, 456).UTC()}
	var err error
	f.ct, err = pre.DeviceEncrypt(f.vault.Public(), m, f.pay, f.device.Key, rnd)
	if err != nil {
		t.Fatal(err)
	}
	f.meta = crf.PublicMeta{DeviceID: "dev-9", Vault: "vitals", Epoch: 1,
		Time: time.Date(2026, 11, 24, 10, 17, 42, 999, time.FixedZone("X", 3600)), ResourceType: "Observation"}
	return f
}

func TestEdgeFirewallPublishesTwoCapsulesThatDecrypt(t *testing.T) {
	f := setup(t, 1)
	rec, err := crf.EdgeFirewall(f.vault.Public(), f.ct.Bytes(), f.meta, testrand.New(2))
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Capsules) != 2 || len(rec.CapsuleBytes()) != crf.NumCapsules {
		t.Fatal("published record must have exactly two capsules")
	}
	if rec.Capsules[0].Equal(f.ct.Capsules[0]) || bytes.Equal(rec.Body, f.ct.Body) {
		t.Fatal("device capsule or body published unchanged")
	}
	if want := time.Date(2026, 11, 24, 9, 17, 0, 0, time.UTC); !rec.Meta.Time.Equal(want) || rec.Meta.Time.Location() != time.UTC {
		t.Fatalf("time %v, want %v", rec.Meta.Time, want)
	}
	env, err := pre.OpenOwner(f.vault, rec.Ciphertext(), f.device.Public().Key)
	if err != nil || !bytes.Equal(env.Payload, f.pay) {
		t.Fatalf("owner: %v", err)
	}
	// what the chain receives validates
	if _, err := crf.ValidatePublished(rec.CapsuleBytes(), rec.Body); err != nil {
		t.Fatalf("published record refused by the chain's check: %v", err)
	}
	// The same device output twice gives unrelated published bytes.
	rec3, _ := crf.EdgeFirewall(f.vault.Public(), f.ct.Bytes(), f.meta, testrand.New(3))
	if rec3.Capsules[0].Equal(rec.Capsules[0]) || rec3.Capsules[1].Equal(rec.Capsules[1]) || bytes.Equal(rec3.Body, rec.Body) {
		t.Fatal("firewall output repeats")
	}
}

func TestEdgeFirewallRefusesAnythingButOneCapsule(t *testing.T) {
	f := setup(t, 4)
	rnd := testrand.New(5)
	two := &pre.Ciphertext{Capsules: append([]*pre.Capsule(nil), f.ct.Capsules...), Body: append([]byte(nil), f.ct.Body...)}
	if err := pre.AddLayer(two, f.vault.Public(), rnd); err != nil {
		t.Fatal(err)
	}
	three := &pre.Ciphertext{Capsules: append([]*pre.Capsule(nil), two.Capsules...), Body: append([]byte(nil), two.Body...)}
	if err := pre.AddLayer(three, f.vault.Public(), rnd); err != nil {
		t.Fatal(err)
	}
	zero := append([]byte{0}, f.ct.Bytes()[1+pre.CapsuleSize:]...)
	nonBucket := f.ct.Bytes()[:len(f.ct.Bytes())-1]
	nonBucket[1+pre.CapsuleSize+3]-- // body length 511
	for name, raw := range map[string][]byte{
		"two capsules":   two.Bytes(),
		"three capsules": three.Bytes(),
		"zero capsules":  zero,
		"non-bucket":     nonBucket,
		"trailing":       append(f.ct.Bytes(), 0),
		"empty":          nil,
	} {
		if _, err := crf.EdgeFirewall(f.vault.Public(), raw, f.meta, rnd); !errors.Is(err, crf.ErrDeviceOutput) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := crf.EdgeFirewallCiphertext(f.vault.Public(), two, f.meta, rnd); !errors.Is(err, crf.ErrDeviceOutput) {
		t.Fatal("in-process two capsules accepted")
	}
	short := &pre.Ciphertext{Capsules: f.ct.Capsules, Body: f.ct.Body[:500]}
	if _, err := crf.EdgeFirewallCiphertext(f.vault.Public(), short, f.meta, rnd); !errors.Is(err, crf.ErrDeviceOutput) {
		t.Fatal("in-process non-bucket body accepted")
	}
}

func TestEdgeFirewallPublicMetaValidation(t *testing.T) {
	f := setup(t, 6)
	for name, edit := range map[string]func(m *crf.PublicMeta){
		"resource lower": func(m *crf.PublicMeta) { m.ResourceType = "observation" },
		"resource sym":   func(m *crf.PublicMeta) { m.ResourceType = "Obs-1" },
		"no device":      func(m *crf.PublicMeta) { m.DeviceID = "" },
		"control":        func(m *crf.PublicMeta) { m.Vault = "v\x00" },
		"zero time":      func(m *crf.PublicMeta) { m.Time = time.Time{} },
	} {
		m := f.meta
		edit(&m)
		if _, err := crf.EdgeFirewall(f.vault.Public(), f.ct.Bytes(), m, testrand.New(7)); !errors.Is(err, crf.ErrPublicMeta) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestChainRerandomizeDeterministic(t *testing.T) {
	f := setup(t, 8)
	rec, _ := crf.EdgeFirewall(f.vault.Public(), f.ct.Bytes(), f.meta, testrand.New(9))
	hh, th := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	A := f.vault.Public().A
	a := crf.ChainRerandomize(A, rec.Capsules, hh, th, 0)
	b := crf.ChainRerandomize(A, rec.Capsules, hh, th, 0)
	c := crf.ChainRerandomize(A, rec.Capsules, hh, th, 1)
	for i := range a {
		if !a[i].Equal(b[i]) {
			t.Fatal("same seed, different output")
		}
		if a[i].Equal(c[i]) || a[i].Equal(rec.Capsules[i]) {
			t.Fatal("rerandomization did not change the capsule")
		}
	}
	if a[0].Equal(a[1]) || crf.ChainRerandScalar(hh, th, 0, 0).Equal(crf.ChainRerandScalar(hh, th, 0, 1)) {
		t.Fatal("capsule index not bound")
	}
	stored := &pre.Ciphertext{Capsules: a[:], Body: rec.Body}
	env, err := pre.OpenOwner(f.vault, stored, f.device.Public().Key)
	if err != nil || !bytes.Equal(env.Payload, f.pay) {
		t.Fatalf("rerandomized record: %v", err)
	}
	// H2S framing of the seed inputs
	want := group.H2S("chain-rerand", hh, th, group.U32(3), group.U32(1))
	if !crf.ChainRerandScalar(hh, th, 3, 1).Equal(want) {
		t.Fatal("seed derivation")
	}
}

func TestValidatePublished(t *testing.T) {
	f := setup(t, 10)
	rec, _ := crf.EdgeFirewall(f.vault.Public(), f.ct.Bytes(), f.meta, testrand.New(11))
	caps := rec.CapsuleBytes()
	if _, err := crf.ValidatePublished(caps, rec.Body); err != nil {
		t.Fatal(err)
	}
	identity := append(make([]byte, 32), caps[0][32:]...)
	nonCanon := append([]byte(nil), caps[1]...)
	nonCanon[31] |= 0x80
	for name, c := range map[string]struct {
		caps [][]byte
		body []byte
		want error
	}{
		"one capsule":    {caps[:1], rec.Body, crf.ErrRecord},
		"three capsules": {[][]byte{caps[0], caps[1], caps[0]}, rec.Body, crf.ErrRecord},
		"identity E":     {[][]byte{identity, caps[1]}, rec.Body, group.ErrIdentity},
		"non-canonical":  {[][]byte{caps[0], nonCanon}, rec.Body, group.ErrNonCanonical},
		"short capsule":  {[][]byte{caps[0][:63], caps[1]}, rec.Body, group.ErrMalformed},
		"body 511":       {caps, rec.Body[:511], crf.ErrRecord},
		"body 0":         {caps, nil, crf.ErrRecord},
		"body 65537":     {caps, make([]byte, 65537), crf.ErrRecord},
	} {
		_, err := crf.ValidatePublished(c.caps, c.body)
		if !errors.Is(err, c.want) || !errors.Is(err, crf.ErrRecord) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
