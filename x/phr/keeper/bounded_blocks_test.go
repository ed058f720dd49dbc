package keeper_test

// The end blocker's work per block is bounded by max_expiries_per_block, and
// revoking a grant costs the same whatever its open tasks.

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// endBlockGas runs the phr end blocker at time at in the committed store and
// returns the gas its store reads and writes (phr and audit) consumed.
func endBlockGas(t *testing.T, h *apptest.Harness, at time.Time) uint64 {
	t.Helper()
	ctx := h.Ctx().WithBlockTime(at).WithGasMeter(storetypes.NewInfiniteGasMeter())
	require.NoError(t, h.App.PhrKeeper.EndBlock(ctx))
	return ctx.GasMeter().GasConsumed()
}

// putRequests writes n open requests, copies of template with fresh ids,
// expiring at expiry + i µs (all within one second for n ≤ 1e6).
func putRequests(t *testing.T, h *apptest.Harness, template types.Grant, n int, expiry time.Time) []uint64 {
	t.Helper()
	k := h.App.PhrKeeper
	ctx := h.Ctx()
	ids := make([]uint64, n)
	for i := range ids {
		id, err := k.GrantSeq.Next(ctx)
		require.NoError(t, err)
		g := template
		g.Id, g.RequestedExpiry = id+1, expiry.Add(time.Duration(i)*time.Microsecond)
		require.NoError(t, k.Grants.Set(ctx, g.Id, g))
		ids[i] = g.Id
	}
	return ids
}

func queueLen(t *testing.T, h *apptest.Harness, queue collections.KeySet[collections.Pair[int64, uint64]]) int {
	t.Helper()
	n := 0
	require.NoError(t, queue.Walk(h.Ctx(), nil, func(collections.Pair[int64, uint64]) (bool, error) { n++; return false, nil }))
	return n
}

// 10,000 requests expiring within one second are all expired within
// ceil(10000/limit) blocks, limit per block, each block's end-block gas
// bounded by limit times the gas of one expiry and not growing with the queue.
func TestExpiryBoundedPerBlock(t *testing.T) {
	const total, limit = 10_000, types.DefaultMaxExpiriesPerBlock
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	template := getGrant(t, h, w.Request(5)) // expires in 48 h: never due here
	params, err := k.Params.Get(h.Ctx())
	require.NoError(t, err)
	require.Equal(t, uint32(limit), params.MaxExpiriesPerBlock, "the default applies")
	queued := func() int { return queueLen(t, h, k.Grants.Indexes.RequestQueue.KeySet) }

	// the gas of one expiry, alone in its block
	putRequests(t, h, template, 1, w.Now())
	one := endBlockGas(t, h, w.Now())
	require.Equal(t, 1, queued(), "only the fixture's own request waits")
	idle := endBlockGas(t, h, w.Now())
	require.Less(t, idle, one, "nothing due")

	// 10,000 due at the next block, within one second
	ids := putRequests(t, h, template, total, w.Now().Add(time.Second))
	require.Equal(t, total+1, queued())
	h.NextBlock() // the chain's own end blocker takes limit of them
	require.Equal(t, total+1-limit, queued())
	for i, id := range ids {
		want := types.GRANT_STATUS_REQUESTED
		if i < limit {
			want = types.GRANT_STATUS_EXPIRED
		}
		require.Equal(t, want, getGrant(t, h, id).Status, "request %d", i)
	}
	gas := []uint64{}
	for blocks := 1; queued() > 1; blocks++ {
		require.Less(t, blocks, total/limit, "more than ceil(%d/%d) blocks", total, limit)
		gas = append(gas, endBlockGas(t, h, w.Now()))
	}
	require.Len(t, gas, total/limit-1)
	for _, id := range ids {
		require.Equal(t, types.GRANT_STATUS_EXPIRED, getGrant(t, h, id).Status)
	}
	require.Equal(t, types.GRANT_STATUS_REQUESTED, template.Status)
	require.Equal(t, types.GRANT_STATUS_REQUESTED, getGrant(t, h, template.Id).Status, "not due: untouched")
	bound := uint64(limit) * one * 11 / 10
	for i, g := range gas {
		require.LessOrEqual(t, g, bound, "block %d: %d gas for %d expiries, one costs %d", i, g, limit, one)
	}
	first, last := gas[0], gas[len(gas)-1]
	require.InDelta(t, float64(first), float64(last), float64(first)/20,
		"the first block (10,000 queued) and the last (%d queued) cost the same", limit)
	t.Logf("one expiry: %d gas; nothing due: %d gas; a block of %d expiries: %d-%d gas; %d blocks", one, idle, limit, last, first, len(gas)+1)
}

