package bench

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// interleave times two operations alternately inside one benchmark, so
// that load from other processes on a shared machine hits both alike and
// their ratio is stable. Each b.Loop iteration runs opA repsA times and
// opB repsB times (blocks of several, so that each runs with warm caches
// as it would on a device that does nothing else). It reports a-ns and b-ns (mean ns per operation) and
// ratio = a-ns / b-ns.
func interleave(b *testing.B, opA func() error, repsA int, opB func() error, repsB int) {
	// warm up both (lazy tables, first allocations) outside the accounting
	if err := opA(); err != nil {
		b.Fatal(err)
	}
	if err := opB(); err != nil {
		b.Fatal(err)
	}
	var ta, tb time.Duration
	var na, nb int
	for b.Loop() {
		s := time.Now()
		for i := 0; i < repsA; i++ {
			if err := opA(); err != nil {
				b.Fatal(err)
			}
		}
		ta += time.Since(s)
		na += repsA
		s = time.Now()
		for i := 0; i < repsB; i++ {
			if err := opB(); err != nil {
				b.Fatal(err)
			}
		}
		tb += time.Since(s)
		nb += repsB
	}
	a, c := float64(ta.Nanoseconds())/float64(na), float64(tb.Nanoseconds())/float64(nb)
	b.ReportMetric(a, "a-ns")
	b.ReportMetric(c, "b-ns")
	b.ReportMetric(a/c, "ratio")
}

// BenchmarkRatio measures the headline ratios of issue 3 with the two
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
