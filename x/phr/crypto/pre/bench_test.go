package pre_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// Quick benchmarks of the hot paths, for development. The reported figures
// (ratios against baselines, one run) come from x/phr/crypto/bench.

func BenchmarkDeviceEncrypt1KiB(b *testing.B) {
	w := newWorld(b, 1, 0, 0)
	payload := bytes.Repeat([]byte{'a'}, 1024)
	vp := w.vault.Public()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := pre.DeviceEncrypt(vp, w.meta(1), payload, w.device.Key, rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}

// The floor of signed public-key encryption: Ed25519 over the envelope and
// one HPKE base-mode seal of it (same suite as the proxies' keys).
func BenchmarkHPKESealSigned1KiB(b *testing.B) {
	w := newWorld(b, 1, 0, 0)
	env, _ := envelope.Seal(w.meta(1), bytes.Repeat([]byte{'a'}, 1024), w.device.Key)
	psk, _ := keys.GenerateProxyKey(rand.Reader)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sig := ed25519.Sign(w.device.Key, env)
		snd, _ := keys.ProxyHPKE.NewSender(psk.Public().KEM(), nil)
		_, sealer, _ := snd.Setup(rand.Reader)
		if _, err := sealer.Seal(append(append([]byte(nil), env...), sig...), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyCombine3(b *testing.B) {
	w := newWorld(b, 2, 3, 5)
	ct, _ := w.encrypt(1, 100, 1)
	E := ct.Capsules[0].E
	var subs []pre.Submission
	for _, i := range []int{4, 1, 2} {
		ctx := w.actx(i, 1, 1, 0)
		a, _ := w.fragment(i).Answer(ctx, E, rand.Reader)
		subs = append(subs, pre.Submission{Key: w.vk(i), Ctx: ctx, Answer: a})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := pre.VerifyAndCombine(3, E, subs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBaseMul(b *testing.B) {
	s, _ := group.RandomScalar(rand.Reader)
	e := group.NewElement()
	for i := 0; i < b.N; i++ {
		e.BaseMul(s)
	}
}

func BenchmarkMul(b *testing.B) {
	s, _ := group.RandomScalar(rand.Reader)
	p := group.Generator()
	e := group.NewElement()
	for i := 0; i < b.N; i++ {
		e.Mul(p, s)
	}
}

func BenchmarkEncode(b *testing.B) {
	s, _ := group.RandomScalar(rand.Reader)
	p := new(group.Element).BaseMul(s)
	for i := 0; i < b.N; i++ {
		p.Bytes()
	}
}

func BenchmarkDecode(b *testing.B) {
	s, _ := group.RandomScalar(rand.Reader)
	p := new(group.Element).BaseMul(s).Bytes()
	for i := 0; i < b.N; i++ {
		group.DecodeElement(p)
	}
}
