package keeper_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/ibctest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// peerChainID is the chain id the test peers' clients track: the world's
// own, so that grants made on the world's chain decrypt under the mirror.
const peerChainID = apptest.ChainID

func remoteRequestObj(id uint64) string { return fmt.Sprintf("remote-request/%d", id) }

// A hospital's request over an admitted peer's client (IBC v2) is stored as
// SENT with the hospital's member key, audited, and queued: the send fails
// (no v2 counterparty is registered in a unit test), the entry stays
// PENDING, and the tx succeeds.
func TestRequestRemoteAccessQueued(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	clientID := w.AddPeerClient(peerChainID)
	msg := w.RemoteRequestMsg(clientID, 5)
	head := auditHead(t, h)

	var resp types.MsgRequestRemoteAccessResponse
	mustDecode(t, w, w.Hospital, msg, &resp)
	require.Equal(t, uint64(1), resp.RequestId)
	require.NotZero(t, resp.OutboxId)

	r, err := h.App.PhrKeeper.GetRemoteRequest(h.Ctx(), resp.RequestId)
	require.NoError(t, err)
	require.Equal(t, types.REMOTE_REQUEST_STATUS_SENT, r.Status)
	require.Equal(t, w.Hospital.String(), r.Hospital)
	require.Equal(t, clientID, r.ClientId)
	require.Empty(t, r.ChannelId, "IBC v2: no channel")
	require.Equal(t, w.RequesterKey.Public().Bytes(), r.RequesterKey, "B from the member record")
	require.Equal(t, msg.Scope, r.Scope)
	require.Equal(t, resp.OutboxId, r.OutboxId)

	e, err := h.App.PhrKeeper.Outbox.Get(h.Ctx(), resp.OutboxId)
	require.NoError(t, err)
	require.Equal(t, types.OUTBOX_STATUS_PENDING, e.Status)
	require.Equal(t, types.PACKET_KIND_ACCESS_REQUEST, e.Kind)
	require.Equal(t, uint32(1), e.Attempts, "tried once")
	require.Equal(t, resp.RequestId, e.GrantId)
	require.Equal(t, w.Hospital.String(), e.Actor)
	require.Equal(t, clientID, e.Path())
	pending, err := h.App.PhrKeeper.OutboxPending.Has(h.Ctx(), collections.Join(e.RetryHeight, e.Id))
	require.NoError(t, err)
	require.True(t, pending, "queued for the end blocker")

	// the request's own entry; the failed send left none
	entries := auditSince(t, h, head)
	require.Len(t, entries, 1)
	requireEntry(t, entries[0], types.ActionRequestAccess, w.Hospital.String(), w.Patient.String(), remoteRequestObj(1), audittypes.OUTCOME_SUCCESS)

	// the packet is built from the stored request: requester and B are the
	// hospital's, whatever the member record says later
	w.GenerateKeys()
	require.NoError(t, h.App.PhrKeeper.UpdateMemberKey(h.Ctx(), w.Hospital.Address, types.ROLE_HOSPITAL, w.RequesterKey.Public().Bytes()))
	d, err := h.App.PhrKeeper.BuildPacket(h.Ctx(), &e)
	require.NoError(t, err)
	ar := d.GetAccessRequest()
	require.NotNil(t, ar)
	require.Equal(t, types.AccessRequestPacket{RequestId: 1, Requester: w.Hospital.String(), RequesterKey: r.RequesterKey,
		Patient: w.Patient.String(), Vault: phrtest.Vault, Scope: r.Scope, Purpose: r.Purpose, Expiry: r.Expiry}, *ar)
	require.False(t, bytes.Equal(ar.RequesterKey, w.RequesterKey.Public().Bytes()), "the key sent is the one the request was made with")
}

