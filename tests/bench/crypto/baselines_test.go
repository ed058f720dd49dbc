package cryptobench

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"testing"
)

func TestAFGHRoundTrip(t *testing.T) {
	for _, fixed := range []bool{false, true} {
		p := NewAFGHParams(fixed)
		alice, err := p.NewAFGHKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		bob, err := p.NewAFGHKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		env := bytes.Repeat([]byte("envelope"), 256)
		c, err := p.Encrypt2(rand.Reader, &alice.PK1, env)
		if err != nil {
			t.Fatal(err)
		}
		got, err := p.Decrypt2(alice, c)
		if err != nil || !bytes.Equal(got, env) {
			t.Fatalf("fixed=%v: second-level decryption failed", fixed)
		}
		c1 := AFGHReEncrypt(AFGHReKey(alice, &bob.PK2), c)
		got, err = AFGHDecrypt1(bob, c1)
		if err != nil || !bytes.Equal(got, env) {
			t.Fatalf("fixed=%v: re-encrypted decryption failed", fixed)
		}
		if _, err := AFGHDecrypt1(alice, c1); err == nil {
			if got, _ := AFGHDecrypt1(alice, c1); bytes.Equal(got, env) {
				t.Fatal("wrong key decrypted")
			}
		}
	}
}

func TestFixedBaseMatchesExp(t *testing.T) {
	p := NewAFGHParams(true)
	q := NewAFGHParams(false)
	for i := 0; i < 4; i++ {
		var k = new(AFGHKey)
		if err := randNonZero(&k.SK, rand.Reader); err != nil {
			t.Fatal(err)
		}
		if !p.ExpZ(&k.SK).IsEqual(q.ExpZ(&k.SK)) {
			t.Fatal("fixed-base table disagrees with Gt.Exp")
		}
	}
}

func TestHPKERoundTrip(t *testing.T) {
	pk, sk, err := NewHPKERecipient(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, dev, _ := ed25519.GenerateKey(rand.Reader)
	env := bytes.Repeat([]byte{7}, 2048)
	ct, err := HPKESealSigned(rand.Reader, pk, dev, env)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := HPKEOpen(sk, ct)
	if err != nil || !bytes.Equal(pt[:len(env)], env) || !ed25519.Verify(dev.Public().(ed25519.PublicKey), env, pt[len(env):]) {
		t.Fatal("hpke round trip failed")
	}
}

func TestTKN20RoundTrip(t *testing.T) {
	pk, msk, err := tkn20Setup()
	if err != nil {
		t.Fatal(err)
	}
	pol, attrs, err := TKN20AndPolicy(5)
	if err != nil {
		t.Fatal(err)
	}
	ak, err := msk.KeyGen(rand.Reader, attrs)
	if err != nil {
		t.Fatal(err)
	}
	env := bytes.Repeat([]byte{9}, 2048)
	ct, err := pk.Encrypt(rand.Reader, pol, env)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := ak.Decrypt(ct)
	if err != nil || !bytes.Equal(pt, env) {
		t.Fatal("tkn20 round trip failed")
	}
}
