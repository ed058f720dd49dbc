package keeper_test

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Answers are verified and stored without their proofs; the t-th valid
// answer of a record's task combines all its capsules into the share at
// once; a complete share decrypts.
func TestSubmitAnswers(t *testing.T) {
	w, grantID, recordID, tasks := fetchedWorld(t)
	h := w.H
	k := h.App.PhrKeeper
	task := tasks[0]

	first := w.AnswerMsg(0, tasks...)
	require.Len(t, first.Answers[0].Answer, pre.AnswerSize(2), "one answer over both capsules")
	seq := auditHead(t, h)
	var resp types.MsgSubmitAnswersResponse
	mustDecode(t, w, w.Proxies[0], first, &resp)
	require.Empty(t, resp.CompletedTasks, "one answer of a 2-of-3 grant completes nothing")
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 1)
	requireEntry(t, entries[0], types.ActionAnswerTask, w.Proxies[0].String(), w.Patient.String(), taskObj(task), audittypes.OUTCOME_SUCCESS)
	got := getTask(t, h, task)
	require.Equal(t, types.TASK_STATUS_OPEN, got.Status)
	require.Len(t, got.Answers, 1)
	require.Equal(t, w.Proxies[0].String(), got.Answers[0].Proxy)
	require.Equal(t, [][]byte{first.Answers[0].Answer[:group.ElementSize], first.Answers[0].Answer[group.ElementSize : 2*group.ElementSize]},
		got.Answers[0].EI, "E_i per capsule stored, proof dropped")
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
	require.Len(t, entries, 2)
	requireEntry(t, entries[0], types.ActionAnswerTask, w.Proxies[2].String(), w.Patient.String(), taskObj(task), audittypes.OUTCOME_SUCCESS)
	requireEntry(t, entries[1], types.ActionShareRecord, types.ModuleName, w.Patient.String(), fetchObj(grantID, recordID), audittypes.OUTCOME_SUCCESS)

	ctx := h.Ctx()
	require.Equal(t, types.TASK_STATUS_DONE, getTask(t, h, task).Status)
	requireTaskQueued(t, h, task, false)
	share, err = k.Shares.Get(ctx, collections.Join(grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, types.SHARE_STATUS_COMPLETE, share.Status)
	require.Len(t, share.FirstLevel, 2)
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
	late := w.AnswerMsg(1, task)
	checkTxRefused(t, h, w.Proxies[1], types.ErrTaskClosed, late)
	deliverRefused(t, h, w.Proxies[1], types.ErrTaskClosed, late)
}

// tamperEi replaces E_i,j of an answer by E_i,j·g, keeping the proof.
func tamperEi(t *testing.T, answer []byte, j int) []byte {
	t.Helper()
	a, err := pre.DecodeAnswer(answer, 2)
	require.NoError(t, err)
	a.Ei[j] = new(group.Element).Add(a.Ei[j], group.Generator())
	return a.Bytes()
}

// answerOn is proxy i's honest answer for taskID, but computed on capsule
// elements E of the caller's choice.
func answerOn(t *testing.T, w *phrtest.World, i int, taskID uint64, E []*group.Element) []byte {
	t.Helper()
	task := getTask(t, w.H, taskID)
	g := getGrant(t, w.H, task.GrantId)
	kg, err := pre.DecodeGrant(g.KeyGrant)
	require.NoError(t, err)
	frag, err := pre.OpenFragment(w.ProxyKeys[i], apptest.ChainID, g.Id, w.Proxies[i].Address, kg)
	require.NoError(t, err)
	a, err := frag.Answer(pre.AnswerContext{ChainID: apptest.ChainID, GrantID: g.Id, TaskID: taskID, RecordID: task.RecordId,
		Capsules: uint32(len(E)), Proxy: w.Proxies[i].Address}, E, rand.Reader)
	require.NoError(t, err)
	return a.Bytes()
}

