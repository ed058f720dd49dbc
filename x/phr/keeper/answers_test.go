package keeper_test

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Answers are verified and stored without their proofs; the t-th valid
// answer of a task combines it into the share; a complete share decrypts.
func TestSubmitAnswers(t *testing.T) {
	w, grantID, recordID, tasks := fetchedWorld(t)
	h := w.H
	k := h.App.PhrKeeper

	first := w.AnswerMsg(0, tasks...)
	seq := auditHead(t, h)
	var resp types.MsgSubmitAnswersResponse
	mustDecode(t, w, w.Proxies[0], first, &resp)
	require.Empty(t, resp.CompletedTasks, "one answer of a 2-of-3 grant completes nothing")
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 2)
	for i, id := range tasks {
		requireEntry(t, entries[i], types.ActionAnswerTask, w.Proxies[0].String(), w.Patient.String(), taskObj(id), audittypes.OUTCOME_SUCCESS)
		task := getTask(t, h, id)
		require.Equal(t, types.TASK_STATUS_OPEN, task.Status)
		require.Len(t, task.Answers, 1)
		require.Equal(t, w.Proxies[0].String(), task.Answers[0].Proxy)
		require.Equal(t, first.Answers[i].Answer[:group.ElementSize], task.Answers[0].EI, "E_i stored, proof dropped")
	}
	require.Empty(t, pendingTaskIDs(t, h, w.Proxies[0]), "answered tasks are no longer pending for the proxy")
	require.Equal(t, tasks, pendingTaskIDs(t, h, w.Proxies[1]))
	share, err := k.Shares.Get(h.Ctx(), collections.Join(grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, types.SHARE_STATUS_PENDING, share.Status)
	require.Empty(t, share.FirstLevel[0])

	seq = auditHead(t, h)
	mustDecode(t, w, w.Proxies[2], w.AnswerMsg(2, tasks...), &resp)
	require.Equal(t, tasks, resp.CompletedTasks)
	entries = auditSince(t, h, seq)
	require.Len(t, entries, 3)
	requireEntry(t, entries[0], types.ActionAnswerTask, w.Proxies[2].String(), w.Patient.String(), taskObj(tasks[0]), audittypes.OUTCOME_SUCCESS)
	requireEntry(t, entries[1], types.ActionAnswerTask, w.Proxies[2].String(), w.Patient.String(), taskObj(tasks[1]), audittypes.OUTCOME_SUCCESS)
	requireEntry(t, entries[2], types.ActionShareRecord, types.ModuleName, w.Patient.String(), fetchObj(grantID, recordID), audittypes.OUTCOME_SUCCESS)

	ctx := h.Ctx()
	for _, id := range tasks {
		task := getTask(t, h, id)
		require.Equal(t, types.TASK_STATUS_DONE, task.Status)
		requireTaskQueued(t, h, id, false)
	}
	share, err = k.Shares.Get(ctx, collections.Join(grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, types.SHARE_STATUS_COMPLETE, share.Status)
	for _, fl := range share.FirstLevel {
		require.Len(t, fl, pre.FirstLevelSize)
	}
	for _, p := range w.Proxies {
		require.Empty(t, pendingTaskIDs(t, h, p))
	}
	env, err := w.Decrypt(grantID, recordID)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)

	// the third proxy is late
	late := w.AnswerMsg(1, tasks[0])
	checkTxRefused(t, h, w.Proxies[1], types.ErrTaskClosed, late)
	deliverRefused(t, h, w.Proxies[1], types.ErrTaskClosed, late)
}

// tamperEi replaces E_i of an answer by E_i·g, keeping the proof.
func tamperEi(t *testing.T, answer []byte) []byte {
	t.Helper()
	a, err := pre.DecodeAnswer(answer)
	require.NoError(t, err)
	a.Ei = new(group.Element).Add(a.Ei, group.Generator())
	return a.Bytes()
}

// answerOn is proxy i's honest answer for taskID, but computed on an E of
// the caller's choice.
func answerOn(t *testing.T, w *phrtest.World, i int, taskID uint64, E *group.Element) []byte {
	t.Helper()
	task := getTask(t, w.H, taskID)
	g := getGrant(t, w.H, task.GrantId)
	kg, err := pre.DecodeGrant(g.KeyGrant)
	require.NoError(t, err)
	frag, err := pre.OpenFragment(w.ProxyKeys[i], apptest.ChainID, g.Id, w.Proxies[i].Address, kg)
	require.NoError(t, err)
	a, err := frag.Answer(pre.AnswerContext{ChainID: apptest.ChainID, GrantID: g.Id, TaskID: taskID, RecordID: task.RecordId,
		CapsuleIndex: task.CapsuleIndex, Proxy: w.Proxies[i].Address}, E, rand.Reader)
	require.NoError(t, err)
	return a.Bytes()
}

