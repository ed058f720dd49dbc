package pre

import (
	"crypto"
	"fmt"
	"io"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// DeviceEncrypt is the whole device path (docs/crypto.md §3.2): lay out and
// sign the envelope, then encrypt it under the vault key with one capsule.
// Cost: 2 fixed-base and 1 variable-base multiplication, one HKDF, one
// keystream, one signature. rnd supplies m and r (crypto/rand in
// production); signer is the device's Ed25519 key (any crypto.Signer
// producing Ed25519 signatures).
func DeviceEncrypt(vault *keys.VaultPublicKey, meta *envelope.Meta, payload []byte, signer crypto.Signer, rnd io.Reader) (*Ciphertext, error) {
	env, err := envelope.Seal(meta, payload, signer)
	if err != nil {
		return nil, err
	}
	return Seal(vault, env, rnd)
}

// Seal encrypts a signed envelope (bucket-sized) under the vault key with
// one fresh capsule. The envelope is copied, not modified.
func Seal(vault *keys.VaultPublicKey, env []byte, rnd io.Reader) (*Ciphertext, error) {
	if !envelope.IsBucket(len(env)) {
		return nil, fmt.Errorf("seal: %w: envelope size %d is not a bucket", group.ErrMalformed, len(env))
	}
	m, err := group.RandomScalar(rnd)
	if err != nil {
		return nil, err
	}
	defer m.Erase()
	r, err := group.RandomScalar(rnd)
	if err != nil {
		return nil, err
	}
	defer r.Erase()
	M := new(group.Element).BaseMul(m)
	defer M.Erase()
	return sealWith(vault, env, M, r)
}

// sealWith is Seal with explicit M and r (Seal draws them; tests reach it
// through export_test.go).
func sealWith(vault *keys.VaultPublicKey, env []byte, M *group.Element, r *group.Scalar) (*Ciphertext, error) {
	if !envelope.IsBucket(len(env)) {
		return nil, fmt.Errorf("seal: %w: envelope size %d is not a bucket", group.ErrMalformed, len(env))
	}
	c, K := Encapsulate(vault.A, M, r)
	defer clear(K[:])
	body := append([]byte(nil), env...)
	XORKeystream(&K, body)
	return &Ciphertext{Capsules: []*Capsule{c}, Body: body}, nil
}

// Encapsulate returns the capsule (g^r, M·A^r) and the body key of M.
func Encapsulate(A *group.Element, M *group.Element, r *group.Scalar) (*Capsule, [32]byte) {
	E := new(group.Element).BaseMul(r)
	F := new(group.Element).Mul(A, r)
	F.Add(F, M)
	return &Capsule{E: E, F: F}, BodyKey(M)
}

// AddLayer adds one capsule for a fresh M' and XORs the body with its
// keystream, in place. The edge firewall uses it for its masking layer;
// tests use it to build records of several layers.
func AddLayer(ct *Ciphertext, vault *keys.VaultPublicKey, rnd io.Reader) error {
	if len(ct.Capsules) >= MaxCapsules {
		return fmt.Errorf("add layer: %w: too many capsules", group.ErrMalformed)
	}
	m, err := group.RandomScalar(rnd)
	if err != nil {
		return err
	}
	defer m.Erase()
	r, err := group.RandomScalar(rnd)
	if err != nil {
		return err
	}
	defer r.Erase()
	Mp := new(group.Element).BaseMul(m)
	defer Mp.Erase()
	c, K := Encapsulate(vault.A, Mp, r)
	defer clear(K[:])
	XORKeystream(&K, ct.Body)
	ct.Capsules = append(ct.Capsules, c)
	return nil
}
