package gateway_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/gatewaytest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// world is the app with a registered device and its gateway, and the
// simulator's actors over it.
type world struct {
	*phrtest.World
	node *gatewaytest.Node
	q    types.QueryClient
	dev  *gateway.Device
	gw   *gateway.Gateway
	dir  string
}

func newWorld(t *testing.T) *world {
	w := &world{World: phrtest.NewWorld(t, 3), dir: t.TempDir()}
	w.node, w.q = gatewaytest.New(w.H, w.Gateway)
	w.dev = &gateway.Device{ID: phrtest.DeviceID, ChainID: apptest.ChainID, Key: w.DeviceKey,
		Seq: gateway.SeqFileFor(filepath.Join(w.dir, "device.key")), Rand: rand.Reader}
	w.gw = &gateway.Gateway{Address: w.Gateway.String(), Clock: w.node.Clock, Rand: rand.Reader, ResourceType: fhir.ResourceType}
	return w
}

func (w *world) spool() *gateway.Spool {
	sp, err := gateway.OpenSpool(filepath.Join(w.dir, "spool"))
	require.NoError(w.T, err)
	return sp
}

func (w *world) run(cfg gateway.Config) (*gateway.Result, string, error) {
	var out syncBuilder
	res, err := gateway.Simulate(context.Background(), w.q, w.node, w.spool(), w.dev, w.gw, cfg, &out)
	return res, out.String(), err
}

type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// recordsOfDevice reads the device's records on chain, in id order.
func (w *world) recordsOfDevice() []types.Record {
	res, err := w.q.RecordsByPatient(context.Background(), &types.QueryRecordsByPatientRequest{Patient: w.Patient.String()})
	require.NoError(w.T, err)
	var out []types.Record
	for _, r := range res.Records {
		if r.DeviceId == phrtest.DeviceID {
			out = append(out, r)
		}
	}
	return out
}

// TestSimulateRefusals: the simulator checks its registration before it
// measures anything.
func TestSimulateRefusals(t *testing.T) {
	w := newWorld(t)
	cfg := gateway.Config{Count: 1, Kinds: []fhir.Kind{fhir.KindHeartRate}}
	run := func(dev *gateway.Device, gw *gateway.Gateway, cfg gateway.Config) error {
		_, err := gateway.Simulate(context.Background(), w.q, w.node, w.spool(), dev, gw, cfg, new(syncBuilder))
		return err
	}

	wrongGW := *w.gw
	wrongGW.Address = w.Stranger.String()
	require.ErrorContains(t, run(w.dev, &wrongGW, cfg), "registered gateway is "+w.Gateway.String())

	otherKey, err := keys.GenerateDeviceKey(rand.Reader)
	require.NoError(t, err)
	dev := *w.dev
	dev.Key = otherKey
	require.ErrorContains(t, run(&dev, w.gw, cfg), "not device")

	dev = *w.dev
	dev.ID = "nope"
	require.ErrorContains(t, run(&dev, w.gw, cfg), `device "nope"`)

	require.ErrorContains(t, run(w.dev, w.gw, gateway.Config{Count: -1, Kinds: cfg.Kinds}), "--count")

	last, err := w.dev.Seq.Last()
	require.NoError(t, err)
	require.Zero(t, last, "no sequence number was spent on refused runs")

	// Deactivated: refused too.
	w.MustDeliver(w.Patient, &types.MsgDeactivateDevice{Patient: w.Patient.String(), DeviceId: phrtest.DeviceID})
	require.ErrorContains(t, run(w.dev, w.gw, cfg), "deactivated")
}

// TestRotationMidRun: after a rotation the simulator encrypts to the new
// epoch, and sequence numbers continue across runs and epochs.
func TestRotationMidRun(t *testing.T) {
	w := newWorld(t)
	cfg := gateway.Config{Count: 1, Kinds: []fhir.Kind{fhir.KindBloodPressure}}
	first, _, err := w.run(cfg)
	require.NoError(t, err)
	require.Equal(t, uint64(1), first.Entries[0].Epoch)

	next, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	w.MustDeliver(w.Patient, &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: next.Public().Bytes()})
	second, _, err := w.run(cfg)
	require.NoError(t, err)
	require.Equal(t, uint64(2), second.Entries[0].Epoch)
	require.Equal(t, uint64(2), second.Measured[0].Sequence, "sequence numbers continue across runs and epochs")
	require.Len(t, second.Sent, 1)
	rec, err := w.q.Record(context.Background(), &types.QueryRecordRequest{Id: second.Sent[0].RecordID})
	require.NoError(t, err)
	require.Equal(t, uint64(2), rec.Record.Epoch)
}

