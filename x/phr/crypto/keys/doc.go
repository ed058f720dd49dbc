// Package keys holds the medexchain key pairs (docs/crypto.md §2), their
// canonical binary encodings with strict decoders. Key files (the secret
// encodings encrypted under a passphrase) are internal/keyfile's.
//
//	vault      a ∈ Z_q*, A = g^a (ristretto255), with a key epoch
//	requester  b ∈ Z_q*, B = g^b (ristretto255)
//	proxy      X25519 key pair for HPKE (X25519, HKDF-SHA256, ChaCha20-Poly1305)
//	device     Ed25519 key pair
//
// Public encodings (what goes on chain) are 32 bytes each. Secret encodings
// (only ever inside an encrypted key file) are
//
//	u8 kind ‖ fields
//
// with kind 1 vault (u64 epoch ‖ a), 2 requester (b), 3 proxy (X25519
// secret), 4 device (Ed25519 seed); 33 or 41 bytes. Decoders refuse wrong
// lengths, trailing bytes, non-canonical values, the identity and zero.
package keys

import "errors"

// Kind tags a secret key encoding.
type Kind uint8

// Secret key kinds.
const (
	KindVault     Kind = 1
	KindRequester Kind = 2
	KindProxy     Kind = 3
	KindDevice    Kind = 4
)

func (k Kind) String() string {
	switch k {
	case KindVault:
		return "vault"
	case KindRequester:
		return "requester"
	case KindProxy:
		return "proxy"
	case KindDevice:
		return "device"
	}
	return "unknown"
}

// Encoded sizes.
const (
	PublicKeySize       = 32 // every public key
	VaultSecretSize     = 1 + 8 + 32
	RequesterSecretSize = 1 + 32
	ProxySecretSize     = 1 + 32
	DeviceSecretSize    = 1 + 32
)

// ErrKind refuses a secret key encoding of another kind than expected.
var ErrKind = errors.New("medexchain/keys: wrong key kind")
