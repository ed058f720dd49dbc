package keeper_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// A denial's or revocation's note is bounded like a request's purpose: it
// is stored in the grant and travels to a remote requester's chain in the
// decision. One byte over is refused with the grant unchanged; the bound
// itself is accepted.
func TestDecisionNoteBounded(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	long, limit := strings.Repeat("n", 257), strings.Repeat("n", 256)
	denied := w.Request(5)
	deliverRefused(t, h, w.Patient, types.ErrInvalidNote, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: denied, Note: long})
	require.Equal(t, types.GRANT_STATUS_REQUESTED, getGrant(t, h, denied).Status)
	w.MustDeliver(w.Patient, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: denied, Note: limit})
	require.Equal(t, limit, getGrant(t, h, denied).Note)

	revoked := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(revoked, 2))
	deliverRefused(t, h, w.Patient, types.ErrInvalidNote, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: revoked, Note: long})
	require.Equal(t, types.GRANT_STATUS_GRANTED, getGrant(t, h, revoked).Status)
	w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: revoked, Note: limit})
	require.Equal(t, types.GRANT_STATUS_REVOKED, getGrant(t, h, revoked).Status)
}

// A peer's decision with a longer note is refused: a patient chain cannot
// make this chain store more than a local patient could.
func TestRecvGrantDecisionNoteBounded(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	clientID := w.AddPeerClient(peerChainID)
	grantID, _ := w.SharedRecord(testPayload)
	requestID := w.RequestRemote(clientID, 10)
	origin := types.PacketOrigin{ClientID: clientID, Sequence: 1}
	p := w.GrantDecision(grantID, requestID)
	p.Note = strings.Repeat("n", 257)
	recvRefused(t, w, origin, decisionData(p), types.ErrInvalidPacket)
	p.Note = strings.Repeat("n", 256)
	_, err := w.Recv(w.BlockCtx(), origin, decisionData(p))
	require.NoError(t, err)
}
