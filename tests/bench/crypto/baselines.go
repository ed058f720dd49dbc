package cryptobench

import (
	"crypto/ed25519"
	cryptorand "crypto/rand"
	"fmt"
	"io"
	"strings"

	"github.com/cloudflare/circl/abe/cpabe/tkn20"
	"github.com/cloudflare/circl/hpke"
	"github.com/cloudflare/circl/kem"
)

// HPKESuite is the single-recipient floor: X25519, HKDF-SHA256, ChaCha20-Poly1305.
var HPKESuite = hpke.NewSuite(hpke.KEM_X25519_HKDF_SHA256, hpke.KDF_HKDF_SHA256, hpke.AEAD_ChaCha20Poly1305)

// HPKEInfo is the info string of the HPKE baseline.
var HPKEInfo = []byte("medexchain/bench/hpke-baseline")

// NewHPKERecipient draws an X25519 recipient key pair.
func NewHPKERecipient(rnd io.Reader) (kem.PublicKey, kem.PrivateKey, error) {
	sch := hpke.KEM_X25519_HKDF_SHA256.Scheme()
	seed := make([]byte, sch.SeedSize())
	if _, err := io.ReadFull(rnd, seed); err != nil {
		return nil, nil, err
	}
	pk, sk := sch.DeriveKeyPair(seed)
	return pk, sk, nil
}

// HPKESealSigned is the floor of signed public-key encryption: an Ed25519
// signature over the envelope bytes, then one HPKE base-mode seal of
// envelope‖signature to one recipient. It returns enc‖ciphertext.
func HPKESealSigned(rnd io.Reader, pkR kem.PublicKey, devKey ed25519.PrivateKey, envelope []byte) ([]byte, error) {
	sig := ed25519.Sign(devKey, envelope)
	msg := make([]byte, 0, len(envelope)+len(sig))
	msg = append(msg, envelope...)
	msg = append(msg, sig...)
	return HPKESeal(rnd, pkR, msg)
}

// HPKESeal seals msg (already signed) to pkR; it returns enc‖ciphertext.
func HPKESeal(rnd io.Reader, pkR kem.PublicKey, msg []byte) ([]byte, error) {
	snd, err := HPKESuite.NewSender(pkR, HPKEInfo)
	if err != nil {
		return nil, err
	}
	enc, sealer, err := snd.Setup(rnd)
	if err != nil {
		return nil, err
	}
	ct, err := sealer.Seal(msg, nil)
	if err != nil {
		return nil, err
	}
	return append(enc, ct...), nil
}

// HPKEOpen opens the output of HPKESeal.
func HPKEOpen(skR kem.PrivateKey, sealed []byte) ([]byte, error) {
	encLen := hpke.KEM_X25519_HKDF_SHA256.Scheme().CiphertextSize()
	if len(sealed) < encLen {
		return nil, fmt.Errorf("hpke: short")
	}
	rcv, err := HPKESuite.NewReceiver(skR, HPKEInfo)
	if err != nil {
		return nil, err
	}
	op, err := rcv.Setup(sealed[:encLen])
	if err != nil {
		return nil, err
	}
	return op.Open(sealed[encLen:], nil)
}

// TKN20AndPolicy returns an n-attribute AND policy "a0: v0 and a1: v1 and ...".
func TKN20AndPolicy(n int) (tkn20.Policy, tkn20.Attributes, error) {
	var b strings.Builder
	attrs := make(map[string]string, n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(" and ")
		}
		fmt.Fprintf(&b, "attr%d: val%d", i, i)
		attrs[fmt.Sprintf("attr%d", i)] = fmt.Sprintf("val%d", i)
	}
	var p tkn20.Policy
	if err := p.FromString(b.String()); err != nil {
		return p, tkn20.Attributes{}, err
	}
	var a tkn20.Attributes
	a.FromMap(attrs)
	return p, a, nil
}

func tkn20Setup() (tkn20.PublicKey, tkn20.SystemSecretKey, error) {
	return tkn20.Setup(cryptoRand)
}

var cryptoRand = cryptorand.Reader