// Refused requests leave no state: a signer that is no hospital, an id that
// is neither a phr channel nor an admitted peer's client, a client that was
// never admitted, a scope or expiry a local request could not have.
func TestRequestRemoteAccessRefusals(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	clientID := w.AddPeerClient(peerChainID)

	stranger := w.RemoteRequestMsg(clientID, 5)
	stranger.Hospital = w.Stranger.String()
	deliverRefused(t, h, w.Stranger, types.ErrNotHospital, stranger)

	for _, id := range []string{"channel-7", "07-tendermint-99", ""} {
		deliverRefused(t, h, w.Hospital, types.ErrNoChannel, w.RemoteRequestMsg(id, 5))
	}

	// a real client, but not admitted: anyone may create one
	ctx := h.Ctx()
	notAdmitted := h.App.IBCKeeper.ClientKeeper.GenerateClientIdentifier(ctx, "07-tendermint")
	h.NextBlock()
	deliverRefused(t, h, w.Hospital, types.ErrNoChannel, w.RemoteRequestMsg(notAdmitted, 5))

	// an admitted peer whose client now tracks another chain
	other := w.AddPeerClient(peerChainID)
	ibctest.SetClientChainID(h.Ctx(), h.App, other, "medexchain-other-1")
	h.NextBlock()
	deliverRefused(t, h, w.Hospital, types.ErrPeerChainID, w.RemoteRequestMsg(other, 5))

	bad := w.RemoteRequestMsg(clientID, 0)
	deliverRefused(t, h, w.Hospital, types.ErrInvalidScope, bad)
	bad = w.RemoteRequestMsg(clientID, 5)
	bad.Expiry = w.Now().Add(-1)
	deliverRefused(t, h, w.Hospital, types.ErrInvalidExpiry, bad)
	bad = w.RemoteRequestMsg(clientID, 5)
	bad.Purpose = ""
	deliverRefused(t, h, w.Hospital, types.ErrInvalidScope, bad)
	bad = w.RemoteRequestMsg(clientID, 5)
	bad.Vault = "no such/vault"
	deliverRefused(t, h, w.Hospital, types.ErrInvalidVaultName, bad)
}

// The request's outcome: an ack accepts it with the patient chain's grant
// id, an error ack refuses it with the ack's error, a timeout times it out;
// each is final.
func TestRemoteRequestOutcomes(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	k := h.App.PhrKeeper
	clientID := w.AddPeerClient(peerChainID)
	ack := &types.PacketAck{ReceiverAuditHash: phrtest.SenderHash(99), GrantId: 41}
	outcomes := []types.PacketOutcome{{Ack: ack}, {Error: "ABCI error: phr/38: grant state"}, {Timeout: true}}
	want := []types.RemoteRequestStatus{types.REMOTE_REQUEST_STATUS_ACCEPTED, types.REMOTE_REQUEST_STATUS_REFUSED, types.REMOTE_REQUEST_STATUS_TIMED_OUT}
	for i, out := range outcomes {
		id := w.RequestRemote(clientID, 5)
		r, err := k.GetRemoteRequest(h.Ctx(), id)
		require.NoError(t, err)
		// as if sent with sequence id: the outbox finds it in flight
		ctx := h.Ctx()
		require.NoError(t, k.OutboxInFlight.Set(ctx, collections.Join(clientID, id), r.OutboxId))
		require.NoError(t, k.OnPacketOutcome(ctx, clientID, id, out))
		h.NextBlock()
		r, err = k.GetRemoteRequest(h.Ctx(), id)
		require.NoError(t, err)
		require.Equal(t, want[i], r.Status, "outcome %d", i)
		switch want[i] {
		case types.REMOTE_REQUEST_STATUS_ACCEPTED:
			require.Equal(t, uint64(41), r.GrantId)
		case types.REMOTE_REQUEST_STATUS_REFUSED:
			require.Equal(t, out.Error, r.Error)
		}
		// a second outcome leaves the request as it is (and never fails the relayer)
		ctx = h.Ctx()
		require.NoError(t, k.OutboxInFlight.Set(ctx, collections.Join(clientID, id+100), r.OutboxId))
		require.NoError(t, k.OnPacketOutcome(ctx, clientID, id+100, types.PacketOutcome{Timeout: true}))
		r2, err := k.GetRemoteRequest(ctx, id)
		require.NoError(t, err)
		require.Equal(t, r, r2)
		h.NextBlock()
	}
}
