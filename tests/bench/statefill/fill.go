package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/store/v2/rootmulti"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/app"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/types"
)

// maxTemplates bounds the story records a fill copies.
const maxTemplates = 16

func runFill(args []string) error {
	fs := flag.NewFlagSet("fill", flag.ExitOnError)
	cfg := fillConfig{}
	fs.StringVar(&cfg.home, "home", "", "home of a stopped node (required)")
	fs.IntVar(&cfg.records, "records", 1000, "synthetic records to add")
	fs.IntVar(&cfg.fetch, "fetch", 64, "of those, records the hospital of the story's live grant fetches (tasks for its committee)")
	fs.IntVar(&cfg.bodyBytes, "body-bytes", envelope.Buckets[0], "body of each synthetic record: random bytes of this bucket size (0: the template's own body)")
	fs.IntVar(&cfg.every, "progress", 100000, "a progress line on stderr every this many records")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.home == "" {
		return errors.New("fill: -home is required")
	}
	if cfg.bodyBytes != 0 && !envelope.IsBucket(cfg.bodyBytes) {
		return fmt.Errorf("fill: -body-bytes %d is not a bucket size %v", cfg.bodyBytes, envelope.Buckets)
	}
	res, err := fill(cfg, os.Stderr)
	if err != nil {
		return err
	}
	fmt.Printf("height %d\nfirst_record %d\nlast_record %d\naudit_head %d\ntasks %d\nkv_bytes %d\napp_hash %X\n",
		res.height, res.firstRecord, res.lastRecord, res.auditHead, res.tasks, res.kvBytes, res.appHash)
	return nil
}

type fillConfig struct {
	home           string
	records, fetch int
	bodyBytes      int
	every          int
}

// fillResult is what a fill wrote: the records' ids, the audit log's head
// sequence and the new app hash of version height.
type fillResult struct {
	height                  int64
	firstRecord, lastRecord uint64
	auditHead               uint64
	tasks                   int
	appHash                 []byte
	// kvBytes is what the fill added to the phr and audit stores: the
	// lengths of their keys and values (IAVL's leaves, before its node
	// overhead and the database's own encoding).
	kvBytes int64
}

// template is a story record a fill copies.
type template struct {
	gateway  sdk.AccAddress
	upload   types.RecordUpload
	capsules [][]byte
	record   types.Record
}

// fill writes cfg.records records into the stopped node at cfg.home (see the
// package comment), reporting progress to w.
func fill(cfg fillConfig, w io.Writer) (fillResult, error) {
	comet, err := openComet(cfg.home)
	if err != nil {
		return fillResult{}, err
	}
	defer comet.close()
	res, err := fillApp(cfg, comet.header, comet.state.AppHash, w)
	if err != nil {
		return res, err
	}
	if err := comet.setAppHash(res.appHash); err != nil {
		return res, fmt.Errorf("CometBFT state: %w", err)
	}
	return res, nil
}

// fillApp is fill's part in the app's database (cfg.home/data/application.db):
// its last version must be header's height with app hash wantHash; the fill
// is committed as that version again and the new hash returned.
func fillApp(cfg fillConfig, header cmtproto.Header, wantHash []byte, w io.Writer) (fillResult, error) {
	start := time.Now()
	db, err := dbm.NewDB("application", dbm.GoLevelDBBackend, filepath.Join(cfg.home, "data"))
	if err != nil {
		return fillResult{}, err
	}
	defer db.Close()
	a := app.New(log.NewNopLogger(), db, true, appOptions{flags.FlagHome: cfg.home})
	h := header.Height
	if a.LastBlockHeight() != h || !bytes.Equal(a.LastCommitID().Hash, wantHash) {
		return fillResult{}, fmt.Errorf("app at height %d hash %X, CometBFT state at %d hash %X", a.LastBlockHeight(), a.LastCommitID().Hash, h, wantHash)
	}
	cms, ok := a.CommitMultiStore().(*rootmulti.Store)
	if !ok {
		return fillResult{}, fmt.Errorf("multistore is a %T, not rootmulti", a.CommitMultiStore())
	}
	nChanges, err := reopenVersion(cms, h)
	if err != nil {
		return fillResult{}, err
	}
	fmt.Fprintf(w, "statefill: height %d reopened (%d changes of block %d reapplied over %d)\n", h, nChanges, h, h-1)

	kvBefore := kvBytes(cms, a)
	ctx := sdk.NewContext(cms, header, false, log.NewNopLogger()).WithGasMeter(storetypes.NewInfiniteGasMeter())
	k := a.PhrKeeper
	templates, err := loadTemplates(ctx, a)
	if err != nil {
		return fillResult{}, err
	}
	res := fillResult{height: h}
	fetchable := make([]uint64, 0, cfg.fetch)
	grant, grantErr := liveGrant(ctx, a)
	bodies := rand.NewChaCha8([32]byte{})
	for i := 0; i < cfg.records; i++ {
		if i%1000 == 0 { // events are not kept: start a fresh manager now and then
			ctx = ctx.WithEventManager(sdk.NewEventManager())
		}
		t := templates[i%len(templates)]
		up := t.upload
		if cfg.bodyBytes > 0 { // a ciphertext looks random; the store keeps the slice until commit
			up.Body = make([]byte, cfg.bodyBytes)
			_, _ = bodies.Read(up.Body)
		}
		id, err := k.UploadRecord(ctx, t.gateway, up, t.capsules)
		if err != nil {
			return res, fmt.Errorf("record %d: %w", i, err)
		}
		if res.firstRecord == 0 {
			res.firstRecord = id
		}
		res.lastRecord = id
		if grantErr == nil && len(fetchable) < cfg.fetch && inGrant(grant, t.record) {
			fetchable = append(fetchable, id)
		}
		if cfg.every > 0 && (i+1)%cfg.every == 0 {
			fmt.Fprintf(w, "statefill: %d records written, %.0f s, rss %s\n", i+1, time.Since(start).Seconds(), rss())
		}
	}
	if cfg.fetch > 0 {
		if grantErr != nil {
			return res, grantErr
		}
		if res.tasks, err = fetchAll(ctx, a, grant, fetchable); err != nil {
			return res, err
		}
	}
	head, err := a.AuditKeeper.Head(ctx)
	if err != nil {
		return res, err
	}
	res.auditHead = head.Sequence

	cms.SetCommitHeader(header)
	cid := cms.Commit()
	if cid.Version != h {
		return res, fmt.Errorf("committed version %d, not %d", cid.Version, h)
	}
	res.appHash = cid.Hash
	res.kvBytes = kvBytes(cms, a) - kvBefore
	fmt.Fprintf(w, "statefill: %d records (%d-%d), %d tasks, audit head %d, committed as height %d with app hash %X in %.0f s, rss %s\n",
		cfg.records, res.firstRecord, res.lastRecord, res.tasks, res.auditHead, h, cid.Hash, time.Since(start).Seconds(), rss())
	return res, nil
}