func TestSubmitAnswersRefusals(t *testing.T) {
	w, _, recordID, tasks := fetchedWorld(t)
	h := w.H
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks[0])) // proxy 0 has answered the first task
	// an admitted proxy that joined after the grant: not on its committee
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), h.App.PhrKeeper.Authority(), w.Stranger.Address, types.ROLE_PROXY, proxyKey(t).Public().Bytes()))
	h.NextBlock()

	rec, err := h.App.PhrKeeper.GetRecord(h.Ctx(), recordID)
	require.NoError(t, err)
	otherCapsule, err := pre.DecodeCapsule(rec.Capsules[1])
	require.NoError(t, err)

	p1 := w.Proxies[1]
	as := func(signer apptest.Account, msg *types.MsgSubmitAnswers) *types.MsgSubmitAnswers {
		msg.Proxy = signer.String()
		return msg
	}
	edit := func(msg *types.MsgSubmitAnswers, f func(a *types.AnswerSubmission)) *types.MsgSubmitAnswers {
		f(&msg.Answers[0])
		return msg
	}
	random96 := make([]byte, pre.AnswerSize)
	_, _ = rand.Read(random96)
	cases := []struct {
		name   string
		signer apptest.Account
		msg    *types.MsgSubmitAnswers
		want   *errorsmod.Error
	}{
		{"admitted proxy not on the committee", w.Stranger, as(w.Stranger, w.AnswerMsg(1, tasks[1])), types.ErrNotCommittee},
		{"not a proxy", w.Hospital, as(w.Hospital, w.AnswerMsg(1, tasks[1])), types.ErrNotCommittee},
		{"unknown task", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.TaskId = 999 }), types.ErrTaskNotFound},
		{"no answers", p1, &types.MsgSubmitAnswers{Proxy: p1.String()}, types.ErrInvalidAnswer},
		{"answer of another task", p1, edit(w.AnswerMsg(1, tasks[0]), func(a *types.AnswerSubmission) { a.TaskId = tasks[1] }), types.ErrInvalidAnswer},
		{"wrong exponent", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = tamperEi(t, a.Answer) }), types.ErrInvalidAnswer},
		{"another proxy's answer", p1, as(p1, w.AnswerMsg(2, tasks[1])), types.ErrInvalidAnswer},
		{"answer on a capsule not the task's", p1, edit(w.AnswerMsg(1, tasks[0]), func(a *types.AnswerSubmission) { a.Answer = answerOn(t, w, 1, tasks[0], otherCapsule.E) }), types.ErrInvalidAnswer},
		{"all-zero answer", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = make([]byte, pre.AnswerSize) }), types.ErrInvalidAnswer},
		{"random answer", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = random96 }), types.ErrInvalidAnswer},
		{"short answer", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = a.Answer[:pre.AnswerSize-1] }), types.ErrInvalidAnswer},
		{"long answer", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = append(a.Answer, 0) }), types.ErrInvalidAnswer},
		{"no answer bytes", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = nil }), types.ErrInvalidAnswer},
		{"duplicate answer", w.Proxies[0], w.AnswerMsg(0, tasks[0]), types.ErrDuplicateAnswer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkTxRefused(t, h, tc.signer, tc.want, tc.msg)
			deliverRefused(t, h, tc.signer, tc.want, tc.msg)
		})
	}

	// Twice in one message: refused by the firewall's stateless check (and
	// by the keeper's, which reads every target before storing), nothing stored.
	t.Run("duplicate within one message", func(t *testing.T) {
		deliverRefused(t, h, p1, types.ErrDuplicateAnswer, w.AnswerMsg(1, tasks[1], tasks[1]))
		require.Len(t, getTask(t, h, tasks[1]).Answers, 0)
	})

	// the honest answers still go through
	w.MustDeliver(p1, w.AnswerMsg(1, tasks...))
	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, tasks[1]))
	env, err := w.Decrypt(1, recordID)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)
}

// A batch is all or nothing: one bad answer refuses the tx, and answers
// the msg server had already stored, tasks it had completed and the share
// it had filled are all discarded with it.
func TestSubmitAnswersAllOrNothing(t *testing.T) {
	w, grantID, recordID, tasks := fetchedWorld(t)
	h := w.H
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))

	// firewall refusal: a good answer and a forged one
	batch := w.AnswerMsg(1, tasks...)
	batch.Answers[1].Answer = tamperEi(t, batch.Answers[1].Answer)
	deliverRefused(t, h, w.Proxies[1], types.ErrInvalidAnswer, batch)

	// a stateful refusal (in a block: by the msg server, after the fee) of
	// one task refuses the batch whose other answers would complete t0 and t1
	batch = w.AnswerMsg(1, tasks[0], tasks[1])
	batch.Answers = append(batch.Answers, types.AnswerSubmission{TaskId: 999, Answer: batch.Answers[0].Answer})
	deliverRefused(t, h, w.Proxies[1], types.ErrTaskNotFound, batch)
	for _, id := range tasks {
		task := getTask(t, h, id)
		require.Equal(t, types.TASK_STATUS_OPEN, task.Status)
		require.Len(t, task.Answers, 1)
	}
	share, err := h.App.PhrKeeper.Shares.Get(h.Ctx(), collections.Join(grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, types.SHARE_STATUS_PENDING, share.Status)

	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, tasks...))
	_, err = w.Decrypt(grantID, recordID)
	require.NoError(t, err)
}

