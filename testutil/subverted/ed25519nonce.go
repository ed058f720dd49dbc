package subverted

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha512"
	"errors"
	"io"
	"math/big"
)

// ed25519 group order L = 2^252 + 27742317777372353535851937790883648493.
var edL, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

func leInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}

func le32(x *big.Int) []byte {
	be := x.FillBytes(make([]byte, 32))
	out := make([]byte, 32)
	for i := range be {
		out[31-i] = be[i]
	}
	return out
}

func clampedScalar(seed []byte) *big.Int {
	h := sha512.Sum512(seed)
	h[0] &= 248
	h[31] &= 127
	h[31] |= 64
	return leInt(h[:32])
}

// SignWithNonceSeed produces an RFC 8032 Ed25519 signature of msg under priv
// whose nonce is r = clamp(SHA-512(nonceSeed)[:32]) instead of the
// deterministic RFC 8032 nonce. R = r·B is computed with crypto/ed25519
// itself (it is the public key of the seed nonceSeed), S = r + k·a mod L with
// k = SHA-512(R ‖ A ‖ msg). The signature verifies under ed25519.Verify
// exactly like an honest one; a verifier cannot tell the nonce was chosen.
// Variable-time big-integer arithmetic: a test model, not a signer.
func SignWithNonceSeed(priv ed25519.PrivateKey, msg, nonceSeed []byte) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize || len(nonceSeed) != ed25519.SeedSize {
		return nil, errors.New("subverted: bad key or nonce seed length")
	}
	a := clampedScalar(priv.Seed())
	pubA := priv.Public().(ed25519.PublicKey)
	R := ed25519.NewKeyFromSeed(nonceSeed).Public().(ed25519.PublicKey)
	r := clampedScalar(nonceSeed)
	h := sha512.New()
	h.Write(R)
	h.Write(pubA)
	h.Write(msg)
	k := new(big.Int).Mod(leInt(h.Sum(nil)), edL)
	S := new(big.Int).Mul(k, a)
	S.Add(S, r)
	S.Mod(S, edL)
	sig := make([]byte, 0, ed25519.SignatureSize)
	sig = append(sig, R...)
	sig = append(sig, le32(S)...)
	return sig, nil
}

// NonceDomain is the KeyedBit domain of the nonce channel.
const NonceDomain = "nonce-R"

// NonceSigner is a subverted Ed25519 signer: it draws nonces from Rand until
// the accomplice's keyed bit of R equals the bit it wants to send.
type NonceSigner struct {
	Priv  ed25519.PrivateKey
	Key   Key
	Rand  io.Reader
	Tries int
}

// Sign signs msg leaking bit through R. ok reports whether the bit was embedded.
func (s *NonceSigner) Sign(msg []byte, bit uint8) (sig []byte, ok bool, err error) {
	return Sample(s.Tries, bit, func() ([]byte, error) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := io.ReadFull(s.Rand, seed); err != nil {
			return nil, err
		}
		return SignWithNonceSeed(s.Priv, msg, seed)
	}, func(sig []byte) uint8 { return DecodeNonce(s.Key, sig) })
}

// DecodeNonce is the accomplice's decoder for a signature's R.
func DecodeNonce(k Key, sig []byte) uint8 {
	if len(sig) < 32 {
		return 0
	}
	return KeyedBit(k, NonceDomain, sig[:32])
}

// Signer returns a crypto.Signer that leaks bit through the nonce of the
// next signatures it makes (pure Ed25519: opts must be crypto.Hash(0)).
// Embedded reports, after Sign, whether the bit made it in.
func (s *NonceSigner) Signer(bit uint8) *BitSigner { return &BitSigner{s: s, bit: bit} }

// BitSigner is a crypto.Signer bound to one bit.
type BitSigner struct {
	s        *NonceSigner
	bit      uint8
	Embedded bool
}

// Public is the device's Ed25519 public key.
func (b *BitSigner) Public() crypto.PublicKey { return b.s.Priv.Public() }

// Sign implements crypto.Signer (the rand argument is ignored: the model
// uses its own reader so experiments are reproducible).
func (b *BitSigner) Sign(_ io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts.HashFunc() != crypto.Hash(0) {
		return nil, errors.New("subverted: only pure Ed25519")
	}
	sig, ok, err := b.s.Sign(msg, b.bit)
	b.Embedded = ok
	return sig, err
}
