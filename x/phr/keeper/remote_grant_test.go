package keeper_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

func remoteGrantObj(clientID string, id uint64) string {
	return fmt.Sprintf("remote-grant/%s/%d", clientID, id)
}

func decisionData(p *types.GrantDecisionPacket) *types.PacketData {
	return &types.PacketData{Body: &types.PacketData_GrantDecision{GrantDecision: p}}
}

// recvRefused hands d to the keeper on the committed store and asserts the
// registered error and that the handler wrote nothing before refusing (IBC
// core would discard its writes, but the handlers validate first).
func recvRefused(t *testing.T, w *phrtest.World, origin types.PacketOrigin, d *types.PacketData, want *errorsmod.Error) {
	t.Helper()
	before := snapshot(w.H)
	_, err := w.Recv(w.BlockCtx(), origin, d)
	require.ErrorIs(t, err, want)
	requireUnchanged(t, w.H, before)
}

// A GRANTED decision answering a request of this path becomes the mirror,
// with the request's hospital and key B, the peer's chain id and the path;
// the request is accepted as that grant; the receipt is audited with the
// sender's entry hash and its own hash is the ack's.
func TestRecvGrantDecisionMirrors(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	clientID := w.AddPeerClient(peerChainID)
	grantID, _ := w.SharedRecord(testPayload)
	requestID := w.RequestRemote(clientID, 10)
	p := w.GrantDecision(grantID, requestID)
	head := auditHead(t, h)

	origin := types.PacketOrigin{ClientID: clientID, Sequence: 1}
	ack, err := w.Recv(w.BlockCtx(), origin, decisionData(p))
	require.NoError(t, err)
	h.NextBlock()

	g, err := k.GetRemoteGrant(h.Ctx(), clientID, grantID)
	require.NoError(t, err)
	require.Equal(t, types.RemoteGrant{
		ClientId: clientID, GrantId: grantID, RequestId: requestID, Hospital: w.Hospital.String(), ChainId: peerChainID,
		Patient: w.Patient.String(), Vault: phrtest.Vault, Epoch: p.Epoch, VaultKey: p.VaultKey, Scope: p.Scope,
		Status: types.GRANT_STATUS_GRANTED, Threshold: 2, KeyGrant: p.KeyGrant, Expiry: p.Expiry, Height: g.Height,
		RequesterKey: w.RequesterKey.Public().Bytes(), MaxUploadDelaySeconds: p.MaxUploadDelaySeconds,
	}, g)
	r, err := k.GetRemoteRequest(h.Ctx(), requestID)
	require.NoError(t, err)
	require.Equal(t, types.REMOTE_REQUEST_STATUS_ACCEPTED, r.Status)
	require.Equal(t, grantID, r.GrantId)

	entries := auditSince(t, h, head)
	require.Len(t, entries, 1)
	e := entries[0]
	requireEntry(t, e, types.ActionRecvGrantDecision, w.Hospital.String(), w.Patient.String(),
		remoteGrantObj(clientID, grantID)+"/GRANT_STATUS_GRANTED", audittypes.OUTCOME_SUCCESS)
	require.Equal(t, phrtest.SenderHash(1), e.Counterparty.EntryHash)
	require.Equal(t, clientID, e.Counterparty.ClientId)
	require.Equal(t, peerChainID, e.Counterparty.ChainId)
	require.Equal(t, e.Hash, ack.ReceiverAuditHash)

	// the ack of the AccessRequest, arriving after the decision, agrees
	ctx := h.Ctx()
	require.NoError(t, k.OutboxInFlight.Set(ctx, collections.Join(clientID, uint64(77)), r.OutboxId))
	require.NoError(t, k.OnPacketOutcome(ctx, clientID, 77, types.PacketOutcome{Ack: &types.PacketAck{ReceiverAuditHash: phrtest.SenderHash(5), GrantId: grantID}}))
	r2, err := k.GetRemoteRequest(ctx, requestID)
	require.NoError(t, err)
	require.Equal(t, r, r2)
}

