package keys

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"filippo.io/edwards25519"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// DevicePublicKey is an Ed25519 public key.
type DevicePublicKey struct{ Key ed25519.PublicKey }

// DeviceSecretKey is an Ed25519 key pair. Key implements crypto.Signer and
// is what envelope.Seal takes.
type DeviceSecretKey struct{ Key ed25519.PrivateKey }

// GenerateDeviceKey draws a fresh device key (32-byte seed from rnd).
func GenerateDeviceKey(rnd io.Reader) (*DeviceSecretKey, error) {
	seed := make([]byte, ed25519.SeedSize)
	defer clear(seed)
	if _, err := io.ReadFull(rnd, seed); err != nil {
		return nil, fmt.Errorf("medexchain/keys: randomness: %w", err)
	}
	return &DeviceSecretKey{Key: ed25519.NewKeyFromSeed(seed)}, nil
}

// Public returns the public key.
func (k *DeviceSecretKey) Public() *DevicePublicKey {
	return &DevicePublicKey{Key: k.Key.Public().(ed25519.PublicKey)}
}

// Erase clears the secret.
func (k *DeviceSecretKey) Erase() { clear(k.Key) }

// MarshalBinary encodes u8 kind ‖ Ed25519 seed (33 bytes).
func (k *DeviceSecretKey) MarshalBinary() ([]byte, error) {
	return append([]byte{uint8(KindDevice)}, k.Key.Seed()...), nil
}

// UnmarshalDeviceSecret decodes a device secret key.
func UnmarshalDeviceSecret(b []byte) (*DeviceSecretKey, error) {
	if len(b) != DeviceSecretSize {
		return nil, fmt.Errorf("%w: device secret key length", group.ErrMalformed)
	}
	if Kind(b[0]) != KindDevice {
		return nil, ErrKind
	}
	return &DeviceSecretKey{Key: ed25519.NewKeyFromSeed(b[1:])}, nil
}

// Bytes is the 32-byte Ed25519 public key.
func (p *DevicePublicKey) Bytes() []byte { return append([]byte(nil), p.Key...) }

// DecodeDevicePublicKey decodes an Ed25519 public key strictly: 32 bytes, a
// canonical encoding of a curve point, not of small order (crypto/ed25519
// accepts non-canonical and small-order keys, with which signatures can be
// made to verify for many messages).
func DecodeDevicePublicKey(b []byte) (*DevicePublicKey, error) {
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w: device public key length", group.ErrMalformed)
	}
	p, err := new(edwards25519.Point).SetBytes(b)
	if err != nil || string(p.Bytes()) != string(b) {
		return nil, fmt.Errorf("device public key: %w", group.ErrNonCanonical)
	}
	if new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
		return nil, fmt.Errorf("device public key: %w (small order)", group.ErrIdentity)
	}
	return &DevicePublicKey{Key: ed25519.PublicKey(append([]byte(nil), b...))}, nil
}
