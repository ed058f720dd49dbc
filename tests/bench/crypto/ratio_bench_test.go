package cryptobench

import (
	"crypto/rand"
	"slices"
	"testing"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// interleave times two operations alternately inside one benchmark, so
// that load from other processes on a shared machine hits both alike and
// their ratio is stable. Each b.Loop iteration runs opA repsA times and
// opB repsB times (blocks of several, so that each runs with warm caches
// as it would on a device that does nothing else). It reports a-ns and
// b-ns, the median over blocks of the time per operation (a block hit by
// preemption is an outlier the median ignores), and ratio = a-ns / b-ns.
func interleave(b *testing.B, opA func() error, repsA int, opB func() error, repsB int) {
	// warm up both (lazy tables, first allocations) outside the accounting
	if err := opA(); err != nil {
		b.Fatal(err)
	}
	if err := opB(); err != nil {
		b.Fatal(err)
	}
	block := func(op func() error, reps int) float64 {
		s := time.Now()
		for i := 0; i < reps; i++ {
			if err := op(); err != nil {
				b.Fatal(err)
			}
		}
		return float64(time.Since(s).Nanoseconds()) / float64(reps)
	}
	var ta, tb []float64
	for b.Loop() {
		ta = append(ta, block(opA, repsA))
		tb = append(tb, block(opB, repsB))
	}
	a, c := median(ta), median(tb)
	b.ReportMetric(a, "a-ns")
	b.ReportMetric(c, "b-ns")
	b.ReportMetric(a/c, "ratio")
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// BenchmarkRatio measures the headline ratios with the two
// operations interleaved (a ÷ b). Every operation includes building and
// signing the same envelope of a 1 KiB reading.
func BenchmarkRatio(b *testing.B) {
	f := newFixture(b)
	vpk := f.vault.Public()
	device := func() error {
		ct, err := pre.DeviceEncrypt(vpk, f.meta, f.payload, f.dev.Key, rand.Reader)
		if err == nil {
			_ = ct.Bytes()
		}
		return err
	}
	hpk, _, err := NewHPKERecipient(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	hpkeSeal := func() error {
		env, err := envelope.Seal(f.meta, f.payload, f.dev.Key)
		if err != nil {
			return err
		}
		_, err = HPKESeal(rand.Reader, hpk, env)
		return err
	}
	afgh := func(p *AFGHParams) func() error {
		k, err := p.NewAFGHKey(rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		return func() error {
			env, err := envelope.Seal(f.meta, f.payload, f.dev.Key)
			if err != nil {
				return err
			}
			_, err = p.Encrypt2(rand.Reader, &k.PK1, env)
			return err
		}
	}
	tpk, _, err := tkn20Setup()
	if err != nil {
		b.Fatal(err)
	}
	pol, _, err := TKN20AndPolicy(5)
	if err != nil {
		b.Fatal(err)
	}
	tkn := func() error {
		env, err := envelope.Seal(f.meta, f.payload, f.dev.Key)
		if err != nil {
			return err
		}
		_, err = tpk.Encrypt(rand.Reader, pol, env)
		return err
	}
	b.Run("device_vs_hpke", func(b *testing.B) { interleave(b, device, 8, hpkeSeal, 8) })
	b.Run("afgh_vs_device", func(b *testing.B) { interleave(b, afgh(NewAFGHParams(false)), 1, device, 8) })
	b.Run("afgh_fixedbase_vs_device", func(b *testing.B) { interleave(b, afgh(NewAFGHParams(true)), 1, device, 8) })
	b.Run("tkn20_vs_device", func(b *testing.B) { interleave(b, tkn, 1, device, 40) })
}

// BenchmarkAFGHParts: the parts of an AFGH encryption, to explain its cost
// (one variable-base G1 multiplication, two Gt exponentiations of the fixed
// base Z, one Gt multiplication, the DEM).
func BenchmarkAFGHParts(b *testing.B) {
	p := NewAFGHParams(false)
	pf := NewAFGHParams(true)
	k, err := p.NewAFGHKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	var s AFGHKey
	if err := randNonZero(&s.SK, rand.Reader); err != nil {
		b.Fatal(err)
	}
	b.Run("g1_mul", func(b *testing.B) {
		for b.Loop() {
			s.PK1.ScalarMult(&s.SK, &k.PK1)
		}
	})
	b.Run("gt_exp", func(b *testing.B) {
		for b.Loop() {
			_ = p.ExpZ(&s.SK)
		}
	})
	b.Run("gt_exp_fixedbase", func(b *testing.B) {
		for b.Loop() {
			_ = pf.ExpZ(&s.SK)
		}
	})
	z := *p.Z
	b.Run("gt_mul", func(b *testing.B) {
		for b.Loop() {
			z.Mul(&z, p.Z)
		}
	})
}