// Decisions move a mirror forward only, and every refusal leaves the state
// as it was: a decision for another path or an unknown request, another
// grant for an accepted request, a GRANTED decision without a valid key
// grant, vault key or threshold, a decision going back.
func TestRecvGrantDecisionRefusals(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	clientID := w.AddPeerClient(peerChainID)
	otherClient := w.AddPeerClient(peerChainID)
	grantID, _ := w.SharedRecord(testPayload)
	requestID := w.RequestRemote(clientID, 10)
	origin := types.PacketOrigin{ClientID: clientID, Sequence: 1}
	good := func() *types.GrantDecisionPacket { return w.GrantDecision(grantID, requestID) }

	// the request went over clientID's v2 path, not another client or a channel
	recvRefused(t, w, types.PacketOrigin{ClientID: otherClient, Sequence: 1}, decisionData(good()), types.ErrRemoteRequestNotFound)
	recvRefused(t, w, types.PacketOrigin{ClientID: clientID, ChannelID: "channel-0", Sequence: 1}, decisionData(good()), types.ErrRemoteRequestNotFound)
	p := good()
	p.RequestId = 99
	recvRefused(t, w, origin, decisionData(p), types.ErrRemoteRequestNotFound)

	p = good()
	p.KeyGrant = append([]byte(nil), p.KeyGrant[:len(p.KeyGrant)-1]...)
	recvRefused(t, w, origin, decisionData(p), types.ErrInvalidKeyGrant)
	p = good()
	p.Threshold = 3
	recvRefused(t, w, origin, decisionData(p), types.ErrInvalidKeyGrant)
	p = good()
	p.VaultKey = make([]byte, 32) // the identity
	recvRefused(t, w, origin, decisionData(p), types.ErrVaultKeyNonCanonical)
	p = good()
	p.Patient = w.Stranger.String()
	recvRefused(t, w, origin, decisionData(p), types.ErrInvalidPacket)
	p = good()
	p.ChainId = "medexchain-claimed-1"
	recvRefused(t, w, origin, decisionData(p), types.ErrPeerChainID)
	p = good()
	p.Status = types.GRANT_STATUS_REQUESTED
	recvRefused(t, w, origin, decisionData(p), types.ErrInvalidPacket)

	_, err := w.Recv(w.BlockCtx(), origin, decisionData(good()))
	require.NoError(t, err)
	h.NextBlock()

	// accepted as grantID: no other grant may answer it
	p = good()
	p.GrantId = grantID + 1
	recvRefused(t, w, origin, decisionData(p), types.ErrInvalidPacket)
	// granted again, denied after a grant: backwards
	for _, st := range []types.GrantStatus{types.GRANT_STATUS_GRANTED, types.GRANT_STATUS_DENIED} {
		p = good()
		p.Status = st
		recvRefused(t, w, origin, decisionData(p), types.ErrGrantState)
	}
	// revoked: forward; the key grant stays; then nothing more
	p = good()
	p.Status, p.KeyGrant, p.Note = types.GRANT_STATUS_REVOKED, nil, "changed my mind"
	_, err = w.Recv(w.BlockCtx(), origin, decisionData(p))
	require.NoError(t, err)
	h.NextBlock()
	g, err := h.App.PhrKeeper.GetRemoteGrant(h.Ctx(), clientID, grantID)
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_REVOKED, g.Status)
	require.Equal(t, "changed my mind", g.Note)
	require.Equal(t, good().KeyGrant, g.KeyGrant)
	for _, st := range []types.GrantStatus{types.GRANT_STATUS_GRANTED, types.GRANT_STATUS_EXPIRED} {
		p = good()
		p.Status = st
		recvRefused(t, w, origin, decisionData(p), types.ErrGrantState)
	}
	// the same final decision again (sent twice while the path was down):
	// acked with an entry of its own, the mirror unchanged
	p = good()
	p.Status, p.KeyGrant, p.Note = types.GRANT_STATUS_REVOKED, nil, "another note"
	ack, err := w.Recv(w.BlockCtx(), origin, decisionData(p))
	require.NoError(t, err)
	require.Len(t, ack.ReceiverAuditHash, 32)
	h.NextBlock()
	again, err := h.App.PhrKeeper.GetRemoteGrant(h.Ctx(), clientID, grantID)
	require.NoError(t, err)
	require.Equal(t, g, again)
}

// A revocation may overtake the grant it ends (packets are unordered): it
// starts the mirror as REVOKED, and the GRANTED decision that follows is
// refused. A denied request mirrors as DENIED without a key grant.
func TestRecvGrantDecisionUnordered(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	clientID := w.AddPeerClient(peerChainID)
	grantID, _ := w.SharedRecord(testPayload)
	requestID := w.RequestRemote(clientID, 10)
	origin := types.PacketOrigin{ClientID: clientID, Sequence: 4}

	revoked := w.GrantDecision(grantID, requestID)
	revoked.Status, revoked.KeyGrant = types.GRANT_STATUS_REVOKED, nil
	_, err := w.Recv(w.BlockCtx(), origin, decisionData(revoked))
	require.NoError(t, err)
	h.NextBlock()
	recvRefused(t, w, types.PacketOrigin{ClientID: clientID, Sequence: 3}, decisionData(w.GrantDecision(grantID, requestID)), types.ErrGrantState)
	g, err := h.App.PhrKeeper.GetRemoteGrant(h.Ctx(), clientID, grantID)
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_REVOKED, g.Status)
	require.Empty(t, g.KeyGrant)

	requestID = w.RequestRemote(clientID, 10)
	denied := &types.GrantDecisionPacket{GrantId: 500, RequestId: requestID, Status: types.GRANT_STATUS_DENIED,
		ChainId: apptest.ChainID, Patient: w.Patient.String(), Vault: phrtest.Vault, Note: "no"}
	_, err = w.Recv(w.BlockCtx(), origin, decisionData(denied))
	require.NoError(t, err)
	h.NextBlock()
	g, err = h.App.PhrKeeper.GetRemoteGrant(h.Ctx(), clientID, 500)
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_DENIED, g.Status)
	require.True(t, bytes.Equal(w.RequesterKey.Public().Bytes(), g.RequesterKey))
}
