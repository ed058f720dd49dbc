package keys

import (
	"bytes"
	"errors"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

func TestSecretRoundTrips(t *testing.T) {
	rnd := testrand.New(1)
	v, _ := GenerateVaultKey(7, rnd)
	r, _ := GenerateRequesterKey(rnd)
	p, _ := GenerateProxyKey(rnd)
	d, _ := GenerateDeviceKey(rnd)

	vb, _ := v.MarshalBinary()
	v2, err := UnmarshalVaultSecret(vb)
	if err != nil || v2.Epoch != 7 || !v2.Public().A.Equal(v.Public().A) || len(vb) != VaultSecretSize {
		t.Fatal("vault", err)
	}
	rb, _ := r.MarshalBinary()
	r2, err := UnmarshalRequesterSecret(rb)
	if err != nil || !r2.Public().B.Equal(r.Public().B) || len(rb) != RequesterSecretSize {
		t.Fatal("requester", err)
	}
	pb, _ := p.MarshalBinary()
	p2, err := UnmarshalProxySecret(pb)
	if err != nil || !bytes.Equal(p2.Public().Bytes(), p.Public().Bytes()) || len(pb) != ProxySecretSize {
		t.Fatal("proxy", err)
	}
	db, _ := d.MarshalBinary()
	d2, err := UnmarshalDeviceSecret(db)
	if err != nil || !bytes.Equal(d2.Public().Bytes(), d.Public().Bytes()) || len(db) != DeviceSecretSize {
		t.Fatal("device", err)
	}
	// kinds are not interchangeable
	if _, err := UnmarshalRequesterSecret(pb); !errors.Is(err, ErrKind) {
		t.Fatal("proxy key accepted as requester key")
	}
	if _, err := UnmarshalDeviceSecret(rb); !errors.Is(err, ErrKind) {
		t.Fatal("requester key accepted as device key")
	}
	// zero scalars refused
	zeroVault := append([]byte{byte(KindVault)}, make([]byte, 40)...)
	if _, err := UnmarshalVaultSecret(zeroVault); !errors.Is(err, group.ErrZeroScalar) {
		t.Fatalf("zero vault secret: %v", err)
	}
	if _, err := UnmarshalRequesterSecret(append([]byte{byte(KindRequester)}, make([]byte, 32)...)); !errors.Is(err, group.ErrZeroScalar) {
		t.Fatal("zero requester secret")
	}
	if _, err := UnmarshalProxySecret(append([]byte{byte(KindProxy)}, make([]byte, 32)...)); !errors.Is(err, group.ErrZeroScalar) {
		t.Fatal("zero proxy secret")
	}
	for _, b := range [][]byte{vb, rb, pb, db} {
		for _, bad := range [][]byte{b[:len(b)-1], append(append([]byte(nil), b...), 0), nil} {
			var err error
			switch Kind(b[0]) {
			case KindVault:
				_, err = UnmarshalVaultSecret(bad)
			case KindRequester:
				_, err = UnmarshalRequesterSecret(bad)
			case KindProxy:
				_, err = UnmarshalProxySecret(bad)
			case KindDevice:
				_, err = UnmarshalDeviceSecret(bad)
			}
			if !errors.Is(err, group.ErrMalformed) {
				t.Fatalf("%v length %d: %v", Kind(b[0]), len(bad), err)
			}
		}
	}
}

func TestPublicKeyDecoders(t *testing.T) {
	rnd := testrand.New(2)
	v, _ := GenerateVaultKey(1, rnd)
	if _, err := DecodeVaultPublicKey(v.Public().Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeVaultPublicKey(make([]byte, 32)); !errors.Is(err, group.ErrIdentity) {
		t.Fatal("identity vault key")
	}
	if _, err := DecodeRequesterPublicKey(make([]byte, 32)); !errors.Is(err, group.ErrIdentity) {
		t.Fatal("identity requester key")
	}
	if _, err := DecodeVaultPublicKey(v.Public().Bytes()[:31]); !errors.Is(err, group.ErrMalformed) {
		t.Fatal("short vault key")
	}

	p, _ := GenerateProxyKey(rnd)
	if _, err := DecodeProxyPublicKey(p.Public().Bytes()); err != nil {
		t.Fatal(err)
	}
	// small-order X25519 points: 0, 1, and the order-8 point
	order8 := []byte{0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
		0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00}
	for name, b := range map[string][]byte{
		"zero": make([]byte, 32), "one": append([]byte{1}, make([]byte, 31)...), "order 8": order8,
	} {
		if _, err := DecodeProxyPublicKey(b); !errors.Is(err, group.ErrIdentity) {
			t.Fatalf("proxy %s: %v", name, err)
		}
	}
	p25519 := append([]byte{0xed}, bytes.Repeat([]byte{0xff}, 30)...)
	p25519 = append(p25519, 0x7f)
	top := append([]byte(nil), p.Public().Bytes()...)
	top[31] |= 0x80
	for name, b := range map[string][]byte{"p": p25519, "top bit": top} {
		if _, err := DecodeProxyPublicKey(b); !errors.Is(err, group.ErrNonCanonical) {
			t.Fatalf("proxy %s: %v", name, err)
		}
	}

	d, _ := GenerateDeviceKey(rnd)
	if _, err := DecodeDevicePublicKey(d.Public().Bytes()); err != nil {
		t.Fatal(err)
	}
	identity := append([]byte{1}, make([]byte, 31)...) // Ed25519 identity (0, 1)
	if _, err := DecodeDevicePublicKey(identity); !errors.Is(err, group.ErrIdentity) {
		t.Fatalf("device identity: %v", err)
	}
	nonCanon := append([]byte{0xee}, bytes.Repeat([]byte{0xff}, 30)...) // y = p + 1 ≡ 1
	nonCanon = append(nonCanon, 0x7f)
	if _, err := DecodeDevicePublicKey(nonCanon); !errors.Is(err, group.ErrNonCanonical) {
		t.Fatalf("device non-canonical: %v", err)
	}
	if _, err := DecodeDevicePublicKey(make([]byte, 31)); !errors.Is(err, group.ErrMalformed) {
		t.Fatal("short device key")
	}
}
