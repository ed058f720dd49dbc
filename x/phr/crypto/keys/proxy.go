package keys

import (
	"bytes"
	"fmt"
	"io"

	"github.com/cloudflare/circl/dh/x25519"
	"github.com/cloudflare/circl/hpke"
	"github.com/cloudflare/circl/kem"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// ProxyKEM is the proxies' HPKE KEM; ProxyHPKE the full HPKE suite
// (X25519, HKDF-SHA256, ChaCha20-Poly1305, RFC 9180 base mode).
var (
	ProxyKEM  = hpke.KEM_X25519_HKDF_SHA256
	ProxyHPKE = hpke.NewSuite(hpke.KEM_X25519_HKDF_SHA256, hpke.KDF_HKDF_SHA256, hpke.AEAD_ChaCha20Poly1305)
)

// ProxyPublicKey is an X25519 public key (32 bytes).
type ProxyPublicKey struct{ pk kem.PublicKey }

// ProxySecretKey is an X25519 key pair for receiving key fragments.
type ProxySecretKey struct {
	sk  kem.PrivateKey
	raw []byte
}

// GenerateProxyKey draws a fresh proxy key (32 bytes from rnd; X25519
// clamps them).
func GenerateProxyKey(rnd io.Reader) (*ProxySecretKey, error) {
	raw := make([]byte, 32)
	if _, err := io.ReadFull(rnd, raw); err != nil {
		return nil, fmt.Errorf("medexchain/keys: randomness: %w", err)
	}
	return proxyFromRaw(raw)
}

func proxyFromRaw(raw []byte) (*ProxySecretKey, error) {
	if bytes.Equal(raw, make([]byte, 32)) {
		return nil, fmt.Errorf("proxy secret key: %w", group.ErrZeroScalar)
	}
	sk, err := ProxyKEM.Scheme().UnmarshalBinaryPrivateKey(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: proxy secret key", group.ErrMalformed)
	}
	return &ProxySecretKey{sk: sk, raw: raw}, nil
}

// Public returns the public key.
func (k *ProxySecretKey) Public() *ProxyPublicKey { return &ProxyPublicKey{pk: k.sk.Public()} }

// KEM returns the HPKE private key.
func (k *ProxySecretKey) KEM() kem.PrivateKey { return k.sk }

// Erase clears this copy of the secret (circl keeps its own copy inside the
// kem.PrivateKey, which Go cannot reach).
func (k *ProxySecretKey) Erase() { clear(k.raw) }

// MarshalBinary encodes u8 kind ‖ X25519 secret (33 bytes).
func (k *ProxySecretKey) MarshalBinary() ([]byte, error) {
	return append([]byte{uint8(KindProxy)}, k.raw...), nil
}

// UnmarshalProxySecret decodes a proxy secret key strictly.
func UnmarshalProxySecret(b []byte) (*ProxySecretKey, error) {
	if len(b) != ProxySecretSize {
		return nil, fmt.Errorf("%w: proxy secret key length", group.ErrMalformed)
	}
	if Kind(b[0]) != KindProxy {
		return nil, ErrKind
	}
	return proxyFromRaw(append([]byte(nil), b[1:]...))
}

// KEM returns the HPKE public key.
func (p *ProxyPublicKey) KEM() kem.PublicKey { return p.pk }

// Bytes is the 32-byte X25519 public key.
func (p *ProxyPublicKey) Bytes() []byte {
	b, _ := p.pk.MarshalBinary()
	return b
}

// DecodeProxyPublicKey decodes an X25519 public key strictly: 32 bytes, the
// canonical encoding of u < 2^255−19 (top bit clear), and not of small order
// (small-order keys make every shared secret all-zero, which HPKE would
// refuse only at sealing time).
func DecodeProxyPublicKey(b []byte) (*ProxyPublicKey, error) {
	if len(b) != 32 {
		return nil, fmt.Errorf("%w: proxy public key length", group.ErrMalformed)
	}
	if !canonicalX25519(b) {
		return nil, fmt.Errorf("proxy public key: %w", group.ErrNonCanonical)
	}
	var pub, out x25519.Key
	copy(pub[:], b)
	if !x25519.Shared(&out, &probeScalar, &pub) {
		return nil, fmt.Errorf("proxy public key: %w (small order)", group.ErrIdentity)
	}
	pk, err := ProxyKEM.Scheme().UnmarshalBinaryPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("%w: proxy public key", group.ErrMalformed)
	}
	return &ProxyPublicKey{pk: pk}, nil
}

// probeScalar is any fixed scalar: X25519(probe, P) is all-zero exactly when
// P has small order (clamping makes the scalar a multiple of the cofactor).
var probeScalar = x25519.Key{9}

// canonicalX25519 reports u < p = 2^255 − 19 with the top bit clear.
func canonicalX25519(b []byte) bool {
	if b[31]&0x80 != 0 {
		return false
	}
	if b[31] != 0x7f {
		return true
	}
	for i := 30; i >= 1; i-- {
		if b[i] != 0xff {
			return true
		}
	}
	return b[0] < 0xed
}