// twoTaskWorld: a 2-of-3 grant with two fetched records, one task each.
func twoTaskWorld(t *testing.T) (w *phrtest.World, grantID uint64, records, tasks []uint64) {
	t.Helper()
	w = phrtest.NewWorld(t, 3)
	records = []uint64{w.Upload(testPayload, w.Now()), w.Upload(testPayload, w.Now())}
	grantID = w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	tasks = w.Fetch(grantID, records...)
	require.Len(t, tasks, 2, "one task per record")
	return w, grantID, records, tasks
}

// Answers refused as a tx, in CheckTx and in a block: stateless form
// checks and stateful target checks. (An answer that decodes but whose proof
// fails is evidence, not a tx refusal: TestForgedAnswerIsEvidence.)
func TestSubmitAnswersRefusals(t *testing.T) {
	w, _, _, tasks := twoTaskWorld(t)
	h := w.H
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks[0])) // proxy 0 has answered the first task
	// an admitted proxy that joined after the grant: not on its committee
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), h.App.PhrKeeper.Authority(), w.Stranger.Address, types.ROLE_PROXY, proxyKey(t).Public().Bytes()))
	h.NextBlock()

	p1 := w.Proxies[1]
	as := func(signer apptest.Account, msg *types.MsgSubmitAnswers) *types.MsgSubmitAnswers {
		msg.Proxy = signer.String()
		return msg
	}
	edit := func(msg *types.MsgSubmitAnswers, f func(a *types.AnswerSubmission)) *types.MsgSubmitAnswers {
		f(&msg.Answers[0])
		return msg
	}
	size := pre.AnswerSize(2)
	nonCanonical := bytes.Repeat([]byte{0xff}, size)
	oneCapsule := w.AnswerMsg(1, tasks[1]).Answers[0].Answer
	oneCapsule = append(oneCapsule[:group.ElementSize:group.ElementSize], oneCapsule[2*group.ElementSize:]...) // E_i,1 ‖ c ‖ s
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
		{"all-zero answer", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = make([]byte, size) }), types.ErrInvalidAnswer},
		{"non-canonical answer", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = nonCanonical }), types.ErrInvalidAnswer},
		{"answer over one capsule", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = oneCapsule }), types.ErrInvalidAnswer},
		{"short answer", p1, edit(w.AnswerMsg(1, tasks[1]), func(a *types.AnswerSubmission) { a.Answer = a.Answer[:size-1] }), types.ErrInvalidAnswer},
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
	for _, r := range []uint64{1, 2} {
		env, err := w.Decrypt(1, r)
		require.NoError(t, err)
		require.Equal(t, testPayload, env.Payload)
	}
}

// requireRefusedSeat: proxy's answer on taskID was refused for its proof: no
// accepted answer, its seat spent, the task not pending for it.
func requireRefusedSeat(t *testing.T, h *apptest.Harness, taskID uint64, proxy apptest.Account) {
	t.Helper()
	task := getTask(t, h, taskID)
	require.Contains(t, task.Refused, proxy.String())
	for _, a := range task.Answers {
		require.NotEqual(t, proxy.String(), a.Proxy, "no E_i stored for a refused answer")
	}
	require.NotContains(t, pendingTaskIDs(t, h, proxy), taskID)
}

