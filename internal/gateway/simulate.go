package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Config is one simulator run.
type Config struct {
	// Count readings are taken; 0 only uploads what the spool holds.
	Count    int
	Interval time.Duration
	Kinds    []fhir.Kind // cycled through
	// OutDir, if set, receives the plaintext FHIR of each reading, as
	// <device>-<seq>.json when measured, renamed record-<id>.json once the
	// chain stored it (a demo aid: a real gateway never sees plaintext).
	OutDir string
	// GiveUp: stop (non-zero) when the node has not answered for this long
	// while readings wait; 0 waits for ever.
	GiveUp time.Duration
	// QueryTimeout bounds each query of the vault and the registration.
	QueryTimeout time.Duration
}

// Result is what a run did.
type Result struct {
	Measured []*Reading // this run's readings, in order
	Sent     []*Receipt // entries the chain stored during the run (earlier runs' too)
	Refused  []*Refusal // entries the chain refused during the run
	Entries  []*Entry   // the spooled form of Measured
}

// Provision fills the device's patient and vault from its registration and
// checks that the registration is this device (same key), active, and that
// gw is its gateway.
func Provision(ctx context.Context, q types.QueryClient, d *Device, gw *Gateway) (types.Device, error) {
	res, err := q.Device(ctx, &types.QueryDeviceRequest{Id: d.ID})
	if err != nil {
		return types.Device{}, fmt.Errorf("device %q: %w", d.ID, txclient.TransportError(err))
	}
	reg := res.Device
	if !bytes.Equal(reg.PublicKey, d.Key.Public().Bytes()) {
		return reg, fmt.Errorf("the device key file is not device %q's registered key", d.ID)
	}
	if !reg.Active {
		return reg, fmt.Errorf("device %q is deactivated", d.ID)
	}
	if reg.Gateway != gw.Address {
		return reg, fmt.Errorf("device %q's registered gateway is %s, not %s (--from)", d.ID, reg.Gateway, gw.Address)
	}
	patient, err := sdk.AccAddressFromBech32(reg.Patient)
	if err != nil {
		return reg, fmt.Errorf("device %q: patient %q: %v", d.ID, reg.Patient, err)
	}
	d.Patient, d.Vault = patient, reg.Vault
	return reg, nil
}

// CurrentVault returns a vault's current epoch and key.
func CurrentVault(ctx context.Context, q types.QueryClient, patient, vault string) (types.Vault, error) {
	res, err := q.Patient(ctx, &types.QueryPatientRequest{Address: patient})
	if err != nil {
		return types.Vault{}, fmt.Errorf("patient %s: %w", patient, txclient.TransportError(err))
	}
	for _, v := range res.Vaults {
		if v.Name == vault {
			return v, nil
		}
	}
	return types.Vault{}, fmt.Errorf("patient %s has no vault %q", patient, vault)
}