// Tasks of a revoked grant are not walked: they stay open until their
// deadline, pending for no proxy, and a late answer is refused because the
// grant is revoked. Tasks of a grant past its expiry are refused as expired
// from the block that reaches the expiry on, before and after the end blocker
// marks the grant.
func TestSubmitAnswersInactiveGrant(t *testing.T) {
	t.Run("revoked", func(t *testing.T) {
		w, grantID, _, tasks := fetchedWorld(t)
		answer := w.AnswerMsg(0, tasks...) // computed while the grant was active
		w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: grantID})
		checkTxRefused(t, w.H, w.Proxies[0], types.ErrGrantRevoked, answer)
		deliverRefused(t, w.H, w.Proxies[0], types.ErrGrantRevoked, answer)
		for _, id := range tasks {
			require.Equal(t, types.TASK_STATUS_OPEN, getTask(t, w.H, id).Status)
		}
		for _, p := range w.Proxies {
			require.Empty(t, pendingTaskIDs(t, w.H, p))
		}
	})
	t.Run("expired", func(t *testing.T) {
		w := phrtest.NewWorld(t, 3)
		h := w.H
		recordID := w.Upload(testPayload, w.Now())
		grantID := w.Request(5)
		msg := w.GrantMsg(grantID, 2)
		msg.Expiry = w.Now().Add(20 * time.Second) // granted at T+5, expires at T+20
		w.MustDeliver(w.Patient, msg)
		tasks := w.Fetch(grantID, recordID) // T+10
		w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))
		answer := w.AnswerMsg(1, tasks...) // computed at T+15, delivered at T+20

		seq := auditHead(t, h)
		res := h.Deliver(w.Proxies[1], answer)
		requireCode(t, types.ErrGrantExpired, res.Codespace, res.Code, res.Log)
		// only the end blocker's work is in the store: the grant expired, its
		// tasks left to their deadline
		entries := auditSince(t, h, seq)
		require.Len(t, entries, 1)
		requireEntry(t, entries[0], types.ActionExpireGrant, types.ModuleName, w.Patient.String(), grantObj(grantID), audittypes.OUTCOME_TIMEOUT)
		for _, id := range tasks {
			task := getTask(t, h, id)
			require.Equal(t, types.TASK_STATUS_OPEN, task.Status)
			require.Len(t, task.Answers, 1)
		}
		deliverRefused(t, h, w.Proxies[1], types.ErrGrantExpired, answer)
	})
}

// The msg server refuses answers that did not pass the chain firewall, and
// the keeper's own re-check refuses answers whose target changed between
// the firewall and the msg server.
func TestSubmitAnswersNotFirewalled(t *testing.T) {
	w, _, _, tasks := fetchedWorld(t)
	h := w.H
	msg := w.AnswerMsg(0, tasks[0])
	before := snapshot(h)
	_, err := msgServer(h).SubmitAnswers(h.Ctx(), msg)
	require.ErrorIs(t, err, types.ErrNotFirewalled)
	// firewalled, but for different answer bytes
	ctx := firewalled(t, h, h.Ctx(), msg)
	other := w.AnswerMsg(0, tasks[0])
	require.False(t, bytes.Equal(other.Answers[0].Answer, msg.Answers[0].Answer))
	_, err = msgServer(h).SubmitAnswers(ctx, other)
	require.ErrorIs(t, err, types.ErrNotFirewalled)
	requireUnchanged(t, h, before)

	// the msg server with a firewalled context stores the answer
	_, err = msgServer(h).SubmitAnswers(ctx, msg)
	require.NoError(t, err)
	require.Len(t, getTask(t, h, tasks[0]).Answers, 1)
}

// docs/design.md §7: "Every message checks its signer's role". A proxy whose
// admission the authority withdrew (say, because its key leaked) must not
// keep answering for the grants it sits on; ErrNotProxy is registered for
// this (and x/phr/proxy classifies it). (Fixed in 585017a.)
func TestSubmitAnswersRemovedProxy(t *testing.T) {
	w, _, _, tasks := fetchedWorld(t)
	h := w.H
	answer := w.AnswerMsg(0, tasks...)
	require.NoError(t, h.App.PhrKeeper.RemoveMember(h.Ctx(), h.App.PhrKeeper.Authority(), w.Proxies[0].Address, types.ROLE_PROXY))
	h.NextBlock()
	require.Empty(t, pendingTaskIDs(t, h, w.Proxies[0]), "a removed proxy has nothing pending")
	checkTxRefused(t, h, w.Proxies[0], types.ErrNotProxy, answer)
	deliverRefused(t, h, w.Proxies[0], types.ErrNotProxy, answer)
}