// The budget is shared: grants first, then tasks, then requests; the rest
// carries over. A task past its deadline that the end blocker has not reached
// is refused all the same.
func TestExpiryBudgetCarriesOver(t *testing.T) {
	w, grantID, recordID := grantedWorld(t)
	h := w.H
	k := h.App.PhrKeeper
	setParams(t, h, func(p *types.Params) { p.MaxExpiriesPerBlock = 3 })
	g := getGrant(t, h, grantID)
	ctx := h.Ctx()
	at := w.Now().Add(time.Hour)
	var grants []uint64
	for i := 0; i < 2; i++ {
		id, err := k.GrantSeq.Next(ctx)
		require.NoError(t, err)
		c := g
		c.Id, c.Expiry = id+1, at
		require.NoError(t, k.Grants.Set(ctx, c.Id, c))
		grants = append(grants, c.Id)
	}
	requests := putRequests(t, h, getGrant(t, h, w.Request(5)), 2, at)
	r2 := w.Upload(testPayload, w.Now())
	tasks := w.Fetch(grantID, recordID, r2) // one task per record; deadline: now + task_timeout_blocks
	deadline := getTask(t, h, tasks[0]).DeadlineHeight

	ctx = h.Ctx().WithBlockHeight(deadline).WithBlockTime(at).WithGasMeter(storetypes.NewInfiniteGasMeter())
	require.NoError(t, k.EndBlock(ctx))
	for _, id := range grants {
		require.Equal(t, types.GRANT_STATUS_EXPIRED, getGrant(t, h, id).Status)
	}
	require.Equal(t, types.TASK_STATUS_EXPIRED, getTask(t, h, tasks[0]).Status)
	require.Equal(t, types.TASK_STATUS_OPEN, getTask(t, h, tasks[1]).Status, "over budget: carried over")
	for _, id := range requests {
		require.Equal(t, types.GRANT_STATUS_REQUESTED, getGrant(t, h, id).Status, "over budget: carried over")
	}
	_, err := k.AnswerTarget(h.Ctx().WithBlockHeight(deadline+1), w.Proxies[0].Address, tasks[1])
	require.ErrorIs(t, err, types.ErrTaskClosed, "past its deadline, before the end blocker marks it")

	ctx = h.Ctx().WithBlockHeight(deadline + 1).WithBlockTime(at.Add(time.Second)).WithGasMeter(storetypes.NewInfiniteGasMeter())
	require.NoError(t, k.EndBlock(ctx))
	require.Equal(t, types.TASK_STATUS_EXPIRED, getTask(t, h, tasks[1]).Status)
	for _, id := range requests {
		require.Equal(t, types.GRANT_STATUS_EXPIRED, getGrant(t, h, id).Status)
	}
}

// An expired task releases its record: the hospital fetches it again, the
// new task's answers complete the share, and the expired task takes no
// answer.
func TestFetchAgainAfterExpiry(t *testing.T) {
	w, grantID, recordID := grantedWorld(t)
	h := w.H
	k := h.App.PhrKeeper
	setParams(t, h, func(p *types.Params) { p.TaskTimeoutBlocks = 3 })
	first := w.Fetch(grantID, recordID)
	stale := w.AnswerMsg(0, first...)
	for h.App.LastBlockHeight() < getTask(t, h, first[0]).DeadlineHeight {
		h.NextBlock()
	}
	require.Equal(t, types.TASK_STATUS_EXPIRED, getTask(t, h, first[0]).Status)
	require.Zero(t, getGrant(t, h, grantID).RecordsFetched, "released by the expiry")

	again := w.Fetch(grantID, recordID)
	share, err := k.Shares.Get(h.Ctx(), collections.Join(grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, types.SHARE_STATUS_PENDING, share.Status)
	require.Equal(t, uint32(1), getGrant(t, h, grantID).RecordsFetched)
	deliverRefused(t, h, w.Proxies[0], types.ErrTaskClosed, stale)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, again...))
	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, again...))
	env, err := w.Decrypt(grantID, recordID)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)
}

// Revoking a grant with 1,000 open tasks costs the same gas as revoking one
// with none: revocation does not walk the tasks.
func TestRevokeCostIndependentOfOpenTasks(t *testing.T) {
	w, busy, recordID := grantedWorld(t)
	h := w.H
	k := h.App.PhrKeeper
	idle := w.Request(10)
	w.MustDeliver(w.Patient, w.GrantMsg(idle, 2))
	template := getTask(t, h, w.Fetch(busy, recordID)[0])
	ctx := h.Ctx()
	for i := 0; i < 1000; i++ {
		id, err := k.TaskSeq.Next(ctx)
		require.NoError(t, err)
		task := template
		task.Id = id + 1
		require.NoError(t, k.Tasks.Set(ctx, task.Id, task))
	}
	h.NextBlock()
	require.Len(t, pendingTaskIDs(t, h, w.Proxies[0]), types.MaxPageLimit, "the busy grant's tasks are pending (one page shown)")

	revoke := func(id uint64) int64 {
		res := w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: id, Note: "done"})
		return res.GasUsed
	}
	withTasks, without := revoke(busy), revoke(idle)
	t.Logf("revoke gas: %d with 1,001 open tasks, %d with none", withTasks, without)
	require.InDelta(t, float64(without), float64(withTasks), 500, "revocation gas must not depend on open tasks")
	require.Empty(t, pendingTaskIDs(t, h, w.Proxies[0]), "tasks of the revoked grant are pending for no proxy")
}
