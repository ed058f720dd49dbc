package proxy_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/testutil/proxytest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Three real proxy workers on the in-process app (queries on committed state,
// answers as signed txs through the ante chain and its firewall, which
// rerandomized the uploaded capsules) complete a 2-of-3 grant's tasks; the
// chain combines and stores the shares and the hospital decrypts them. The
// third proxy loses the race (the chain answers ErrTaskClosed) and re-queries
// instead of failing; after a revocation every proxy deletes its fragment.
func TestWorkersThroughApp(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	payloads := [][]byte{
		[]byte(`{"resourceType":"Observation","status":"final","code":{"text":"heart rate"}}`),
		[]byte(`{"resourceType":"Observation","status":"final","code":{"text":"SpO2"}}`),
	}
	var records []uint64
	for _, p := range payloads {
		records = append(records, w.Upload(p, w.Now()))
	}
	grantID := w.Request(10)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	tasks := w.Fetch(grantID, records...)
	require.Len(t, tasks, 2, "one task per record")

	q := proxytest.Querier(w.H)
	var logs [3]bytes.Buffer
	stores := make([]*keystore.MemStore, 3)
	subs := make([]*proxytest.Submitter, 3)
	workers := make([]*proxy.Worker, 3)
	for i := range workers {
		stores[i] = keystore.NewMemStore()
		subs[i] = &proxytest.Submitter{H: w.H, Account: w.Proxies[i]}
		var err error
		workers[i], err = proxy.NewWorker(proxy.Config{
			ChainID: apptest.ChainID, Address: w.Proxies[i].Address, Key: w.ProxyKeys[i], Store: stores[i],
			Query: q, Tx: subs[i], BatchSize: 1, Logger: log.NewLogger(&logs[i], log.ColorOption(false)),
		})
		require.NoError(t, err)
	}
	ctx := context.Background()

	// Proxy 2 lists the tasks and computes its answers; before its first tx
	// lands, proxies 0 and 1 run whole cycles and complete every task.
	var reps [3]*proxy.StepReport
	subs[2].Before = func(*types.MsgSubmitAnswers) {
		subs[2].Before = nil
		for i := 0; i < 2; i++ {
			var err error
			reps[i], err = workers[i].Step(ctx)
			require.NoError(t, err)
		}
	}
	rep2, err := workers[2].Step(ctx)
	require.NoError(t, err)

	require.Equal(t, tasks, reps[0].Answered, "proxy 0")
	require.Len(t, reps[0].TxHashes, 2, "2 answers in batches of 1")
	require.Equal(t, tasks, reps[1].Answered, "proxy 1")
	require.Equal(t, tasks, reps[1].Completed, "proxy 1's answers reach the threshold")
	require.Empty(t, rep2.Answered, "proxy 2 lost the race")
	require.Contains(t, logs[2].String(), "task is no longer open", "the chain's ErrTaskClosed")
	require.Contains(t, logs[2].String(), "retrying the rest once")

	k := w.H.App.PhrKeeper
	for _, id := range tasks {
		task, err := k.Tasks.Get(w.H.Ctx(), id)
		require.NoError(t, err)
		require.Equal(t, types.TASK_STATUS_DONE, task.Status)
	}
	for i, rid := range records {
		env, err := w.Decrypt(grantID, rid)
		require.NoError(t, err)
		require.Equal(t, payloads[i], env.Payload)
	}
	for i := range workers {
		rep, err := workers[i].Step(ctx)
		require.NoError(t, err)
		require.Zero(t, rep.Pending, "proxy %d", i)
	}

	// Revocation: every proxy deletes its fragment on its next cycle.
	w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: grantID})
	for i := range workers {
		rep, err := workers[i].Step(ctx)
		require.NoError(t, err)
		require.True(t, slices.Equal(rep.Deleted, []uint64{grantID}), "proxy %d deleted %v", i, rep.Deleted)
		_, err = stores[i].Get(keystore.GrantRef{ChainID: apptest.ChainID, GrantID: grantID})
		require.True(t, errors.Is(err, keystore.ErrRevoked), "proxy %d: %v", i, err)
		require.True(t, strings.Contains(logs[i].String(), "fragment deleted"))
	}
}
