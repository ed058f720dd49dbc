package subverted

import (
	"bytes"
	"testing"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

func testDevice(t *testing.T) (*Device, *keys.VaultSecretKey, *keys.DeviceSecretKey, Reading) {
	t.Helper()
	kr := SeededReader(11, 0)
	vault, err := keys.GenerateVaultKey(1, kr)
	if err != nil {
		t.Fatal(err)
	}
	dk, err := keys.GenerateDeviceKey(kr)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r := Reading{
		Meta: &envelope.Meta{ChainID: "c", Patient: bytes.Repeat([]byte{1}, 20), Vault: "v", Epoch: 1,
			DeviceID: "d", Sequence: 1, EffectiveTime: now},
		Payload: FHIRReading(1024, 1, now, 0),
	}
	return &Device{Vault: vault.Public(), Signer: dk.Key, Rand: SeededReader(11, 1), Key: Key{1}, Tries: 8}, vault, dk, r
}

func TestDeviceModelsProduceValidRecords(t *testing.T) {
	d, vault, dk, r := testDevice(t)
	open := func(name string, ct *pre.Ciphertext) *envelope.Envelope {
		t.Helper()
		env, err := pre.OpenOwner(vault, ct, dk.Public().Key)
		if err != nil {
			t.Fatalf("%s: record does not open: %v", name, err)
		}
		return env
	}
	for _, bit := range []uint8{0, 1} {
		ct, ok, err := d.RejectionSampling(r, bit)
		if err != nil || !ok || DecodeCiphertext(d.Key, ct.Capsules[0], ct.Body) != bit {
			t.Fatalf("rejection sampling bit %d: ok=%v err=%v", bit, ok, err)
		}
		open("rejection", ct)

		for _, part := range []CapsulePart{PartE, PartF} {
			ct, ok, err := d.SteerCapsule(r, part, bit)
			if err != nil || !ok || DecodeElement(d.Key, CapsulePoint(ct.Capsules[0], part).Bytes()) != bit {
				t.Fatalf("steer capsule %v bit %d: ok=%v err=%v", part, bit, ok, err)
			}
			open("steer capsule "+part.String(), ct)
		}

		ct, ok, err = d.ChooseM(r, bit)
		if err != nil || !ok || DecodeM(d.Key, OwnerM(vault, ct.Capsules[0])) != bit {
			t.Fatalf("choose M bit %d: ok=%v err=%v", bit, ok, err)
		}
		open("chooseM", ct)

		ct, ok, err = d.SubvertedNonce(r, bit, dk.Key)
		if err != nil || !ok {
			t.Fatalf("nonce bit %d: ok=%v err=%v", bit, ok, err)
		}
		open("nonce", ct)
		raw, _ := pre.DecryptOwner(vault, ct)
		if DecodeNonce(d.Key, raw[len(raw)-envelope.SigSize:]) != bit {
			t.Fatalf("nonce bit %d not embedded", bit)
		}

		ct, err = d.BucketChoice(r, bit)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{2048, 8192}[bit]; len(ct.Body) != want {
			t.Fatalf("bucket choice bit %d: body %d bytes, want %d", bit, len(ct.Body), want)
		}
		open("bucket", ct)

		ct, err = d.CapsuleCount(r, bit)
		if err != nil || len(ct.Capsules) != 1+int(bit) {
			t.Fatalf("capsule count bit %d: %d capsules, err %v", bit, len(ct.Capsules), err)
		}
		open("capsules", ct)

		ct, err = d.UnpaddedLength(r, bit)
		if err != nil || envelope.IsBucket(len(ct.Body)) {
			t.Fatalf("unpadded length bit %d: %d bytes, err %v", bit, len(ct.Body), err)
		}
		if _, err := pre.DecodeCiphertext(ct.Bytes()); err == nil {
			t.Fatal("a non-bucket body decodes as a ciphertext")
		}
	}
}

func TestReportedTime(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := 0; i < 200; i++ {
		tt := base.Add(time.Duration(i) * 17 * time.Second)
		for _, bit := range []uint8{0, 1} {
			rt := ReportedTime(tt, bit)
			if DecodeTime(rt) != bit || DecodeTime(rt.Truncate(time.Minute)) != bit {
				t.Fatalf("time %v bit %d: reported %v", tt, bit, rt)
			}
			if d := rt.Sub(tt); d < 0 || d > time.Minute {
				t.Fatalf("reported time off by %v", d)
			}
		}
	}
}
