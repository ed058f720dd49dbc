package tests

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// TestLocalStory runs the local flow of docs/protocol.md through the app (signed txs,
// ante chain, msg servers, end blocker): upload → request → grant → fetch →
// answers from 2 of 3 proxies → share → decrypt; then revocation.
func TestLocalStory(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	payload := []byte(`{"resourceType":"Observation","status":"final"}`)
	recordID := w.Upload(payload, w.Now())

	grantID := w.Request(10)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	taskIDs := w.Fetch(grantID, recordID)
	require.Len(t, taskIDs, 1, "one task per record")

	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, taskIDs...))
	_, err := w.Decrypt(grantID, recordID)
	require.Error(t, err, "one answer of a 2-of-3 grant does not decrypt")

	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, taskIDs...))
	env, err := w.Decrypt(grantID, recordID)
	require.NoError(t, err)
	require.Equal(t, payload, env.Payload)

	// The third proxy is late: the tasks are closed.
	res := w.H.Deliver(w.Proxies[1], w.AnswerMsg(1, taskIDs[0]))
	require.Equal(t, types.ErrTaskClosed.ABCICode(), res.Code, res.Log)

	// Revocation: no new tasks.
	w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: grantID})
	second := w.Upload(payload, w.Now())
	res = w.H.Deliver(w.Hospital, &types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grantID, RecordIds: []uint64{second}})
	require.Equal(t, types.ErrGrantRevoked.ABCICode(), res.Code, res.Log)
}
