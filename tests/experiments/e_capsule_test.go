package experiments

import (
	"testing"

	"github.com/medexchain/medexchain/testutil/subverted"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// (e) A device steers its capsule alone: it keeps an honest M (so its body
// is the honest body of that M) and redraws r until the keyed bit of E, or
// of F, read on its own equals the secret bit. No decoder that hashes the
// body in with the capsule sees this channel once anything masks the body;
// only a decoder of the point itself does.
//
// After the edge firewall (rerandomization of the device capsule, masking
// layer) every decoder, each element on its own included, is at chance.
// The same device leaks through a gateway that masks the body but does not
// rerandomize the device capsule, through no firewall at all, and through
// the chain firewall alone (its s is public).
func TestExp3eCapsuleAloneEdgeFirewall(t *testing.T) {
	t.Parallel()
	for _, part := range []subverted.CapsulePart{subverted.PartE, subverted.PartF} {
		t.Run(part.String(), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, 0xe1+uint64(part))
			cs := newCounters(len(publishedDecoderNames))
			var device subverted.Counter
			for i := 0; i < nChance; i++ {
				r, tt := w.next(uint64(i))
				bit := w.bits.Next()
				ct, _, err := w.dev.SteerCapsule(r, part, bit)
				if err != nil {
					t.Fatal(err)
				}
				device.Add(subverted.DecodeElement(w.dev.Key, subverted.CapsulePoint(ct.Capsules[0], part).Bytes()), bit)
				rec, err := w.edge(ct, w.gatewayMeta(tt))
				if err != nil {
					t.Fatal(err)
				}
				if i%1000 == 0 {
					w.mustOpen(t, rec.Ciphertext())
				}
				cs.add(publishedDecoders(w.dev.Key, rec), bit)
			}
			assertLeak(t, "3e_"+part.String()+"/device_output_before_edge_firewall", device)
			for i, n := range publishedDecoderNames {
				assertChance(t, "3e_"+part.String()+"/after_edge_firewall/"+n, cs[i])
			}
		})
	}
}

// (e) without the rerandomization: the gateway adds the masking layer (a
// fresh capsule, the body XORed with its keystream: everything the edge
// firewall does except rerandomizing the device capsule). Every decoder
// that mixes the body in is at chance, yet the device's point is published
// unchanged and its decoder reads the bit. Also without any firewall, and
// with the chain firewall alone (the accomplice recomputes the public s
// and undoes it).
func TestExp3eCapsuleAloneWithoutRerandomization(t *testing.T) {
	t.Parallel()
	for _, part := range []subverted.CapsulePart{subverted.PartE, subverted.PartF} {
		t.Run(part.String(), func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, 0xe3+uint64(part))
			A := w.vault.Public().A
			mixed := newCounters(3)
			var maskOnly, noFW, chainOnly subverted.Counter
			for i := 0; i < nLeak; i++ {
				r, _ := w.next(uint64(i))
				bit := w.bits.Next()
				ct, _, err := w.dev.SteerCapsule(r, part, bit)
				if err != nil {
					t.Fatal(err)
				}
				noFW.Add(subverted.DecodeElement(w.dev.Key, subverted.CapsulePoint(ct.Capsules[0], part).Bytes()), bit)

				// mask only: the edge firewall minus its rerandomization
				masked := &pre.Ciphertext{Capsules: []*pre.Capsule{ct.Capsules[0]}, Body: append([]byte(nil), ct.Body...)}
				if err := pre.AddLayer(masked, w.vault.Public(), w.fwRand); err != nil {
					t.Fatal(err)
				}
				if i%500 == 0 {
					w.mustOpen(t, masked)
				}
				maskOnly.Add(subverted.DecodeElement(w.dev.Key, subverted.CapsulePoint(masked.Capsules[0], part).Bytes()), bit)
				mixed.add([]uint8{
					subverted.DecodeCiphertext(w.dev.Key, masked.Capsules[0], masked.Body),
					subverted.DecodeCiphertext(w.dev.Key, masked.Capsules[1], masked.Body),
					subverted.KeyedBit(w.dev.Key, subverted.RecordDomain, masked.Bytes()),
				}, bit)

				// chain firewall alone on the masked record: public s, undone
				caps := [crf.NumCapsules]*pre.Capsule{masked.Capsules[0], masked.Capsules[1]}
				hh, tx := blockHashes(i)
				stored := crf.ChainRerandomize(A, caps, hh, tx, 0)
				undo := new(group.Scalar).Neg(crf.ChainRerandScalar(hh, tx, 0, 0))
				chainOnly.Add(subverted.DecodeElement(w.dev.Key,
					subverted.CapsulePoint(stored[0].Rerandomize(A, undo), part).Bytes()), bit)
			}
			p := "3e_" + part.String()
			assertLeak(t, p+"/no_firewall", noFW)
			assertLeak(t, p+"/mask_without_rerandomization", maskOnly)
			assertLeak(t, p+"/chain_firewall_only/public_s_undone", chainOnly)
			// the decoders that mix the body in miss the channel: why the
			// experiments read each element on their own
			for i, n := range []string{"capsule0+body", "capsule1+body", "ciphertext"} {
				figure(t, p+"/mask_without_rerandomization/"+n, mixed[i])
			}
		})
	}
}
