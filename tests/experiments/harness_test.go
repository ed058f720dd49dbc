package experiments

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"testing"
	"time"

	"github.com/medexchain/medexchain/testutil/subverted"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

const (
	// nChance is the number of records of every "falls to chance" run.
	nChance = 10000
	// chanceSigmas is the allowed distance from 50%, in standard deviations
	// of a fair coin's rate over the run's n records (σ = 0.5/√n; at
	// n = 10,000: σ = 0.5%, band ± 2%).
	chanceSigmas = 4
	// nLeak is the number of records of every "must leak" run.
	nLeak = 2000
	// leakFloor is the least leak rate a "must leak" run asserts.
	leakFloor = 0.95
	// tries is the subverted devices' rejection-sampling budget:
	// leak rate 1 − 2^-8 = 99.6% when nothing interferes.
	tries = 8
	// readingSize is the FHIR payload of every record (1 KiB: 2 KiB bucket).
	readingSize = 1024
	// honestBucket is the bucket of a 1 KiB reading.
	honestBucket = 2048

	chainID = "medex-1"
	vaultNm = "vitals"
	epoch   = 1
	devID   = "pulse-ox-0001"
)

// world is one experiment's universe: keys, the (subverted) device, the
// gateway's randomness and clock, and the secret bits to exfiltrate.
type world struct {
	vault  *keys.VaultSecretKey
	devKey *keys.DeviceSecretKey
	dev    *subverted.Device
	fwRand io.Reader // the edge firewall's randomness (independent of the device's)
	nature io.Reader // reading times and gateway latencies
	bits   *subverted.Bits
	t0     time.Time
	clock  time.Time
}

