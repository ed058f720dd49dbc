package keeper_test

// What a proxy's poll costs the node does not grow with the chain's history:
// PendingTasks, GrantsByProxy(GRANTED) and the daemon's whole poll (through
// its own Querier) read the same with 10 or 10,000 revoked and expired grants
// on the proxy's committee.
//
//	go test -run '^$' -bench BenchmarkPollCost -benchtime 1000x ./x/phr/keeper/   # make bench-state

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// pollWorld has 3 live grants of 2 open tasks each on the committee, and
// history revoked and expired grants, each with two closed tasks.
type pollWorld struct {
	w     *phrtest.World
	proxy string
	gas   storetypes.GasMeter
}

const liveGrants = 3

func newPollWorld(tb testing.TB, history int) *pollWorld {
	tb.Helper()
	w := phrtest.NewWorld(tb, 3)
	h := w.H
	k := h.App.PhrKeeper
	recordID := w.Upload(testPayload, w.Now())
	var live types.Grant
	var task types.Task
	for i := 0; i < liveGrants; i++ {
		id := w.Request(10)
		w.MustDeliver(w.Patient, w.GrantMsg(id, 2))
		tasks := w.Fetch(id, recordID)
		live = getGrantTB(tb, h.App.PhrKeeper, h.Ctx(), id)
		var err error
		task, err = k.Tasks.Get(h.Ctx(), tasks[0])
		require.NoError(tb, err)
	}
	ctx := h.Ctx()
	for i := 0; i < history; i++ {
		id, err := k.GrantSeq.Next(ctx)
		require.NoError(tb, err)
		g := live
		g.Id, g.Status = id+1, types.GRANT_STATUS_REVOKED
		if i%2 == 1 {
			g.Status = types.GRANT_STATUS_EXPIRED
		}
		require.NoError(tb, k.Grants.Set(ctx, g.Id, g))
		for _, st := range []types.TaskStatus{types.TASK_STATUS_DONE, types.TASK_STATUS_EXPIRED} {
			tid, err := k.TaskSeq.Next(ctx)
			require.NoError(tb, err)
			t := task
			t.Id, t.GrantId, t.Status = tid+1, g.Id, st
			require.NoError(tb, k.Tasks.Set(ctx, t.Id, t))
		}
	}
	h.NextBlock()
	return &pollWorld{w: w, proxy: w.Proxies[0].String()}
}

func getGrantTB(tb testing.TB, k *keeper.Keeper, ctx sdk.Context, id uint64) types.Grant {
	tb.Helper()
	g, err := k.GetGrant(ctx, id)
	require.NoError(tb, err)
	return g
}

// querier is the proxy daemon's own Querier over the query server, each
// query in a context whose gas meter p.gas records the store reads.
func (p *pollWorld) querier() proxy.Querier {
	return proxy.NewServerQuerier(keeper.NewQueryServerImpl(p.w.H.App.PhrKeeper), func() context.Context {
		return p.w.H.Ctx().WithGasMeter(p.gas)
	})
}

// The three measured reads; each returns what it listed.
var pollOps = []struct {
	name string
	run  func(q proxy.Querier, me string) (int, error)
}{
	{"pending_tasks", func(q proxy.Querier, me string) (int, error) {
		tasks, err := q.PendingTasks(context.Background(), me, proxy.DefaultMaxTasks)
		return len(tasks), err
	}},
	{"grants_by_proxy_granted", func(q proxy.Querier, me string) (int, error) {
		gs, err := q.GrantsByProxy(context.Background(), me, types.GRANT_STATUS_GRANTED)
		return len(gs), err
	}},
	// proxy_poll is what Worker.Step asks every cycle: the active grants,
	// the pending tasks, and the record head of each task (for its capsules).
	{"proxy_poll", func(q proxy.Querier, me string) (int, error) {
		gs, err := q.GrantsByProxy(context.Background(), me, types.GRANT_STATUS_GRANTED)
		if err != nil {
			return 0, err
		}
		tasks, err := q.PendingTasks(context.Background(), me, proxy.DefaultMaxTasks)
		if err != nil {
			return 0, err
		}
		for _, t := range tasks {
			if _, err := q.RecordHead(context.Background(), t.RecordId); err != nil {
				return 0, err
			}
		}
		return len(gs) + len(tasks), err
	}},
}

// gasOf runs op once and returns the gas its store reads consumed.
func (p *pollWorld) gasOf(tb testing.TB, op func(proxy.Querier, string) (int, error)) (uint64, int) {
	tb.Helper()
	p.gas = storetypes.NewInfiniteGasMeter()
	n, err := op(p.querier(), p.proxy)
	require.NoError(tb, err)
	return p.gas.GasConsumed(), n
}

// TestPollCostFlat: with 2,000 historical grants every poll read costs the
// same gas as with 10 (within 1.5x) and lists the same.
func TestPollCostFlat(t *testing.T) {
	small, large := newPollWorld(t, 10), newPollWorld(t, 2000)
	for _, op := range pollOps {
		gs, ns := small.gasOf(t, op.run)
		gl, nl := large.gasOf(t, op.run)
		require.Equal(t, ns, nl, "%s lists the same", op.name)
		require.NotZero(t, ns, op.name)
		ratio := float64(gl) / float64(gs)
		t.Logf("%s: %d gas with 10 historical grants, %d with 2,000 (ratio %.3f)", op.name, gs, gl, ratio)
		require.LessOrEqual(t, ratio, 1.5, op.name)
	}
}

// BenchmarkPollCost measures each poll read on a chain with 10 and one with
// 10,000 historical grants, in one process and interleaved (each iteration
// runs the read on both chains, in alternating order, so load from other
// processes and warm caches favour neither). It reports the store gas of each (gas-10, gas-10k; deterministic),
// the time of each (ns-10, ns-10k) and the ratios (gas-ratio, time-ratio);
// scripts/bench-state.sh prints them.
func BenchmarkPollCost(b *testing.B) {
	small, large := newPollWorld(b, 10), newPollWorld(b, 10_000)
	for _, op := range pollOps {
		b.Run(op.name, func(b *testing.B) {
			gasSmall, _ := small.gasOf(b, op.run)
			gasLarge, _ := large.gasOf(b, op.run)
			qs, ql := small.querier(), large.querier()
			var tSmall, tLarge time.Duration
			b.ResetTimer()
			type side struct {
				pw  *pollWorld
				q   proxy.Querier
				sum *time.Duration
			}
			a, c := side{small, qs, &tSmall}, side{large, ql, &tLarge}
			for i := 0; i < b.N; i++ {
				if i%2 == 1 { // alternate which goes first
					a, c = c, a
				}
				for _, side := range []side{a, c} {
					side.pw.gas = storetypes.NewInfiniteGasMeter()
					start := time.Now()
					if _, err := op.run(side.q, side.pw.proxy); err != nil {
						b.Fatal(err)
					}
					*side.sum += time.Since(start)
				}
			}
			b.ReportMetric(float64(gasSmall), "gas-10")
			b.ReportMetric(float64(gasLarge), "gas-10k")
			b.ReportMetric(float64(gasLarge)/float64(gasSmall), "gas-ratio")
			b.ReportMetric(float64(tSmall.Nanoseconds())/float64(b.N), "ns-10")
			b.ReportMetric(float64(tLarge.Nanoseconds())/float64(b.N), "ns-10k")
			b.ReportMetric(float64(tLarge)/float64(tSmall), "time-ratio")
		})
	}
}
