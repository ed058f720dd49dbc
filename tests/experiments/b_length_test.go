package experiments

import (
	"errors"
	"math"
	"testing"

	"github.com/medexchain/medexchain/testutil/subverted"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
)

// (b) A device carries its bit in its body length, any way the edge
// firewall lets through short of choosing a bucket: first it tries the
// exact length (an unpadded envelope, length + bit): the firewall refuses
// every such output (non-bucket body); the device then falls back to
// carrying the bit inside the bucket (bit·200 bytes of JSON whitespace in
// the payload). Every published body is the honest bucket, so the length
// and every other decoder are at chance. The refusals are visible to the
// gateway: an honest device never produces one.
func TestExp3bBodyLengthEdgeFirewall(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xb1)
	cs := newCounters(len(publishedDecoderNames))
	var unpaddedNoFW subverted.Counter
	refused := 0
	for i := 0; i < nChance; i++ {
		r, tt := w.next(uint64(i))
		bit := w.bits.Next()
		ct, err := w.dev.UnpaddedLength(r, bit)
		if err != nil {
			t.Fatal(err)
		}
		// without a firewall the accomplice reads the exact length
		unpaddedNoFW.Add(uint8(len(ct.Body)-unpaddedLen(r)), bit)
		if _, err := w.edge(ct, w.gatewayMeta(tt)); !errors.Is(err, crf.ErrDeviceOutput) {
			t.Fatalf("record %d: edge firewall accepted a %d-byte body (err %v)", i, len(ct.Body), err)
		}
		refused++
		ct, err = w.dev.WhitespaceLength(r, bit, 200)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := w.edge(ct, w.gatewayMeta(tt))
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Body) != honestBucket {
			t.Fatalf("record %d: published body %d bytes, want the honest bucket %d", i, len(rec.Body), honestBucket)
		}
		if i%1000 == 0 {
			w.mustOpen(t, rec.Ciphertext())
		}
		cs.add(publishedDecoders(w.dev.Key, rec), bit)
	}
	t.Logf("FIGURE 3b_refused_unpadded_outputs %d/%d", refused, nChance)
	assertLeak(t, "3b_unpadded_length_no_firewall", unpaddedNoFW)
	for i, n := range publishedDecoderNames {
		assertChance(t, "3b_after_edge_firewall/"+n, cs[i])
	}
}

// unpaddedLen is the unpadded envelope length of r, which the accomplice
// knows for a reading of known shape.
func unpaddedLen(r subverted.Reading) int {
	mb, _ := envelope.MarshalMeta(r.Meta)
	return 2 + 4 + len(mb) + 4 + len(r.Payload) + envelope.SigSize
}

// (b) Honest limit: the choice of bucket. A device that pads a reading into
// the next bucket up produces a valid record the firewall cannot refuse
// (a longer reading looks the same), so the published length carries its
// bit. The design bounds this channel by log2(number of buckets) bits per
// record: every published length is one of envelope.Buckets.
func TestExp3bBucketChoiceLeaks(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xb2)
	var c subverted.Counter
	lengths := map[int]int{}
	for i := 0; i < nLeak; i++ {
		r, tt := w.next(uint64(i))
		bit := w.bits.Next()
		ct, err := w.dev.BucketChoice(r, bit)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := w.edge(ct, w.gatewayMeta(tt))
		if err != nil {
			t.Fatal(err)
		}
		if i%500 == 0 {
			w.mustOpen(t, rec.Ciphertext())
		}
		lengths[len(rec.Body)]++
		c.Add(subverted.DecodeLength(honestBucket, len(rec.Body)), bit)
	}
	for l := range lengths {
		if !envelope.IsBucket(l) {
			t.Errorf("published body of %d bytes is not a bucket", l)
		}
	}
	t.Logf("FIGURE 3b_bucket_channel_capacity_bound %.2f bits/record (log2 %d buckets)", math.Log2(float64(len(envelope.Buckets))), len(envelope.Buckets))
	assertLeak(t, "3b_bucket_choice_after_edge_firewall", c)
}

// (b) Honest limit: selective failure. A device that sends an unpadded
// body for bit 1 and an honest one for bit 0, and never retries, has its
// bit-1 records refused; an accomplice who knows the reading schedule reads
// the bit from the gaps. The gateway sees every refusal (an honest device
// never causes one), so the device is caught at its first 1 bit.
func TestExp3bSelectiveFailure(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xb3)
	var gaps subverted.Counter
	refused, ones := 0, 0
	for i := 0; i < nLeak; i++ {
		r, tt := w.next(uint64(i))
		bit := w.bits.Next()
		ones += int(bit)
		var published bool
		if bit == 1 {
			ct, err := w.dev.UnpaddedLength(r, 0)
			if err != nil {
				t.Fatal(err)
			}
			_, err = w.edge(ct, w.gatewayMeta(tt))
			published = err == nil
		} else {
			ct, err := w.dev.Honest(r)
			if err != nil {
				t.Fatal(err)
			}
			_, err = w.edge(ct, w.gatewayMeta(tt))
			published = err == nil
		}
		if !published {
			refused++
		}
		guess := uint8(0)
		if !published {
			guess = 1
		}
		gaps.Add(guess, bit)
	}
	t.Logf("FIGURE 3b_selective_failure_refusals %d (bits equal to 1: %d)", refused, ones)
	if refused != ones {
		t.Errorf("gateway refused %d records, want exactly the %d bit-1 records", refused, ones)
	}
	assertLeak(t, "3b_selective_failure_schedule_observer", gaps)
}