// Simulate takes cfg.Count readings with the device, runs each through the
// gateway's edge firewall into the spool, and forwards the spool to the
// chain, printing one line per event to out: "spooled ..." when a reading
// is durable, "record <id> device ... tx <hash>" when the chain stored it,
// "refused ..." and "waiting: ..." lines otherwise.
//
// Measuring does not wait for the chain: while the node is unreachable the
// device keeps measuring (encrypting to the last vault epoch it saw) and
// the readings wait in the spool. Simulate returns when every reading of
// the spool is settled; an error if any was refused, or if it gave up.
func Simulate(ctx context.Context, q types.QueryClient, node Node, sp *Spool, d *Device, gw *Gateway, cfg Config, out io.Writer) (*Result, error) {
	if cfg.Count < 0 {
		return nil, errors.New("--count must not be negative")
	}
	if cfg.Count > 0 && len(cfg.Kinds) == 0 {
		return nil, errors.New("no observation kinds to simulate")
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = 10 * time.Second
	}
	w := &lineWriter{w: out}
	res := &Result{}
	var mu sync.Mutex // guards res between the two goroutines

	reg, vault, err := provisionRetrying(ctx, q, d, gw, cfg, w)
	if err != nil {
		return nil, err
	}
	if cfg.OutDir != "" {
		if err := os.MkdirAll(cfg.OutDir, 0o700); err != nil {
			return nil, fmt.Errorf("--out-dir: %w", err)
		}
	}
	fw := &Forwarder{
		Spool: sp, Node: node, Query: q, Out: w, Clock: gw.Clock,
		OnSent: func(e *Entry, r *Receipt) error {
			mu.Lock()
			res.Sent = append(res.Sent, r)
			mu.Unlock()
			if cfg.OutDir != "" {
				if err := renameReading(cfg.OutDir, e, r); err != nil {
					return err
				}
			}
			note := ""
			if r.Recovered {
				note = " (found by its body: the node had lost the tx from its index)"
			}
			w.printf("record %d device %s seq %d %s epoch %d bucket %d B tx %s%s", r.RecordID, e.DeviceID, e.Sequence, e.Kind, e.Epoch, e.Bucket, r.TxHash, note)
			return nil
		},
		OnRefused: func(_ *Entry, r *Refusal) error {
			mu.Lock()
			res.Refused = append(res.Refused, r)
			mu.Unlock()
			return nil
		},
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	wake := make(chan struct{}, 1)
	done := make(chan struct{})
	var prodErr error
	go func() {
		defer close(done)
		prodErr = produce(runCtx, q, sp, d, gw, reg, vault, cfg, w, wake, func(r *Reading, e *Entry) {
			mu.Lock()
			res.Measured = append(res.Measured, r)
			res.Entries = append(res.Entries, e)
			mu.Unlock()
		})
		if prodErr != nil {
			cancel()
		}
	}()
	fwErr := fw.Run(runCtx, wake, done, cfg.GiveUp)
	cancel()
	<-done
	// the first failure cancels the other side: report the first
	if prodErr != nil && !errors.Is(prodErr, context.Canceled) {
		return res, prodErr
	}
	if fwErr != nil {
		return res, fwErr
	}
	if prodErr != nil {
		return res, prodErr
	}
	if n := len(res.Refused); n > 0 {
		return res, fmt.Errorf("the chain refused %d readings; they are kept in %s", n, filepath.Join(sp.Dir, spoolRefused))
	}
	return res, nil
}

// provisionRetrying is Provision followed by a read of the vault, asked
// again while the node does not answer (a gateway that starts before its
// node).
func provisionRetrying(ctx context.Context, q types.QueryClient, d *Device, gw *Gateway, cfg Config, w *lineWriter) (types.Device, types.Vault, error) {
	backoff, start := DefaultMinBackoff, time.Now()
	for {
		qctx, cancel := context.WithTimeout(ctx, cfg.QueryTimeout)
		reg, err := Provision(qctx, q, d, gw)
		var vault types.Vault
		if err == nil {
			vault, err = CurrentVault(qctx, q, reg.Patient, reg.Vault)
		}
		cancel()
		if err == nil || !Unreachable(err) || ctx.Err() != nil {
			return reg, vault, err
		}
		if cfg.GiveUp > 0 && time.Since(start) >= cfg.GiveUp {
			return reg, vault, fmt.Errorf("the node has not answered for %s: %w", cfg.GiveUp, err)
		}
		w.printf("waiting: reading device %s's registration: %v; retrying in %s", d.ID, err, backoff)
		if err := sleep(ctx, backoff); err != nil {
			return reg, vault, err
		}
		backoff = min(2*backoff, DefaultMaxBackoff)
	}
}

// produce is the device and the gateway's firewall: cfg.Count readings,
// each written into the spool before the forwarder is woken.
func produce(ctx context.Context, q types.QueryClient, sp *Spool, d *Device, gw *Gateway, reg types.Device, vault types.Vault, cfg Config, w *lineWriter, wake chan<- struct{}, record func(*Reading, *Entry)) error {
	stale := false
	for i := 0; i < cfg.Count; i++ {
		if i > 0 && cfg.Interval > 0 {
			if err := sleep(ctx, cfg.Interval); err != nil {
				return err
			}
		}
		// the vault's current epoch (a rotation takes effect on the next
		// reading); the last one seen while the node does not answer
		qctx, cancel := context.WithTimeout(ctx, cfg.QueryTimeout)
		v, err := CurrentVault(qctx, q, reg.Patient, reg.Vault)
		cancel()
		switch {
		case err == nil:
			vault, stale = v, false
		case Unreachable(err):
			if !stale {
				w.printf("node unreachable (%v): encrypting to vault %s epoch %d, the last one seen", err, vault.Name, vault.Epoch)
				stale = true
			}
		default:
			return err
		}
		vk, err := keys.DecodeVaultPublicKey(vault.PublicKey)
		if err != nil {
			return fmt.Errorf("vault %q: registered key: %v", vault.Name, err)
		}

		// device
		kind := cfg.Kinds[i%len(cfg.Kinds)]
		reading, err := d.Measure(kind, gw.Clock())
		if err != nil {
			return err
		}
		output, err := d.Encrypt(reading, vk, vault.Epoch)
		if err != nil {
			return err
		}

		// gateway
		msg, rec, err := gw.Firewall(reg, vault, output)
		if err != nil {
			return err
		}
		upload, err := msg.Marshal()
		if err != nil {
			return err
		}
		e := &Entry{
			DeviceID: d.ID, Sequence: reading.Sequence, Kind: kind.String(), Patient: reg.Patient,
			Epoch: vault.Epoch, Bucket: len(rec.Body), Upload: upload, SpooledAt: gw.Clock().UTC(),
		}
		if cfg.OutDir != "" {
			// before the entry: once spooled it may be sent and renamed at once
			if err := os.WriteFile(filepath.Join(cfg.OutDir, readingName(d.ID, reading.Sequence)), reading.FHIR, 0o600); err != nil {
				return fmt.Errorf("--out-dir: %w", err)
			}
		}
		if err := sp.Add(e); err != nil {
			return err
		}
		record(reading, e)
		w.printf("spooled device %s seq %d %s epoch %d bucket %d B", d.ID, reading.Sequence, kind, vault.Epoch, len(rec.Body))
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	return nil
}

func readingName(device string, seq uint64) string { return fmt.Sprintf("%s-%d.json", device, seq) }

// renameReading gives the plaintext of a stored reading the record's name
// (record-<id>.json), so a demo can diff it with what a hospital decrypts.
func renameReading(dir string, e *Entry, r *Receipt) error {
	from := filepath.Join(dir, readingName(e.DeviceID, e.Sequence))
	err := os.Rename(from, filepath.Join(dir, fmt.Sprintf("record-%d.json", r.RecordID)))
	if errors.Is(err, os.ErrNotExist) {
		return nil // measured by an earlier run without --out-dir
	}
	return err
}

// lineWriter serializes whole lines from the two goroutines of Simulate.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lineWriter) printf(format string, args ...any) {
	fmt.Fprintf(l, format+"\n", args...)
}
