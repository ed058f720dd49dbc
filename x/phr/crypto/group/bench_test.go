package group

import (
	"crypto/rand"
	"testing"
)

// Micro-benchmarks of the group operations the scheme is built from. The
// scheme's own benchmarks and the baselines are in tests/bench/crypto
// (make bench-crypto).

func BenchmarkBaseMul(b *testing.B) {
	s, _ := RandomScalar(rand.Reader)
	e := NewElement()
	for b.Loop() {
		e.BaseMul(s)
	}
}

func BenchmarkMul(b *testing.B) {
	s, _ := RandomScalar(rand.Reader)
	p := Generator()
	e := NewElement()
	for b.Loop() {
		e.Mul(p, s)
	}
}

func BenchmarkEncode(b *testing.B) {
	s, _ := RandomScalar(rand.Reader)
	p := new(Element).BaseMul(s)
	for b.Loop() {
		p.Bytes()
	}
}

func BenchmarkDecode(b *testing.B) {
	s, _ := RandomScalar(rand.Reader)
	p := new(Element).BaseMul(s).Bytes()
	for b.Loop() {
		if _, err := DecodeElement(p); err != nil {
			b.Fatal(err)
		}
	}
}
