package cryptobench

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/medexchain/medexchain/testutil/cryptotest"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// BenchmarkDeviceEncrypt: the whole device path for a 1 KiB reading:
// envelope layout, Ed25519 signature, capsule (2 fixed-base + 1
// variable-base multiplication), HKDF, ChaCha20 keystream, and the wire
// encoding the device sends to its gateway.
func BenchmarkDeviceEncrypt(b *testing.B) {
	f := newFixture(b)
	vpk := f.vault.Public()
	var out []byte
	for b.Loop() {
		ct, err := pre.DeviceEncrypt(vpk, f.meta, f.payload, f.dev.Key, rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		out = ct.Bytes()
	}
	mb, err := envelope.MarshalMeta(f.meta)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(f.env)), "envelope-bytes")
	// version (2) + two length fields (8) + meta + signature (64); padding excluded
	b.ReportMetric(float64(2+4+len(mb)+4+envelope.SigSize), "envelope-overhead-bytes")
	b.ReportMetric(float64(len(f.env)-(2+4+len(mb)+4+envelope.SigSize)-len(f.payload)), "padding-bytes")
	b.ReportMetric(float64(len(out)-len(f.env)), "device-overhead-bytes")
}

// BenchmarkHPKESealSigned: the floor of signed public-key encryption: the
// same envelope, built and signed the same way, then one HPKE base-mode
// seal (X25519, HKDF-SHA256, ChaCha20-Poly1305) to one recipient.
func BenchmarkHPKESealSigned(b *testing.B) {
	f := newFixture(b)
	pk, sk, err := NewHPKERecipient(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	var out []byte
	for b.Loop() {
		env, err := envelope.Seal(f.meta, f.payload, f.dev.Key)
		if err != nil {
			b.Fatal(err)
		}
		if out, err = HPKESeal(rand.Reader, pk, env); err != nil {
			b.Fatal(err)
		}
	}
	if pt, err := HPKEOpen(sk, out); err != nil || !bytes.Equal(pt, f.env) {
		b.Fatal("hpke baseline does not round-trip")
	}
	b.ReportMetric(float64(len(out)-len(f.env)), "overhead-bytes")
}

// BenchmarkAFGHEncrypt: the same signed envelope, AFGH second-level
// encryption with circl's generic Gt.Exp (see afgh.go).
func BenchmarkAFGHEncrypt(b *testing.B) { benchAFGH(b, false) }

// BenchmarkAFGHEncryptFixedBase: as above with a precomputed fixed-base
// table for Z (the optimization a careful implementer would make).
func BenchmarkAFGHEncryptFixedBase(b *testing.B) { benchAFGH(b, true) }

func benchAFGH(b *testing.B, fixed bool) {
	f := newFixture(b)
	p := NewAFGHParams(fixed)
	k, err := p.NewAFGHKey(rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	var c *AFGHCiphertext2
	for b.Loop() {
		env, err := envelope.Seal(f.meta, f.payload, f.dev.Key)
		if err != nil {
			b.Fatal(err)
		}
		if c, err = p.Encrypt2(rand.Reader, &k.PK1, env); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(c.Size()-len(f.env)), "overhead-bytes")
}

// BenchmarkTKN20Encrypt5AND: the same signed envelope under circl's tkn20
// CP-ABE with a 5-attribute AND policy (tkn20 is itself hybrid: it
// encapsulates a key and encrypts the message symmetrically).
func BenchmarkTKN20Encrypt5AND(b *testing.B) {
	f := newFixture(b)
	pk, _, err := tkn20Setup()
	if err != nil {
		b.Fatal(err)
	}
	pol, _, err := TKN20AndPolicy(5)
	if err != nil {
		b.Fatal(err)
	}
	var ct []byte
	for b.Loop() {
		env, err := envelope.Seal(f.meta, f.payload, f.dev.Key)
		if err != nil {
			b.Fatal(err)
		}
		if ct, err = pk.Encrypt(rand.Reader, pol, env); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ct)-len(f.env)), "overhead-bytes")
}