// loadTemplates reads up to maxTemplates records the node's story uploaded
// (the lowest ids, bodies included).
func loadTemplates(ctx sdk.Context, a *app.App) ([]template, error) {
	var out []template
	it, err := a.PhrKeeper.Records.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	for ; it.Valid() && len(out) < maxTemplates; it.Next() {
		id, err := it.Key()
		if err != nil {
			return nil, err
		}
		r, err := a.PhrKeeper.GetRecord(ctx, id)
		if err != nil {
			return nil, err
		}
		gw, err := sdk.AccAddressFromBech32(r.Gateway)
		if err != nil {
			return nil, err
		}
		out = append(out, template{
			gateway:  gw,
			upload:   types.RecordUpload{DeviceID: r.DeviceId, Epoch: r.Epoch, Time: r.Time, ResourceType: r.ResourceType, Body: r.Body},
			capsules: r.Capsules,
			record:   r,
		})
	}
	if len(out) == 0 {
		return nil, errors.New("no record on the node to copy: run the story first")
	}
	return out, nil
}

// liveGrant is the first grant of the story that is granted and not past
// its expiry.
func liveGrant(ctx sdk.Context, a *app.App) (types.Grant, error) {
	it, err := a.PhrKeeper.Grants.Iterate(ctx, nil)
	if err != nil {
		return types.Grant{}, err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		g, err := it.Value()
		if err != nil {
			return g, err
		}
		if g.Status == types.GRANT_STATUS_GRANTED && ctx.BlockTime().Before(g.Expiry) {
			return g, nil
		}
	}
	return types.Grant{}, errors.New("no live grant on the node to fetch under: run the story first")
}

// inGrant: r lies in g's scope (the checks FetchRecords makes).
func inGrant(g types.Grant, r types.Record) bool {
	return r.Patient == g.Patient && r.Vault == g.Vault && r.Epoch == g.Epoch &&
		!r.Time.Before(g.Scope.FromTime) && r.Time.Before(g.Scope.ToTime)
}

// fetchAll fetches ids under g as its requester would, max_records_per_fetch
// per call, and returns the number of tasks opened.
func fetchAll(ctx sdk.Context, a *app.App, g types.Grant, ids []uint64) (int, error) {
	params, err := a.PhrKeeper.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	requester, err := sdk.AccAddressFromBech32(g.Requester)
	if err != nil {
		return 0, err
	}
	tasks := 0
	for len(ids) > 0 {
		n := min(len(ids), int(params.MaxRecordsPerFetch))
		opened, err := a.PhrKeeper.FetchRecords(ctx, requester, g.Id, ids[:n])
		if err != nil {
			return tasks, fmt.Errorf("fetch under grant %d: %w", g.Id, err)
		}
		tasks += len(opened)
		ids = ids[n:]
	}
	return tasks, nil
}

// kvBytes sums the lengths of every key and value in the phr and audit
// stores of cms's latest state.
func kvBytes(cms *rootmulti.Store, a *app.App) int64 {
	var n int64
	for _, name := range []string{types.StoreKey, audittypes.StoreKey} {
		it := cms.GetKVStore(a.GetKey(name)).Iterator(nil, nil)
		for ; it.Valid(); it.Next() {
			n += int64(len(it.Key()) + len(it.Value()))
		}
		it.Close()
	}
	return n
}

// appOptions are the app's options from a plain map (only the home is set).
type appOptions map[string]any

func (o appOptions) Get(key string) any { return o[key] }

// rss is this process's resident set size, as /proc reports it.
func rss() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strings.Join(strings.Fields(v), " ")
		}
	}
	return "n/a"
}
