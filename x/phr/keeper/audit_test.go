package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	auditkeeper "github.com/medexchain/medexchain/x/audit/keeper"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

type entryKey struct{ action, actor, object string }

// The local story leaves one audit entry per action, each naming its actor,
// patient and object, in order, hash-linked, and findable by patient and by
// actor; refused transactions in between leave none.
func TestAuditTrailOfTheStory(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	start := auditHead(t, h)
	patient := w.Patient.String()

	recordID := w.Upload(testPayload, w.Now())
	deliverRefused(t, h, w.Stranger, types.ErrNotHospital, func() *types.MsgRequestAccess {
		m := w.RequestMsg(5)
		m.Requester = w.Stranger.String()
		return m
	}())
	grantID := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	tasks := w.Fetch(grantID, recordID)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))
	deliverRefused(t, h, w.Proxies[0], types.ErrDuplicateAnswer, w.AnswerMsg(0, tasks[0]))
	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, tasks...))
	w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: patient, GrantId: grantID})

	want := []entryKey{
		{types.ActionUploadRecord, w.Gateway.String(), recordObj(recordID)},
		{types.ActionRequestAccess, w.Hospital.String(), grantObj(grantID)},
		{types.ActionGrantAccess, patient, grantObj(grantID)},
		{types.ActionFetchRecords, w.Hospital.String(), fetchObj(grantID, recordID)},
		{types.ActionAnswerTask, w.Proxies[0].String(), taskObj(tasks[0])},
		{types.ActionAnswerTask, w.Proxies[1].String(), taskObj(tasks[0])},
		{types.ActionShareRecord, types.ModuleName, fetchObj(grantID, recordID)},
		{types.ActionRevokeAccess, patient, grantObj(grantID)},
	}
	entries := auditSince(t, h, start)
	require.Len(t, entries, len(want))
	prev, err := h.App.AuditKeeper.Entries.Get(h.Ctx(), start)
	require.NoError(t, err)
	for i, e := range entries {
		requireEntry(t, e, want[i].action, want[i].actor, patient, want[i].object, audittypes.OUTCOME_SUCCESS)
		require.Equal(t, prev.Hash, e.PrevHash, "entry %d links to its predecessor", e.Sequence)
		require.Equal(t, e.ComputeHash(), e.Hash)
		prev = e
	}

	q := auditkeeper.NewQueryServerImpl(h.App.AuditKeeper)
	byPatient, err := q.EntriesByPatient(h.Ctx(), &audittypes.QueryEntriesByPatientRequest{Patient: patient})
	require.NoError(t, err)
	// registration and device registration came first, then the story
	require.Len(t, byPatient.Entries, 2+len(want))
	for _, e := range byPatient.Entries {
		require.Equal(t, patient, e.Patient)
	}
	for _, actor := range []apptest.Account{w.Hospital, w.Proxies[0], w.Gateway} {
		res, err := q.EntriesByActor(h.Ctx(), &audittypes.QueryEntriesByActorRequest{Actor: actor.String()})
		require.NoError(t, err)
		n := 0
		for _, k := range want {
			if k.actor == actor.String() {
				n++
			}
		}
		require.Len(t, res.Entries, n, "entries by %s", actor)
	}
	res, err := q.EntriesByActor(h.Ctx(), &audittypes.QueryEntriesByActorRequest{Actor: w.Stranger.String()})
	require.NoError(t, err)
	require.Empty(t, res.Entries, "a refused tx leaves no entry")
}
