package experiments

import (
	"testing"

	"github.com/medexchain/medexchain/testutil/subverted"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// (a) A device steers a keyed hash of its ciphertext bytes by rejection
// sampling of its randomness. After the edge firewall every decoder of the
// published record is at chance.
func TestExp3aRejectionSamplingEdgeFirewall(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xa1)
	cs := newCounters(len(publishedDecoderNames))
	var device subverted.Counter // what the device put in (before the firewall)
	for i := 0; i < nChance; i++ {
		r, tt := w.next(uint64(i))
		bit := w.bits.Next()
		ct, _, err := w.dev.RejectionSampling(r, bit)
		if err != nil {
			t.Fatal(err)
		}
		device.Add(subverted.DecodeCiphertext(w.dev.Key, ct.Capsules[0], ct.Body), bit)
		rec, err := w.edge(ct, w.gatewayMeta(tt))
		if err != nil {
			t.Fatal(err)
		}
		if i%1000 == 0 {
			w.mustOpen(t, rec.Ciphertext())
		}
		cs.add(publishedDecoders(w.dev.Key, rec), bit)
	}
	assertLeak(t, "3a_device_output_before_edge_firewall", device)
	for i, n := range publishedDecoderNames {
		assertChance(t, "3a_after_edge_firewall/"+n, cs[i])
	}
}

// (a) without any firewall the accomplice reads the bit from the device's
// output (what a naive gateway would publish).
func TestExp3aRejectionSamplingNoFirewall(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xa2)
	var c subverted.Counter
	for i := 0; i < nLeak; i++ {
		r, _ := w.next(uint64(i))
		bit := w.bits.Next()
		ct, _, err := w.dev.RejectionSampling(r, bit)
		if err != nil {
			t.Fatal(err)
		}
		if i%500 == 0 {
			w.mustOpen(t, ct)
		}
		c.Add(subverted.DecodeCiphertext(w.dev.Key, ct.Capsules[0], ct.Body), bit)
	}
	assertLeak(t, "3a_no_firewall", c)
}

// (a) with the chain firewall alone (no edge firewall: the device itself
// emits the two-capsule published form): the chain rerandomizes with
// s = H2S("chain-rerand", header hash, tx hash, …), which every reader of
// the chain recomputes, so the accomplice undoes it and decodes. Honest
// limit: the chain firewall is input sanitization, not exfiltration
// resistance.
func TestExp3aRejectionSamplingChainFirewallOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xa3)
	A := w.vault.Public().A
	var undone, naive subverted.Counter
	for i := 0; i < nLeak; i++ {
		r, _ := w.next(uint64(i))
		bit := w.bits.Next()
		ct, _, err := w.dev.RejectionSamplingPublished(r, bit)
		if err != nil {
			t.Fatal(err)
		}
		caps, err := crf.ValidatePublished([][]byte{ct.Capsules[0].Bytes(), ct.Capsules[1].Bytes()}, ct.Body)
		if err != nil {
			t.Fatalf("the chain refuses the device's record: %v", err)
		}
		hh, tx := blockHashes(i)
		stored := crf.ChainRerandomize(A, caps, hh, tx, 0)
		// what a reader sees without thinking
		naive.Add(subverted.KeyedBit(w.dev.Key, subverted.RecordDomain,
			(&pre.Ciphertext{Capsules: stored[:], Body: ct.Body}).Bytes()), bit)
		// the accomplice recomputes the public s and undoes it
		var orig []*pre.Capsule
		for ci, c := range stored {
			s := crf.ChainRerandScalar(hh, tx, 0, uint32(ci))
			neg := new(group.Scalar).Neg(s)
			orig = append(orig, c.Rerandomize(A, neg))
		}
		undoneCT := &pre.Ciphertext{Capsules: orig, Body: ct.Body}
		if i%500 == 0 {
			w.mustOpen(t, &pre.Ciphertext{Capsules: stored[:], Body: ct.Body})
		}
		undone.Add(subverted.KeyedBit(w.dev.Key, subverted.RecordDomain, undoneCT.Bytes()), bit)
	}
	figure(t, "3a_chain_firewall_only/stored_bytes_as_is", naive)
	assertLeak(t, "3a_chain_firewall_only/public_s_undone", undone)
}
