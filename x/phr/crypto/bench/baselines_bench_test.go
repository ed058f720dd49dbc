package bench

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
)

// benchEnvelope is the stand-in envelope for baselines; BenchmarkDevice*
// replace it with the real envelope when that lands.
func baselineEnvelope(b *testing.B) []byte {
	env := make([]byte, 2048)
	if _, err := rand.Read(env); err != nil {
		b.Fatal(err)
	}
	return env
}

func BenchmarkAFGHEncrypt(b *testing.B) {
	p := NewAFGHParams(false)
	k, _ := p.NewAFGHKey(rand.Reader)
	env := baselineEnvelope(b)
	for b.Loop() {
		if _, err := p.Encrypt2(rand.Reader, &k.PK1, env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAFGHEncryptFixedBase(b *testing.B) {
	p := NewAFGHParams(true)
	k, _ := p.NewAFGHKey(rand.Reader)
	env := baselineEnvelope(b)
	for b.Loop() {
		if _, err := p.Encrypt2(rand.Reader, &k.PK1, env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTKN20Encrypt5AND(b *testing.B) {
	pk, _, err := tkn20Setup()
	if err != nil {
		b.Fatal(err)
	}
	pol, _, err := TKN20AndPolicy(5)
	if err != nil {
		b.Fatal(err)
	}
	env := baselineEnvelope(b)
	for b.Loop() {
		if _, err := pk.Encrypt(rand.Reader, pol, env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHPKESealSigned(b *testing.B) {
	pk, _, _ := NewHPKERecipient(rand.Reader)
	_, dev, _ := ed25519.GenerateKey(rand.Reader)
	env := baselineEnvelope(b)
	for b.Loop() {
		if _, err := HPKESealSigned(rand.Reader, pk, dev, env); err != nil {
			b.Fatal(err)
		}
	}
}