// Forged proofs of every kind are evidence: the tx passes CheckTx (it is an
// admitted proxy's, on a seat it holds, bounded to one per seat per task and
// paid), and in the block the answer is refused and audited as refused, no
// E_i stored, the fee charged; the proxy's seat is spent, so a repeat (even
// an honest one) is a duplicate.
func TestForgedAnswerIsEvidence(t *testing.T) {
	forgeries := []struct {
		name  string
		forge func(t *testing.T, w *phrtest.World, tasks []uint64) []byte
	}{
		{"wrong exponent in capsule 0", func(t *testing.T, w *phrtest.World, tasks []uint64) []byte {
			return tamperEi(t, w.AnswerMsg(1, tasks[0]).Answers[0].Answer, 0)
		}},
		{"wrong exponent in capsule 1", func(t *testing.T, w *phrtest.World, tasks []uint64) []byte {
			return tamperEi(t, w.AnswerMsg(1, tasks[0]).Answers[0].Answer, 1)
		}},
		{"answer of another task", func(t *testing.T, w *phrtest.World, tasks []uint64) []byte {
			return w.AnswerMsg(1, tasks[1]).Answers[0].Answer
		}},
		{"another proxy's answer", func(t *testing.T, w *phrtest.World, tasks []uint64) []byte {
			return w.AnswerMsg(2, tasks[0]).Answers[0].Answer
		}},
		{"capsules swapped", func(t *testing.T, w *phrtest.World, tasks []uint64) []byte {
			rec, err := w.H.App.PhrKeeper.GetRecord(w.H.Ctx(), getTask(t, w.H, tasks[0]).RecordId)
			require.NoError(t, err)
			E, err := pre.DecodeCapsuleEs(rec.Capsules)
			require.NoError(t, err)
			return answerOn(t, w, 1, tasks[0], []*group.Element{E[1], E[0]})
		}},
		{"random proof", func(t *testing.T, w *phrtest.World, tasks []uint64) []byte {
			a := w.AnswerMsg(1, tasks[0]).Answers[0].Answer
			r, err := group.RandomScalar(rand.Reader)
			require.NoError(t, err)
			return append(a[:2*group.ElementSize:2*group.ElementSize], append(r.Bytes(), a[2*group.ElementSize+group.ScalarSize:]...)...)
		}},
	}
	for _, f := range forgeries {
		t.Run(f.name, func(t *testing.T) {
			w, _, _, tasks := twoTaskWorld(t)
			h := w.H
			p1 := w.Proxies[1]
			forged := w.AnswerMsg(1, tasks[0])
			forged.Answers[0].Answer = f.forge(t, w, tasks)

			tx := signWithFee(t, h, p1, testFee, forged)
			check := h.CheckTx(tx)
			require.Zero(t, check.Code, "a forged proof is evidence, not a mempool refusal: %s", check.Log)
			payer := payerOf(t, h, p1)
			seq := auditHead(t, h)
			res := h.NextBlock(tx)
			require.Len(t, res, 1)
			require.Zero(t, res[0].Code, res[0].Log)
			requirePaid(t, h, p1, payer)
			entries := auditSince(t, h, seq)
			require.Len(t, entries, 1)
			requireEntry(t, entries[0], types.ActionAnswerTask, p1.String(), w.Patient.String(), taskObj(tasks[0]), audittypes.OUTCOME_REFUSED)
			requireEvent(t, res[0], keeper.EventTypeAnswerRefused)
			requireRefusedSeat(t, h, tasks[0], p1)

			// a second answer by the same proxy, even an honest one, is a duplicate
			checkTxRefused(t, h, p1, types.ErrDuplicateAnswer, w.AnswerMsg(1, tasks[0]))
			deliverRefused(t, h, p1, types.ErrDuplicateAnswer, w.AnswerMsg(1, tasks[0]))
		})
	}
}

// requireEvent: res emitted an event of type typ.
func requireEvent(t *testing.T, res *abci.ExecTxResult, typ string) {
	t.Helper()
	for _, e := range res.Events {
		if e.Type == typ {
			return
		}
	}
	t.Fatalf("no %s event in %v", typ, res.Events)
}

// One batch, one forged and one good answer: the good one is stored, the
// forged one audited REFUSED, the tx succeeds and pays its fee; the proxy
// cannot answer the refused task again.
func TestBatchWithForgedAnswerStoresTheGoodOne(t *testing.T) {
	w, _, _, tasks := twoTaskWorld(t)
	h := w.H
	p1 := w.Proxies[1]
	batch := w.AnswerMsg(1, tasks...)
	batch.Answers[0].Answer = tamperEi(t, batch.Answers[0].Answer, 1)

	tx := signWithFee(t, h, p1, testFee, batch)
	check := h.CheckTx(tx)
	require.Zero(t, check.Code, check.Log)
	payer := payerOf(t, h, p1)
	seq := auditHead(t, h)
	res := h.NextBlock(tx)
	require.Zero(t, res[0].Code, res[0].Log)
	requirePaid(t, h, p1, payer)
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 2)
	requireEntry(t, entries[0], types.ActionAnswerTask, p1.String(), w.Patient.String(), taskObj(tasks[0]), audittypes.OUTCOME_REFUSED)
	requireEntry(t, entries[1], types.ActionAnswerTask, p1.String(), w.Patient.String(), taskObj(tasks[1]), audittypes.OUTCOME_SUCCESS)
	requireRefusedSeat(t, h, tasks[0], p1)
	good := getTask(t, h, tasks[1])
	require.Len(t, good.Answers, 1)
	require.Equal(t, p1.String(), good.Answers[0].Proxy)
	require.Empty(t, good.Refused)

	deliverRefused(t, h, p1, types.ErrDuplicateAnswer, w.AnswerMsg(1, tasks[0]))
	// the refused seat takes the task out of the proxy's pending set only
	require.Empty(t, pendingTaskIDs(t, h, p1))
	require.Equal(t, tasks, pendingTaskIDs(t, h, w.Proxies[0]))
}

