package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/tests/bench/benchkit"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// reported is an upload a gateway reported stored: `device simulate`'s
// "record <id> device <device> seq <seq> ..." line.
type reported struct {
	id     uint64
	device string
	seq    uint64
}

var recordLine = regexp.MustCompile(`^record (\d+) device (\S+) seq (\d+) `)

func runVerifyBurst(args []string) error {
	fs := flag.NewFlagSet("verify-burst", flag.ExitOnError)
	node := fs.String("node", "tcp://127.0.0.1:28057", "CometBFT RPC of a node")
	chainID := fs.String("chain-id", "medexchain-net4-1", "chain id")
	patient := fs.String("patient", "", "the patient's address")
	vaultKey := fs.String("vault-key", "", "the patient's vault key file (passphrase in "+keyfile.PassphraseEnv+")")
	devices := fs.String("devices", "", "comma-separated device ids")
	count := fs.Int("count", 0, "readings each device took (sequences 1..count)")
	before := fs.String("before", "", "directory of the gateways' outputs as they were at the kill (*.log)")
	after := fs.String("after", "", "directory of the gateways' complete outputs (*.log)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *patient == "" || *vaultKey == "" || *devices == "" || *count < 1 {
		return errors.New("-patient, -vault-key, -devices and -count are required")
	}
	chain, err := benchkit.Connect(*node, *chainID, app.BondDenom, 0)
	if err != nil {
		return err
	}
	vault, err := keyfile.Load(*vaultKey, os.Getenv(keyfile.PassphraseEnv), keyfile.Vault)
	if err != nil {
		return err
	}
	ctx := context.Background()
	audited, err := uploadsAudited(ctx, audittypes.NewQueryClient(chain.Cctx), *patient)
	if err != nil {
		return err
	}

	// Every record: whole (capsules decode, a body, an audit entry) and
	// readable by the vault owner, signed by its device.
	devKeys := map[string]ed25519.PublicKey{}
	seqs := map[string][]uint64{} // device -> sequences in record order
	onChain := map[uint64]reported{}
	var broken []string
	var key []byte
	for {
		res, err := chain.Q.RecordsByPatient(ctx, &types.QueryRecordsByPatientRequest{Patient: *patient,
			Pagination: &query.PageRequest{Key: key, Limit: 50}})
		if err != nil {
			return err
		}
		for _, r := range res.Records {
			full, err := chain.Q.Record(ctx, &types.QueryRecordRequest{Id: r.Id})
			if err != nil {
				return fmt.Errorf("record %d: %w", r.Id, err)
			}
			rec := full.Record
			if _, ok := devKeys[rec.DeviceId]; !ok {
				d, err := chain.Q.Device(ctx, &types.QueryDeviceRequest{Id: rec.DeviceId})
				if err != nil {
					return fmt.Errorf("device %s: %w", rec.DeviceId, err)
				}
				devKeys[rec.DeviceId] = d.Device.PublicKey
			}
			seq, err := whole(&rec, vault, devKeys[rec.DeviceId], audited)
			if err != nil {
				broken = append(broken, fmt.Sprintf("record %d: %v", rec.Id, err))
				continue
			}
			seqs[rec.DeviceId] = append(seqs[rec.DeviceId], seq)
			onChain[rec.Id] = reported{id: rec.Id, device: rec.DeviceId, seq: seq}
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			break
		}
		key = res.Pagination.NextKey
	}

	// Every device: sequences exactly 1..count, in order.
	var duplicates, missing, outOfOrder int
	for _, d := range strings.Split(*devices, ",") {
		seen := map[uint64]bool{}
		for i, s := range seqs[d] {
			if seen[s] {
				duplicates++
			}
			seen[s] = true
			if i > 0 && s <= seqs[d][i-1] {
				outOfOrder++
			}
		}
		for s := uint64(1); s <= uint64(*count); s++ {
			if !seen[s] {
				missing++
			}
		}
		if len(seqs[d]) != *count {
			logf("device %s: %d records, sequences %v", d, len(seqs[d]), seqs[d])
		}
	}

	// Every upload a gateway reported stored, before the kill and after.
	beforeKill, err := reportedIn(*before)
	if err != nil {
		return err
	}
	all, err := reportedIn(*after)
	if err != nil {
		return err
	}
	var unmatched []string
	for _, r := range append(beforeKill, all...) {
		if got, ok := onChain[r.id]; !ok || got != r {
			unmatched = append(unmatched, fmt.Sprintf("reported record %d device %s seq %d: on chain %+v", r.id, r.device, r.seq, got))
		}
	}
	total := 0
	for _, s := range seqs {
		total += len(s)
	}
	figure("burst_records_on_chain", total, "records")
	figure("burst_records_expected", *count*len(strings.Split(*devices, ",")), "records")
	figure("burst_reported_before_kill", len(beforeKill), "records")
	figure("burst_reported_total", len(all), "records")
	figure("burst_duplicates", duplicates, "records")
	figure("burst_missing", missing, "records")
	figure("burst_out_of_order", outOfOrder, "records")
	figure("burst_half_written", len(broken), "records")
	figure("burst_reported_not_on_chain", len(unmatched), "records")
	for _, s := range append(broken, unmatched...) {
		logf("%s", s)
	}
	if duplicates+missing+outOfOrder+len(broken)+len(unmatched) > 0 || len(all) != total {
		return fmt.Errorf("the burst is not on chain exactly once (see the figures; %d reported stored, %d on chain)", len(all), total)
	}
	return nil
}

