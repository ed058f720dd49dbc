package experiments

import (
	"errors"
	"testing"

	"github.com/medexchain/medexchain/testutil/subverted"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
)

// (d) A device carries its bit in the number of capsules it emits (2 for
// bit 1). The edge firewall refuses anything but exactly one capsule
// (every bit-1 output is refused, which the gateway sees); the device falls
// back to an honest one-capsule output, and every published record has
// exactly two capsules: the count, and every other decoder, is at chance.
func TestExp3dCapsuleCount(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xd1)
	cs := newCounters(len(publishedDecoderNames))
	var count, noFW subverted.Counter
	refused, ones := 0, 0
	for i := 0; i < nChance; i++ {
		r, tt := w.next(uint64(i))
		bit := w.bits.Next()
		ones += int(bit)
		ct, err := w.dev.CapsuleCount(r, bit)
		if err != nil {
			t.Fatal(err)
		}
		noFW.Add(uint8(len(ct.Capsules)-1), bit)
		if i%1000 == 0 {
			w.mustOpen(t, ct) // two-capsule outputs are valid records too
		}
		rec, err := w.edge(ct, w.gatewayMeta(tt))
		if err != nil {
			if !errors.Is(err, crf.ErrDeviceOutput) || len(ct.Capsules) == 1 {
				t.Fatalf("record %d: unexpected firewall error %v", i, err)
			}
			refused++
			if ct, err = w.dev.Honest(r); err != nil {
				t.Fatal(err)
			}
			if rec, err = w.edge(ct, w.gatewayMeta(tt)); err != nil {
				t.Fatal(err)
			}
		}
		if len(rec.Capsules) != crf.NumCapsules {
			t.Fatalf("published record with %d capsules", len(rec.Capsules))
		}
		// accomplice's count decoder: more than the published two means 1
		count.Add(uint8(len(rec.Capsules)-crf.NumCapsules), bit)
		cs.add(publishedDecoders(w.dev.Key, rec), bit)
	}
	t.Logf("FIGURE 3d_refused_multi_capsule_outputs %d (bits equal to 1: %d)", refused, ones)
	if refused != ones {
		t.Errorf("firewall refused %d outputs, want exactly the %d two-capsule ones", refused, ones)
	}
	assertLeak(t, "3d_capsule_count_no_firewall", noFW)
	assertChance(t, "3d_after_edge_firewall/capsule_count", count)
	for i, n := range publishedDecoderNames {
		assertChance(t, "3d_after_edge_firewall/"+n, cs[i])
	}
}
