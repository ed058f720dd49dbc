package subverted

import (
	"crypto/ed25519"
	"io"
	"testing"
	"time"
)

func TestNonceSignerProducesValidSignatures(t *testing.T) {
	rnd := SeededReader(1, 1)
	pub, priv, err := ed25519.GenerateKey(rnd)
	if err != nil {
		t.Fatal(err)
	}
	var k Key
	k[0] = 7
	s := &NonceSigner{Priv: priv, Key: k, Rand: rnd, Tries: 8}
	bits := NewBits(3)
	var c Counter
	for i := 0; i < 200; i++ {
		msg := []byte{byte(i), 1, 2, 3}
		b := bits.Next()
		sig, _, err := s.Sign(msg, b)
		if err != nil {
			t.Fatal(err)
		}
		if !ed25519.Verify(pub, msg, sig) {
			t.Fatalf("record %d: chosen-nonce signature does not verify", i)
		}
		c.Add(DecodeNonce(k, sig), b)
	}
	if c.Rate() < 0.95 {
		t.Fatalf("nonce channel leaks only %.3f", c.Rate())
	}
}

func TestSeededReaderDeterministic(t *testing.T) {
	a, b := make([]byte, 64), make([]byte, 64)
	mustRead(t, SeededReader(5, 9), a)
	mustRead(t, SeededReader(5, 9), b)
	if string(a) != string(b) {
		t.Fatal("seeded reader not deterministic")
	}
	mustRead(t, SeededReader(5, 10), b)
	if string(a) == string(b) {
		t.Fatal("streams collide")
	}
}

func TestFHIRReadingSize(t *testing.T) {
	for _, n := range []int{512, 1024, 4000} {
		if got := len(FHIRReading(n, 7, time.Unix(1700000000, 0), 0)); got != n {
			t.Fatalf("reading %d bytes, want %d", got, n)
		}
		if got := len(FHIRReading(n, 7, time.Unix(1700000000, 0), 5)); got != n+5 {
			t.Fatalf("reading %d bytes, want %d", got, n)
		}
	}
}

func mustRead(t *testing.T, r io.Reader, b []byte) {
	t.Helper()
	if _, err := io.ReadFull(r, b); err != nil {
		t.Fatal(err)
	}
}