// TestSimulateThroughAnOutage: the node goes down after the first reading.
// The device keeps measuring and the readings wait in the spool (the
// simulator says so); when the node is back they are stored in the order of
// their sequence numbers, once each, and the spool is empty.
func TestSimulateThroughAnOutage(t *testing.T) {
	w := newWorld(t)
	var out syncBuilder
	var once sync.Once
	outage := make(chan struct{})
	// the first stored record takes the node down for a while
	go func() {
		for !strings.Contains(out.String(), "record 1 ") {
			time.Sleep(time.Millisecond)
		}
		once.Do(func() { w.node.SetDown(true) })
		for strings.Count(out.String(), "spooled ") < 4 {
			time.Sleep(time.Millisecond)
		}
		w.node.SetDown(false)
		close(outage)
	}()
	sp := w.spool()
	res, err := gateway.Simulate(context.Background(), w.q, w.node, sp, w.dev, w.gw, gateway.Config{
		Count: 5, Interval: 20 * time.Millisecond, Kinds: []fhir.Kind{fhir.KindHeartRate, fhir.KindOxygenSaturation},
	}, &out)
	require.NoError(t, err, out.String())
	<-outage
	require.Contains(t, out.String(), "waiting: ", "the forwarder says it waits")
	require.Contains(t, out.String(), "node unreachable", "the device says it encrypts to the last epoch seen")

	recs := w.recordsOfDevice()
	require.Len(t, recs, 5, out.String())
	require.Len(t, res.Sent, 5)
	for i, r := range res.Sent {
		require.Equal(t, uint64(i+1), r.Sequence, "stored in the order of the sequence numbers")
		require.Equal(t, recs[i].Id, r.RecordID)
	}
	pending, err := sp.Pending()
	require.NoError(t, err)
	require.Empty(t, pending)
}

// TestSimulateKeepsARefusedReading: a reading encrypted to an epoch the
// vault has left is refused by the chain (ErrWrongEpoch, in its block);
// the simulator exits non-zero and the refusal is kept, with the error.
func TestSimulateKeepsARefusedReading(t *testing.T) {
	w := newWorld(t)
	sp := w.spool()
	// a reading spooled at epoch 1; the vault rotates before it is forwarded
	reg, err := gateway.Provision(context.Background(), w.q, w.dev, w.gw)
	require.NoError(t, err)
	vault, err := gateway.CurrentVault(context.Background(), w.q, reg.Patient, reg.Vault)
	require.NoError(t, err)
	r, err := w.dev.Measure(fhir.KindHeartRate, w.node.Clock())
	require.NoError(t, err)
	output, err := w.dev.Encrypt(r, w.VaultKey.Public(), vault.Epoch)
	require.NoError(t, err)
	msg, _, err := w.gw.Firewall(reg, vault, output)
	require.NoError(t, err)
	bz, err := msg.Marshal()
	require.NoError(t, err)
	require.NoError(t, sp.Add(&gateway.Entry{DeviceID: w.dev.ID, Sequence: r.Sequence, Patient: reg.Patient, Epoch: vault.Epoch, Upload: bz}))
	next, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	w.MustDeliver(w.Patient, &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: next.Public().Bytes()})

	res, outText, err := w.run(gateway.Config{Count: 0})
	require.ErrorContains(t, err, "the chain refused 1 readings")
	require.Len(t, res.Refused, 1, outText)
	require.Equal(t, types.ErrWrongEpoch.ABCICode(), res.Refused[0].Code)
	require.Contains(t, outText, "refused device "+w.dev.ID+" seq 1: phr code")
	kept, err := os.ReadFile(sp.RefusedPath(&res.Refused[0].Entry))
	require.NoError(t, err)
	require.Contains(t, string(kept), `"codespace": "phr"`)
	require.Empty(t, w.recordsOfDevice())
}

func TestSeqFile(t *testing.T) {
	s := gateway.SeqFileFor(filepath.Join(t.TempDir(), "d.key"))
	for want := uint64(1); want <= 3; want++ {
		got, err := s.Next()
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	require.NoError(t, os.WriteFile(s.Path, []byte("garbage"), 0o600))
	_, err := s.Next()
	require.ErrorContains(t, err, "corrupt")
}