// newWorld builds a world from seed. Streams: 0 keys, 1 device, 2 firewall,
// 3 nature; bits from their own PCG stream.
func newWorld(tb testing.TB, seed uint64) *world {
	tb.Helper()
	kr := subverted.SeededReader(seed, 0)
	vault, err := keys.GenerateVaultKey(epoch, kr)
	if err != nil {
		tb.Fatal(err)
	}
	dk, err := keys.GenerateDeviceKey(kr)
	if err != nil {
		tb.Fatal(err)
	}
	var sk subverted.Key
	if _, err := io.ReadFull(kr, sk[:]); err != nil {
		tb.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	return &world{
		vault:  vault,
		devKey: dk,
		dev: &subverted.Device{Vault: vault.Public(), Signer: dk.Key, Rand: subverted.SeededReader(seed, 1),
			Key: sk, Tries: tries},
		fwRand: subverted.SeededReader(seed, 2),
		nature: subverted.SeededReader(seed, 3),
		bits:   subverted.NewBits(seed),
		t0:     t0,
		clock:  t0,
	}
}

func (w *world) natural(max uint32) time.Duration {
	var b [4]byte
	if _, err := io.ReadFull(w.nature, b[:]); err != nil {
		panic(err)
	}
	return time.Duration(binary.BigEndian.Uint32(b[:])%max) * time.Millisecond
}

// next advances the world clock to the next reading (every 50–70 s) and
// returns the reading for sequence seq with its true time.
func (w *world) next(seq uint64) (subverted.Reading, time.Time) {
	w.clock = w.clock.Add(50*time.Second + w.natural(20000))
	meta := &envelope.Meta{ChainID: chainID, Patient: bytes.Repeat([]byte{0x42}, 20), Vault: vaultNm, Epoch: epoch,
		DeviceID: devID, Sequence: seq, EffectiveTime: w.clock}
	return subverted.Reading{Meta: meta, Payload: subverted.FHIRReading(readingSize, seq, w.clock, 0)}, w.clock
}

// gatewayMeta is the public metadata an honest gateway sets: its own
// clock (the reading's true time plus 0–5 s of transport latency), the
// registered device id, vault and epoch. Never the device's word.
func (w *world) gatewayMeta(trueTime time.Time) crf.PublicMeta {
	return crf.PublicMeta{DeviceID: devID, Vault: vaultNm, Epoch: epoch,
		Time: trueTime.Add(w.natural(5000)), ResourceType: "Observation"}
}

// edge runs the edge firewall on a device output, as the gateway does.
func (w *world) edge(ct *pre.Ciphertext, meta crf.PublicMeta) (*crf.Record, error) {
	return crf.EdgeFirewall(w.vault.Public(), ct.Bytes(), meta, w.fwRand)
}

// mustOpen checks that the vault owner opens a record (subverted outputs
// stay valid records: that is what makes the attack undetectable).
func (w *world) mustOpen(tb testing.TB, ct *pre.Ciphertext) *envelope.Envelope {
	tb.Helper()
	env, err := pre.OpenOwner(w.vault, ct, w.devKey.Public().Key)
	if err != nil {
		tb.Fatalf("subverted record does not open for the vault owner: %v", err)
	}
	return env
}

// publishedDecoders are the accomplice's decoders on a published record:
// the device's own decoder on each capsule with the body, a keyed bit of
// the whole published ciphertext, and, so that a channel in one part is
// not hidden by the parts a mixed hash folds in, a keyed bit of every
// published element read on its own (each capsule's E and F, the body),
// the body length and the public time.
func publishedDecoders(k subverted.Key, rec *crf.Record) []uint8 {
	c0, c1 := rec.Capsules[0], rec.Capsules[1]
	return []uint8{
		subverted.DecodeCiphertext(k, c0, rec.Body),
		subverted.DecodeCiphertext(k, c1, rec.Body),
		subverted.KeyedBit(k, subverted.RecordDomain, rec.Ciphertext().Bytes()),
		subverted.DecodeElement(k, c0.E.Bytes()),
		subverted.DecodeElement(k, c0.F.Bytes()),
		subverted.DecodeElement(k, c1.E.Bytes()),
		subverted.DecodeElement(k, c1.F.Bytes()),
		subverted.DecodeElement(k, rec.Body),
		subverted.DecodeLengthParity(len(rec.Body)),
		subverted.DecodeTime(rec.Meta.Time),
	}
}

var publishedDecoderNames = []string{"capsule0+body", "capsule1+body", "ciphertext",
	"E0", "F0", "E1", "F1", "body", "length", "time"}

// counters is one Counter per decoder.
type counters []subverted.Counter

func newCounters(n int) counters { return make(counters, n) }

func (cs counters) add(guesses []uint8, truth uint8) {
	for i, g := range guesses {
		cs[i].Add(g, truth)
	}
}

// figure logs a figure in the form docs/crypto.md reports.
func figure(tb testing.TB, name string, c subverted.Counter) {
	tb.Helper()
	tb.Logf("FIGURE %s %.2f%% (%d/%d)", name, 100*c.Rate(), c.Right, c.Total)
}

// chanceBand is the tolerance of a chance run of n records:
// chanceSigmas · 0.5/√n.
func chanceBand(n int) float64 { return chanceSigmas * 0.5 / math.Sqrt(float64(n)) }

func assertChance(tb testing.TB, name string, c subverted.Counter) {
	tb.Helper()
	figure(tb, name, c)
	if c.Total < nChance {
		tb.Errorf("%s: only %d records, want ≥ %d", name, c.Total, nChance)
	}
	if band := chanceBand(c.Total); math.Abs(c.Rate()-0.5) > band {
		tb.Errorf("%s: accomplice guesses %.2f%% right, want 50%% ± %.1f%% (%dσ at n = %d)", name, 100*c.Rate(), 100*band, chanceSigmas, c.Total)
	}
}

func assertLeak(tb testing.TB, name string, c subverted.Counter) {
	tb.Helper()
	figure(tb, name, c)
	if c.Rate() < leakFloor {
		tb.Errorf("%s: accomplice guesses only %.2f%% right, want ≥ %.0f%% (the documented leak)", name, 100*c.Rate(), 100*leakFloor)
	}
}

// blockHashes simulates the header hash and tx hash of the block that
// includes record i: public to every reader of the chain.
func blockHashes(i int) (header, tx []byte) {
	h := sha256.Sum256([]byte(fmt.Sprintf("header %d", i)))
	t := sha256.Sum256([]byte(fmt.Sprintf("tx %d", i)))
	return h[:], t[:]
}
