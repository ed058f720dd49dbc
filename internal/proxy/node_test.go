package proxy_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/clienttest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// racing runs before each submission of the wrapped submitter.
type racing struct {
	proxy.Submitter
	before func()
}

func (r *racing) Submit(ctx context.Context, msg *types.MsgSubmitAnswers) (*proxy.SubmitResult, error) {
	if r.before != nil {
		f := r.before
		r.before = nil
		f()
	}
	return r.Submitter.Submit(ctx, msg)
}

// The daemon's own clients, NewGRPCQuerier and NewTxSubmitter over a
// client.Context, against the real app behind a node that garbles every log:
// three proxies of a 2-of-3 grant complete its tasks (the completed tasks
// read from the real message responses), and the proxy that lost the race is
// told so by the refusal's code, not its text, and retries instead of
// failing the cycle.
func TestDaemonClientsThroughANode(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	payload := []byte(`{"resourceType":"Observation","status":"final","code":{"text":"SpO2"}}`)
	record := w.Upload(payload, w.Now())
	grant := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(grant, 2))
	tasks := w.Fetch(grant, record)

	node := clienttest.NewNode(w.H)
	node.Rewrite = func(string) string { return "garbled" }
	var logs [3]bytes.Buffer
	subs := make([]*racing, 3)
	workers := make([]*proxy.Worker, 3)
	for i := range workers {
		cctx, txf := clienttest.Context(t, node, "proxy", w.Proxies[i])
		subs[i] = &racing{Submitter: proxy.NewTxSubmitter(cctx, txf, time.Minute, proxy.DefaultCompletionGas)}
		var err error
		workers[i], err = proxy.NewWorker(proxy.Config{
			ChainID: apptest.ChainID, Address: w.Proxies[i].Address, Key: w.ProxyKeys[i], Store: keystore.NewMemStore(),
			Query: proxy.NewGRPCQuerier(types.NewQueryClient(cctx)), Tx: subs[i],
			Logger: log.NewLogger(&logs[i], log.ColorOption(false)),
		})
		require.NoError(t, err)
	}
	ctx := context.Background()
	var reps [2]*proxy.StepReport
	subs[2].before = func() {
		for i := range 2 {
			var err error
			reps[i], err = workers[i].Step(ctx)
			require.NoError(t, err, "proxy %d:\n%s", i, logs[i].String())
		}
	}
	rep2, err := workers[2].Step(ctx)
	require.NoError(t, err, "proxy 2:\n%s", logs[2].String())
	require.Equal(t, tasks, reps[0].Answered)
	require.Equal(t, tasks, reps[1].Answered)
	require.Equal(t, tasks, reps[1].Completed, "from the tx's message responses")
	require.Empty(t, rep2.Answered)
	require.Contains(t, logs[2].String(), "retrying the rest once", "the race recognised by code")

	for _, id := range tasks {
		task, err := w.H.App.PhrKeeper.Tasks.Get(w.H.Ctx(), id)
		require.NoError(t, err)
		require.Equal(t, types.TASK_STATUS_DONE, task.Status)
	}
	env, err := w.Decrypt(grant, record)
	require.NoError(t, err)
	require.Equal(t, payload, env.Payload)
}
