package experiments

import (
	"testing"

	"github.com/medexchain/medexchain/testutil/subverted"
)

// (c) A device carries its bit in the time it reports (the minute parity;
// the seconds would not even survive coarsening). The edge firewall sets
// the public time from the gateway's own clock, truncated to the minute,
// never from the device: the accomplice is at chance. Two contrasts show
// why: a gateway that publishes the device's time leaks it, and so does one
// that copies it and only coarsens it to the minute.
func TestExp3cReportedTime(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xc1)
	cs := newCounters(len(publishedDecoderNames))
	var naive, coarsened, gatewayClock subverted.Counter
	for i := 0; i < nChance; i++ {
		r, tt := w.next(uint64(i))
		bit := w.bits.Next()
		reported := subverted.ReportedTime(tt, bit)
		ct, err := w.dev.Honest(r)
		if err != nil {
			t.Fatal(err)
		}
		// naive gateway: publishes the device's time as reported
		naive.Add(subverted.DecodeTime(reported), bit)
		if i < nLeak {
			// gateway that copies the device's time but coarsens it
			m := w.gatewayMeta(tt)
			m.Time = reported
			rec, err := w.edge(ct, m)
			if err != nil {
				t.Fatal(err)
			}
			coarsened.Add(subverted.DecodeTime(rec.Meta.Time), bit)
		}
		// the edge firewall as designed: the gateway's own clock
		rec, err := w.edge(ct, w.gatewayMeta(tt))
		if err != nil {
			t.Fatal(err)
		}
		if i%1000 == 0 {
			w.mustOpen(t, rec.Ciphertext())
		}
		gatewayClock.Add(subverted.DecodeTime(rec.Meta.Time), bit)
		cs.add(publishedDecoders(w.dev.Key, rec), bit)
	}
	assertLeak(t, "3c_device_time_published", naive)
	assertLeak(t, "3c_device_time_copied_and_coarsened", coarsened)
	assertChance(t, "3c_after_edge_firewall/gateway_clock", gatewayClock)
	for i, n := range publishedDecoderNames {
		assertChance(t, "3c_after_edge_firewall/"+n, cs[i])
	}
}
