package keys

import (
	"fmt"
	"io"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/wire"
)

// VaultPublicKey is A = g^a for one vault epoch. Its encoding is the 32-byte
// element; the epoch lives in chain state next to it.
type VaultPublicKey struct{ A *group.Element }

// VaultSecretKey is a vault key pair of one epoch.
type VaultSecretKey struct {
	Epoch uint64
	a     *group.Scalar
	pub   *group.Element
}

// GenerateVaultKey draws a fresh vault key for epoch.
func GenerateVaultKey(epoch uint64, rnd io.Reader) (*VaultSecretKey, error) {
	a, err := group.RandomScalar(rnd)
	if err != nil {
		return nil, err
	}
	return &VaultSecretKey{Epoch: epoch, a: a, pub: new(group.Element).BaseMul(a)}, nil
}

// Public returns the public key.
func (k *VaultSecretKey) Public() *VaultPublicKey { return &VaultPublicKey{A: k.pub.Copy()} }

// Scalar returns the secret a (shared, do not modify). For package pre.
func (k *VaultSecretKey) Scalar() *group.Scalar { return k.a }

// Erase clears the secret.
func (k *VaultSecretKey) Erase() { k.a.Erase() }

// MarshalBinary encodes u8 kind ‖ u64 epoch ‖ a (41 bytes).
func (k *VaultSecretKey) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, VaultSecretSize)
	b = wire.AppendU8(b, uint8(KindVault))
	b = wire.AppendU64(b, k.Epoch)
	return append(b, k.a.Bytes()...), nil
}

// UnmarshalVaultSecret decodes a vault secret key strictly.
func UnmarshalVaultSecret(b []byte) (*VaultSecretKey, error) {
	if len(b) != VaultSecretSize {
		return nil, fmt.Errorf("%w: vault secret key length", group.ErrMalformed)
	}
	if Kind(b[0]) != KindVault {
		return nil, ErrKind
	}
	r := wire.NewReader(b[1:])
	epoch := r.U64()
	a, err := group.DecodeScalar(r.Bytes(group.ScalarSize))
	if err != nil {
		return nil, fmt.Errorf("vault secret key: %w", err)
	}
	return &VaultSecretKey{Epoch: epoch, a: a, pub: new(group.Element).BaseMul(a)}, nil
}

// Bytes is the 32-byte encoding of A.
func (p *VaultPublicKey) Bytes() []byte { return p.A.Bytes() }

// DecodeVaultPublicKey decodes A strictly (canonical, not the identity).
func DecodeVaultPublicKey(b []byte) (*VaultPublicKey, error) {
	A, err := group.DecodeElement(b)
	if err != nil {
		return nil, fmt.Errorf("vault public key: %w", err)
	}
	return &VaultPublicKey{A: A}, nil
}

// RequesterPublicKey is B = g^b.
type RequesterPublicKey struct{ B *group.Element }

// RequesterSecretKey is a requester key pair.
type RequesterSecretKey struct {
	b   *group.Scalar
	pub *group.Element
}

// GenerateRequesterKey draws a fresh requester key.
func GenerateRequesterKey(rnd io.Reader) (*RequesterSecretKey, error) {
	b, err := group.RandomScalar(rnd)
	if err != nil {
		return nil, err
	}
	return &RequesterSecretKey{b: b, pub: new(group.Element).BaseMul(b)}, nil
}

// Public returns the public key.
func (k *RequesterSecretKey) Public() *RequesterPublicKey {
	return &RequesterPublicKey{B: k.pub.Copy()}
}

// Scalar returns the secret b (shared, do not modify). For package pre.
func (k *RequesterSecretKey) Scalar() *group.Scalar { return k.b }

// Erase clears the secret.
func (k *RequesterSecretKey) Erase() { k.b.Erase() }

// MarshalBinary encodes u8 kind ‖ b (33 bytes).
func (k *RequesterSecretKey) MarshalBinary() ([]byte, error) {
	return append([]byte{uint8(KindRequester)}, k.b.Bytes()...), nil
}

// UnmarshalRequesterSecret decodes a requester secret key strictly.
func UnmarshalRequesterSecret(b []byte) (*RequesterSecretKey, error) {
	if len(b) != RequesterSecretSize {
		return nil, fmt.Errorf("%w: requester secret key length", group.ErrMalformed)
	}
	if Kind(b[0]) != KindRequester {
		return nil, ErrKind
	}
	s, err := group.DecodeScalar(b[1:])
	if err != nil {
		return nil, fmt.Errorf("requester secret key: %w", err)
	}
	return &RequesterSecretKey{b: s, pub: new(group.Element).BaseMul(s)}, nil
}

// Bytes is the 32-byte encoding of B.
func (p *RequesterPublicKey) Bytes() []byte { return p.B.Bytes() }

// DecodeRequesterPublicKey decodes B strictly.
func DecodeRequesterPublicKey(b []byte) (*RequesterPublicKey, error) {
	B, err := group.DecodeElement(b)
	if err != nil {
		return nil, fmt.Errorf("requester public key: %w", err)
	}
	return &RequesterPublicKey{B: B}, nil
}
