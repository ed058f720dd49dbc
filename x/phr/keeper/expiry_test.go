package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Unanswered tasks expire in the end blocker of the block whose height is
// their deadline (opening height + task_timeout_blocks): status EXPIRED, out
// of the pending sets and the deadline queue, one audit entry each with
// OUTCOME_TIMEOUT. The grant stays active.
func TestTaskExpiry(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	recordID := w.Upload(testPayload, w.Now())
	grantID := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	setParams(t, h, func(p *types.Params) { p.TaskTimeoutBlocks = 3 })
	tasks := w.Fetch(grantID, recordID)
	opened := h.App.LastBlockHeight()
	for _, id := range tasks {
		require.Equal(t, opened+3, getTask(t, h, id).DeadlineHeight)
	}
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks[0])) // opened+1
	late := w.AnswerMsg(1, tasks...)

	h.NextBlock() // opened+2: not yet
	for _, id := range tasks {
		require.Equal(t, types.TASK_STATUS_OPEN, getTask(t, h, id).Status)
	}
	require.Equal(t, tasks, pendingTaskIDs(t, h, w.Proxies[1]))

	seq := auditHead(t, h)
	h.NextBlock() // opened+3: the deadline
	require.Equal(t, opened+3, h.App.LastBlockHeight())
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 1)
	ctx := h.Ctx()
	for i, id := range tasks {
		requireEntry(t, entries[i], types.ActionExpireTask, types.ModuleName, w.Patient.String(), taskObj(id), audittypes.OUTCOME_TIMEOUT)
		require.Equal(t, opened+3, entries[i].Height)
		task := getTask(t, h, id)
		require.Equal(t, types.TASK_STATUS_EXPIRED, task.Status)
		requireTaskQueued(t, h, id, false)
	}
	require.Len(t, getTask(t, h, tasks[0]).Answers, 1, "answers in before the deadline stay")
	requireEmpty(t, k.Tasks.Indexes.Queue.KeySet, ctx, "deadline queue emptied")
	requireEmpty(t, k.Tasks.Indexes.Pending.KeySet, ctx, "pending sets emptied")
	// the incomplete share is dropped and the record released for a new fetch
	has, err := k.Shares.Has(ctx, collections.Join(grantID, recordID))
	require.NoError(t, err)
	require.False(t, has)
	require.Zero(t, getGrant(t, h, grantID).RecordsFetched)
	for _, p := range w.Proxies {
		require.Empty(t, pendingTaskIDs(t, h, p))
	}
	require.Equal(t, types.GRANT_STATUS_GRANTED, getGrant(t, h, grantID).Status)

	deliverRefused(t, h, w.Proxies[1], types.ErrTaskClosed, late)
	// the grant still opens tasks, for other records and for the expired one again
	other := w.Upload(testPayload, w.Now())
	require.Len(t, w.Fetch(grantID, other), 1)
	again := w.Fetch(grantID, recordID)
	require.Len(t, again, 1)
	require.Equal(t, uint32(2), getGrant(t, h, grantID).RecordsFetched)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, again...))
	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, again...))
	env, err := w.Decrypt(grantID, recordID)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)
}

// Grants expire in the end blocker of the first block whose time is not
// before their expiry: status EXPIRED, out of the grant queue, an audit entry
// with OUTCOME_TIMEOUT; its open tasks are left to their deadline and pending
// for no proxy. A later grant is untouched.
func TestGrantExpiry(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	recordID := w.Upload(testPayload, w.Now())
	short, long := w.Request(5), w.Request(5)
	msg := w.GrantMsg(short, 2)
	msg.Expiry = w.Now().Add(20*time.Second + 500*time.Millisecond) // granted at T+5; T+20 < expiry < T+25
	w.MustDeliver(w.Patient, msg)
	w.MustDeliver(w.Patient, w.GrantMsg(long, 2))
	tasks := w.Fetch(short, recordID) // T+15
	longTasks := w.Fetch(long, recordID)
	// T+20: the same Unix second as the expiry, but before it
	require.Equal(t, types.GRANT_STATUS_GRANTED, getGrant(t, h, short).Status)
	require.Equal(t, msg.Expiry.Unix(), w.Now().Unix())
	has, err := k.Grants.Indexes.GrantQueue.Has(h.Ctx(), collections.Join(msg.Expiry.UnixNano(), short))
	require.NoError(t, err)
	require.True(t, has)

	seq := auditHead(t, h)
	h.NextBlock() // T+25
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 1)
	requireEntry(t, entries[0], types.ActionExpireGrant, types.ModuleName, w.Patient.String(), grantObj(short), audittypes.OUTCOME_TIMEOUT)

	ctx := h.Ctx()
	require.Equal(t, types.GRANT_STATUS_EXPIRED, getGrant(t, h, short).Status)
	has, err = k.Grants.Indexes.GrantQueue.Has(ctx, collections.Join(msg.Expiry.UnixNano(), short))
	require.NoError(t, err)
	require.False(t, has)
	// Expiry does not walk the grant's open tasks; they die at their deadline.
	for _, id := range tasks {
		require.Equal(t, types.TASK_STATUS_OPEN, getTask(t, h, id).Status)
	}
	require.Equal(t, types.GRANT_STATUS_GRANTED, getGrant(t, h, long).Status)
	for _, id := range longTasks {
		require.Equal(t, types.TASK_STATUS_OPEN, getTask(t, h, id).Status)
	}
	for _, p := range w.Proxies {
		require.Equal(t, longTasks, pendingTaskIDs(t, h, p))
	}

	// an expired grant is final
	deliverRefused(t, h, w.Patient, types.ErrGrantState, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: short})
	deliverRefused(t, h, w.Patient, types.ErrGrantState, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: short})
	deliverRefused(t, h, w.Patient, types.ErrGrantState, w.GrantMsg(short, 2))
	deliverRefused(t, h, w.Hospital, types.ErrGrantExpired, fetchMsg(w, short, w.Upload(testPayload, w.Now())))

	// once only: later blocks add nothing
	seq = auditHead(t, h)
	h.NextBlock()
	require.Empty(t, auditSince(t, h, seq))
}

// A request whose requested expiry has passed is closed by the end blocker
// (EXPIRED, audited as a timeout) and can no longer be granted.
func TestRequestPastItsExpiry(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	k := w.H.App.PhrKeeper
	m := w.RequestMsg(5)
	m.Expiry = w.Now().Add(10 * time.Second)
	var resp types.MsgRequestAccessResponse
	mustDecode(t, w, w.Hospital, m, &resp)
	seq := auditHead(t, w.H)
	w.H.NextBlock()
	w.H.NextBlock()

	g, err := k.GetGrant(w.H.Ctx(), resp.GrantId)
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_EXPIRED, g.Status)
	requireEmpty(t, k.Grants.Indexes.RequestQueue.KeySet, w.H.Ctx(), "an expired request leaves the request queue")
	entries := auditSince(t, w.H, seq)
	require.Len(t, entries, 1)
	require.Equal(t, types.ActionExpireGrant, entries[0].Action)
	require.Equal(t, audittypes.OUTCOME_TIMEOUT, entries[0].Outcome)

	grant := w.GrantMsg(resp.GrantId, 2)
	grant.Expiry = w.Now().Add(time.Hour)
	deliverRefused(t, w.H, w.Patient, types.ErrGrantState, grant)
}