// whole checks one record and returns its device sequence number.
func whole(rec *types.Record, vault *keys.VaultSecretKey, device ed25519.PublicKey, audited map[string]bool) (uint64, error) {
	if len(rec.Capsules) == 0 || len(rec.Body) == 0 {
		return 0, fmt.Errorf("%d capsules, %d body bytes", len(rec.Capsules), len(rec.Body))
	}
	if !audited["record/"+strconv.FormatUint(rec.Id, 10)] {
		return 0, errors.New("no audit entry of its upload")
	}
	ct := &pre.Ciphertext{Body: rec.Body}
	for i, cb := range rec.Capsules {
		c, err := pre.DecodeCapsule(cb)
		if err != nil {
			return 0, fmt.Errorf("capsule %d: %w", i, err)
		}
		ct.Capsules = append(ct.Capsules, c)
	}
	env, err := pre.OpenOwner(vault, ct, device)
	if err != nil {
		return 0, fmt.Errorf("the vault owner cannot open it: %w", err)
	}
	if env.Meta.DeviceID != rec.DeviceId {
		return 0, fmt.Errorf("sealed by device %q, recorded as %q", env.Meta.DeviceID, rec.DeviceId)
	}
	return env.Meta.Sequence, nil
}

// uploadsAudited is the set of objects ("record/<id>") of the patient's
// successful upload audit entries.
func uploadsAudited(ctx context.Context, q audittypes.QueryClient, patient string) (map[string]bool, error) {
	out := map[string]bool{}
	var key []byte
	for {
		res, err := q.EntriesByPatient(ctx, &audittypes.QueryEntriesByPatientRequest{Patient: patient,
			Pagination: &query.PageRequest{Key: key, Limit: types.MaxPageLimit}})
		if err != nil {
			return nil, fmt.Errorf("audit entries of %s: %w", patient, err)
		}
		for _, e := range res.Entries {
			if e.Action == types.ActionUploadRecord && e.Outcome == audittypes.OUTCOME_SUCCESS {
				out[e.ObjectId] = true
			}
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return out, nil
		}
		key = res.Pagination.NextKey
	}
}

// reportedIn reads the record lines of the *.log files of dir.
func reportedIn(dir string) ([]reported, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no gateway outputs (*.log) in %q: %v", dir, err)
	}
	var out []reported
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			m := recordLine.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			id, _ := strconv.ParseUint(m[1], 10, 64)
			seq, _ := strconv.ParseUint(m[3], 10, 64)
			out = append(out, reported{id: id, device: m[2], seq: seq})
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
