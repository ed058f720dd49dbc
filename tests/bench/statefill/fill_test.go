package main

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	phrkeeper "github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// TestFillIsVersionH runs the story on an app over a goleveldb database on
// disk, fills 1000 records at its last height H, and reopens the database
// with the app's constructor: the app is at H with the fill's hash, block
// H's own writes are still there, the records and tasks answer the query
// server, the audit chain verifies to the expected head, and the next block
// is finalized and committed on top.
func TestFillIsVersionH(t *testing.T) {
	home := t.TempDir()
	openApp := func() *app.App {
		db, err := dbm.NewDB("application", dbm.GoLevelDBBackend, filepath.Join(home, "data"))
		require.NoError(t, err)
		return app.New(log.NewNopLogger(), db, true, simtestutil.EmptyAppOptions{}, baseapp.SetChainID(apptest.ChainID))
	}
	appState, accounts := apptest.NewGenesis(t, 7, nil)
	w := phrtest.NewWorldOn(t, apptest.FromAppState(t, openApp(), appState, accounts))
	payload := []byte(`{"resourceType":"Observation","status":"final"}`)
	w.Upload(payload, w.Now())
	grant := w.Request(1000)
	w.MustDeliver(w.Patient, w.GrantMsg(grant, 2))
	lastStory := w.Upload(payload, w.Now()) // block H's own write, which the rewrite must keep

	a := w.H.App
	h, hash := a.LastBlockHeight(), a.LastCommitID().Hash
	header := cmtproto.Header{ChainID: apptest.ChainID, Height: h, Time: w.Now()}
	require.NoError(t, a.Close())

	const n, fetch = 1000, 64
	var progress bytes.Buffer
	res, err := fillApp(fillConfig{home: home, records: n, fetch: fetch, every: 500}, header, hash, &progress)
	require.NoError(t, err, progress.String())
	require.Equal(t, lastStory+1, res.firstRecord)
	require.Equal(t, lastStory+n, res.lastRecord)
	require.GreaterOrEqual(t, res.tasks, fetch) // a task or more a fetched record, as the fetch path opens them
	require.Contains(t, progress.String(), "1000 records written")
	require.Positive(t, res.kvBytes)
	require.NotEqual(t, hash, res.appHash)

	b := openApp()
	defer b.Close()
	require.Equal(t, h, b.LastBlockHeight())
	require.Equal(t, res.appHash, b.LastCommitID().Hash)
	ctx := b.NewUncachedContext(false, header) //nolint:staticcheck // reads only
	qs := phrkeeper.NewQueryServerImpl(b.PhrKeeper)
	for _, id := range []uint64{lastStory, res.firstRecord, res.lastRecord} {
		r, err := qs.Record(ctx, &types.QueryRecordRequest{Id: id})
		require.NoError(t, err, "record %d", id)
		require.Equal(t, w.Patient.String(), r.Record.Patient)
		if id > lastStory {
			require.Len(t, r.Record.Body, 512)
		}
		require.Len(t, r.Record.Capsules, 2)
	}
	byPatient, err := qs.RecordsByPatient(ctx, &types.QueryRecordsByPatientRequest{Patient: w.Patient.String(),
		Pagination: &query.PageRequest{Offset: n, Limit: types.MaxPageLimit}})
	require.NoError(t, err)
	require.Len(t, byPatient.Records, int(lastStory)) // the last page: n + lastStory records in all
	tasks, err := qs.PendingTasks(ctx, &types.QueryPendingTasksRequest{Proxy: w.Proxies[0].String(),
		Pagination: &query.PageRequest{Limit: types.MaxPageLimit}})
	require.NoError(t, err)
	require.Len(t, tasks.Tasks, min(res.tasks, types.MaxPageLimit)) // one page of the fetched records' tasks

	head, err := b.AuditKeeper.Head(ctx)
	require.NoError(t, err)
	require.Equal(t, res.auditHead, head.Sequence)
	var entries []audittypes.Entry
	require.NoError(t, b.AuditKeeper.Entries.Walk(ctx, nil, func(_ uint64, e audittypes.Entry) (bool, error) {
		entries = append(entries, e)
		return false, nil
	}))
	require.Len(t, entries, int(head.Sequence))
	require.NoError(t, audittypes.VerifyChain(nil, entries))

	_, err = b.FinalizeBlock(&abci.RequestFinalizeBlock{Height: h + 1, Time: header.Time.Add(5 * time.Second)})
	require.NoError(t, err)
	_, err = b.Commit()
	require.NoError(t, err)
	require.Equal(t, h+1, b.LastBlockHeight())
}