// A 2-of-3 task with one byzantine proxy: its answer is refused and
// audited, the threshold counts accepted answers only, and the task
// completes from the two honest proxies; the share decrypts.
func TestByzantineProxyShareCompletesFromHonest(t *testing.T) {
	w, grantID, recordID, tasks := fetchedWorld(t)
	h := w.H
	byz := w.Proxies[0]
	forged := w.AnswerMsg(0, tasks...)
	forged.Answers[0].Answer = tamperEi(t, forged.Answers[0].Answer, 0)
	w.MustDeliver(byz, forged)
	requireRefusedSeat(t, h, tasks[0], byz)
	require.Empty(t, getTask(t, h, tasks[0]).Answers, "a refused answer does not count towards t")

	var resp types.MsgSubmitAnswersResponse
	mustDecode(t, w, w.Proxies[1], w.AnswerMsg(1, tasks...), &resp)
	require.Empty(t, resp.CompletedTasks, "one accepted answer of 2 needed")
	seq := auditHead(t, h)
	mustDecode(t, w, w.Proxies[2], w.AnswerMsg(2, tasks...), &resp)
	require.Equal(t, tasks, resp.CompletedTasks)
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 2)
	requireEntry(t, entries[1], types.ActionShareRecord, types.ModuleName, w.Patient.String(), fetchObj(grantID, recordID), audittypes.OUTCOME_SUCCESS)
	done := getTask(t, h, tasks[0])
	require.Equal(t, types.TASK_STATUS_DONE, done.Status)
	require.Equal(t, []string{byz.String()}, done.Refused)
	env, err := w.Decrypt(grantID, recordID)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)
}

// A batch is all or nothing for tx refusals: a malformed answer refuses the
// tx, and a stateful refusal of one task discards the answers the msg
// server had already stored, the tasks it had completed and the shares it
// had filled.
func TestSubmitAnswersAllOrNothing(t *testing.T) {
	w, grantID, records, tasks := twoTaskWorld(t)
	h := w.H
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))

	// firewall refusal: a good answer and a malformed one
	batch := w.AnswerMsg(1, tasks...)
	batch.Answers[1].Answer = batch.Answers[1].Answer[1:]
	deliverRefused(t, h, w.Proxies[1], types.ErrInvalidAnswer, batch)

	// a stateful refusal (in a block: by the msg server, after the fee) of
	// one task refuses the batch whose other answers would complete both
	batch = w.AnswerMsg(1, tasks...)
	batch.Answers = append(batch.Answers, types.AnswerSubmission{TaskId: 999, Answer: batch.Answers[0].Answer})
	deliverRefused(t, h, w.Proxies[1], types.ErrTaskNotFound, batch)
	for _, id := range tasks {
		task := getTask(t, h, id)
		require.Equal(t, types.TASK_STATUS_OPEN, task.Status)
		require.Len(t, task.Answers, 1)
	}
	for _, r := range records {
		share, err := h.App.PhrKeeper.Shares.Get(h.Ctx(), collections.Join(grantID, r))
		require.NoError(t, err)
		require.Equal(t, types.SHARE_STATUS_PENDING, share.Status)
	}

	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, tasks...))
	for _, r := range records {
		_, err := w.Decrypt(grantID, r)
		require.NoError(t, err)
	}
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
