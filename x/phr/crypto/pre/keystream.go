package pre

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/sha512"

	"golang.org/x/crypto/chacha20"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// BodyKeySalt is the HKDF salt of body keys.
const BodyKeySalt = "medexchain/v1/body-key"

// BodyKey is K = HKDF-SHA-512(salt "medexchain/v1/body-key", ikm enc(M),
// info suite, 32 bytes). K depends on M only, so it survives every
// rerandomization of the capsule.
func BodyKey(M *group.Element) [32]byte {
	ikm := M.Bytes()
	defer clear(ikm)
	k, err := hkdf.Key(sha512.New, ikm, []byte(BodyKeySalt), group.Suite, 32)
	if err != nil {
		panic("medexchain/pre: hkdf: " + err.Error())
	}
	var K [32]byte
	copy(K[:], k)
	clear(k)
	return K
}

// unmask removes M's keystream from body in place (the body key of M),
// then erases M and the key: the step every decryptor runs per capsule.
func unmask(body []byte, M *group.Element) {
	K := BodyKey(M)
	M.Erase()
	XORKeystream(&K, body)
	clear(K[:])
}

// openEnvelope checks the device signature over the raw envelope before
// parsing it, and erases raw. Every failure is ErrDecrypt, so a decryptor's
// behaviour does not reveal which check failed.
func openEnvelope(raw []byte, device ed25519.PublicKey) (*envelope.Envelope, error) {
	env, err := envelope.Open(raw, device)
	clear(raw)
	if err != nil {
		return nil, ErrDecrypt
	}
	return env, nil
}

var zeroNonce [chacha20.NonceSize]byte

// XORKeystream XORs buf in place with the ChaCha20 (RFC 8439) keystream of
// key K, zero nonce, block counter 0. The zero nonce is safe because every K
// comes from a fresh uniform M and is used for one body only.
func XORKeystream(K *[32]byte, buf []byte) {
	c, err := chacha20.NewUnauthenticatedCipher(K[:], zeroNonce[:])
	if err != nil {
		panic("medexchain/pre: chacha20: " + err.Error())
	}
	c.XORKeyStream(buf, buf)
}