// BenchmarkEdgeFirewall: the gateway on one device output: decode, check,
// rerandomize the device capsule, add the masking capsule and keystream,
// attach public metadata.
func BenchmarkEdgeFirewall(b *testing.B) {
	f := newFixture(b)
	vpk := f.vault.Public()
	var rec *crf.Record
	for b.Loop() {
		var err error
		if rec, err = crf.EdgeFirewall(vpk, f.devOut, f.pub, rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
	// capsule overhead: the published ciphertext (u8 n ‖ 2 capsules ‖ u32 len ‖ body) beyond the envelope
	b.ReportMetric(float64(len(rec.Ciphertext().Bytes())-len(f.env)), "overhead-bytes")
	b.ReportMetric(float64(recordBytes(rec)-len(f.env)), "record-overhead-bytes")
	b.ReportMetric(float64(recordBytes(rec)), "record-bytes")
	// everything published beyond the reading itself, padding included
	b.ReportMetric(float64(recordBytes(rec)-len(f.payload)), "reading-overhead-bytes")
}

// recordBytes is what a published record carries, without message
// framing: its public metadata (device id, vault, u64 epoch, u64 time,
// resource type), its two capsules and its body.
func recordBytes(rec *crf.Record) int {
	m := rec.Meta
	return len(m.DeviceID) + len(m.Vault) + 8 + 8 + len(m.ResourceType) + crf.NumCapsules*pre.CapsuleSize + len(rec.Body)
}

// BenchmarkChainRerandomize: the chain firewall's rerandomization of one
// published record's two capsules (H2S of s, 2 fixed-base + 2 variable-base
// multiplications).
func BenchmarkChainRerandomize(b *testing.B) {
	f := newFixture(b)
	A := f.vault.Public().A
	hh, tx := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	for b.Loop() {
		_ = crf.ChainRerandomize(A, f.rec.Capsules, hh, tx, 0)
	}
}

// BenchmarkChainValidate: the ante handler's stateless check of a record.
func BenchmarkChainValidate(b *testing.B) {
	f := newFixture(b)
	caps := f.rec.CapsuleBytes()
	for b.Loop() {
		if _, err := crf.ValidatePublished(caps, f.rec.Body); err != nil {
			b.Fatal(err)
		}
	}
}

var grantShapes = []struct{ t, n int }{{2, 3}, {3, 4}, {5, 7}}

// BenchmarkGrant: the patient builds a t-of-n grant: x, d, polynomial,
// Feldman commitments, n fragments sealed with HPKE.
func BenchmarkGrant(b *testing.B) {
	f := newFixture(b)
	for _, s := range grantShapes {
		b.Run(fmt.Sprintf("t%dn%d", s.t, s.n), func(b *testing.B) {
			c := newCommittee(b, f, s.t, s.n)
			var g *pre.Grant
			for b.Loop() {
				var err error
				if g, err = pre.CreateGrant(f.vault, grantCtx(), f.req.Public(), s.t, c.Proxies, rand.Reader); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(g.Bytes())), "grant-bytes")
			b.ReportMetric(float64(len(g.Fragments[0].Proxy)+1+len(g.Fragments[0].Sealed)), "fragment-bytes")
		})
	}
}

// BenchmarkProxyVerifyFragment: a proxy opens its sealed fragment (HPKE)
// and checks it against the Feldman commitments; once per grant.
func BenchmarkProxyVerifyFragment(b *testing.B) {
	f := newFixture(b)
	for _, s := range grantShapes {
		b.Run(fmt.Sprintf("t%dn%d", s.t, s.n), func(b *testing.B) {
			c := newCommittee(b, f, s.t, s.n)
			for b.Loop() {
				if _, err := pre.OpenFragment(c.Keys[0], chainID, grantID, c.Proxies[0].Address, c.Grant); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkProxyAnswer: one proxy answers one record's task: E_j^{k_i} for
// both capsules and one batch DLEQ proof.
func BenchmarkProxyAnswer(b *testing.B) {
	f := newFixture(b)
	c := newCommittee(b, f, 3, 4)
	E := cryptotest.CapsuleEs(f.rec.Capsules[:])
	actx := c.AnswerContext(0, taskID, recordID, len(E))
	var a *pre.Answer
	for b.Loop() {
		var err error
		if a, err = c.Frags[0].Answer(actx, E, rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(a.Bytes())), "answer-bytes")
}

// BenchmarkVerifyAnswer: one answer's batch DLEQ verification (both
// capsules) with the library's fast verifier, and with circl's
// dleq.Verifier.VerifyBatch for comparison.
func BenchmarkVerifyAnswer(b *testing.B) {
	f := newFixture(b)
	c := newCommittee(b, f, 3, 4)
	subs := submissions(b, c, f.rec)
	E := cryptotest.CapsuleEs(f.rec.Capsules[:])
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			if err := pre.VerifyAnswer(subs[0].Key, subs[0].Ctx, E, subs[0].Answer); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("circl", func(b *testing.B) {
		for b.Loop() {
			if err := cryptotest.VerifyAnswerCircl(subs[0].Key, subs[0].Ctx, E, subs[0].Answer); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCombineVerify: verify t answers for one record (both capsules)
// and combine them into E'_1, E'_2 (verification keys V_i computed once per
// grant, as the chain does; the "cold" variant recomputes them from the
// commitments).
func BenchmarkCombineVerify(b *testing.B) {
	f := newFixture(b)
	E := cryptotest.CapsuleEs(f.rec.Capsules[:])
	for _, t := range []int{2, 3, 5} {
		c := newCommittee(b, f, t, t+2)
		subs := submissions(b, c, f.rec)
		b.Run(fmt.Sprintf("t%d", t), func(b *testing.B) {
			var Ep any
			for b.Loop() {
				var err error
				if Ep, err = cryptotest.VerifyAndCombine(t, E, subs); err != nil {
					b.Fatal(err)
				}
			}
			_ = Ep
			b.ReportMetric(float64(len(E)*pre.FirstLevelSize), "share-bytes")
		})
		b.Run(fmt.Sprintf("t%d-cold", t), func(b *testing.B) {
			for b.Loop() {
				cold := make([]cryptotest.Submission, len(subs))
				for i, s := range subs {
					vk, err := pre.NewVerificationKey(c.Grant.Commitments, chainID, grantID, s.Ctx.Proxy)
					if err != nil {
						b.Fatal(err)
					}
					cold[i] = cryptotest.Submission{Key: vk, Ctx: s.Ctx, Answer: s.Answer}
				}
				if _, err := cryptotest.VerifyAndCombine(t, E, cold); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRequesterDeriveGrantKey: d from X^b and the check C_0^d = A;
// once per grant.
func BenchmarkRequesterDeriveGrantKey(b *testing.B) {
	f := newFixture(b)
	c := newCommittee(b, f, 3, 4)
	for b.Loop() {
		if _, err := pre.DeriveGrantKey(f.req, grantCtx(), f.vault.Public(), c.Grant); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRequesterDecrypt: the requester opens one shared record: two
// first-level capsules (A^r = E'^d, M = F/A^r, HKDF, keystream each), then
// the envelope signature and parsing.
func BenchmarkRequesterDecrypt(b *testing.B) {
	f := newFixture(b)
	c := newCommittee(b, f, 3, 4)
	gk, err := pre.DeriveGrantKey(f.req, grantCtx(), f.vault.Public(), c.Grant)
	if err != nil {
		b.Fatal(err)
	}
	fls := c.FirstLevel(b, f.rec.Capsules[:], taskID, recordID, rand.Reader)
	devPub := f.dev.Public().Key
	for b.Loop() {
		env, err := gk.Open(fls, f.rec.Body, devPub)
		if err != nil || len(env.Payload) != ReadingSize {
			b.Fatal("requester decrypt failed", err)
		}
	}
	b.ReportMetric(float64(2*pre.FirstLevelSize), "share-capsule-bytes")
}

// BenchmarkVaultDecrypt: the patient opens a published record with the
// vault key (two capsules, signature, parsing).
func BenchmarkVaultDecrypt(b *testing.B) {
	f := newFixture(b)
	devPub := f.dev.Public().Key
	ct := f.rec.Ciphertext()
	for b.Loop() {
		if _, err := pre.OpenOwner(f.vault, ct, devPub); err != nil {
			b.Fatal(err)
		}
	}
}
