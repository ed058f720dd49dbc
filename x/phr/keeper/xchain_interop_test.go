package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// interop hands the packet of outbox entry e (as the sender builds it) to
// the receiving side's OnRecvPacket over origin, in block execution.
func interop(t *testing.T, w *phrtest.World, origin types.PacketOrigin, e types.OutboxEntry) *types.PacketAck {
	t.Helper()
	d, err := w.H.App.PhrKeeper.BuildPacket(w.H.Ctx(), &e)
	require.NoError(t, err)
	ack, err := w.Recv(w.BlockCtx(), origin, d)
	require.NoError(t, err, "%s packet refused", e.Kind)
	w.H.NextBlock()
	return ack
}

// lastEntry is the newest outbox entry, which must be of kind.
func lastEntry(t *testing.T, w *phrtest.World, kind types.PacketKind) types.OutboxEntry {
	t.Helper()
	seq, err := w.H.App.PhrKeeper.OutboxSeq.Peek(w.H.Ctx())
	require.NoError(t, err)
	e, err := w.H.App.PhrKeeper.Outbox.Get(w.H.Ctx(), seq)
	require.NoError(t, err)
	require.Equal(t, kind, e.Kind)
	return e
}

// The two sides of the phr packets agree: one chain plays the hospital's
// chain B and the patient's chain A over a peer client that tracks its own
// chain id (IBC v2 path, no channel), and each packet one side builds from
// its outbox is accepted by the other's receive handler. The hospital's
// request becomes a remote grant carrying its key B, the patient's grant
// becomes B's mirror, B's fetch opens tasks on A, the completed share lands
// in B's inbox and decrypts there from B's state alone; a second fetch has
// the complete share sent again and B's inbox keeps the first.
func TestPatientAndHospitalSidesInterop(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	clientID := w.AddPeerClient(apptest.ChainID)
	origin := func(seq uint64) types.PacketOrigin { return types.PacketOrigin{ClientID: clientID, Sequence: seq} }
	recordID := w.Upload(testPayload, w.Now())

	requestID := w.RequestRemote(clientID, 10)
	ack := interop(t, w, origin(1), lastEntry(t, w, types.PACKET_KIND_ACCESS_REQUEST))
	grantID := ack.GrantId
	g := getGrant(t, h, grantID)
	require.Equal(t, "ibc:"+clientID+"//"+w.Hospital.String(), g.Requester)
	require.Equal(t, w.RequesterKey.Public().Bytes(), g.RequesterKey, "B's member key, from the packet")
	require.Equal(t, requestID, g.Remote.RequestId)

	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	interop(t, w, origin(2), lastEntry(t, w, types.PACKET_KIND_GRANT_DECISION))
	mirror, err := k.GetRemoteGrant(h.Ctx(), clientID, grantID)
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_GRANTED, mirror.Status)
	require.Equal(t, getGrant(t, h, grantID).KeyGrant, mirror.KeyGrant)

	w.MustDeliver(w.Hospital, fetchRemoteMsg(w, clientID, grantID, recordID))
	ack = interop(t, w, origin(3), lastEntry(t, w, types.PACKET_KIND_FETCH))
	require.Len(t, ack.TaskIds, 1)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, ack.TaskIds...))
	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, ack.TaskIds...))
	interop(t, w, origin(4), lastEntry(t, w, types.PACKET_KIND_SHARE))
	inboxKey := collections.Join3(clientID, grantID, recordID)
	share, err := k.Inbox.Get(h.Ctx(), inboxKey)
	require.NoError(t, err)
	require.Equal(t, types.SHARE_OUTCOME_DELIVERED, share.Outcome)
	env, err := openInbox(t, w, mirror, share)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)

	w.MustDeliver(w.Hospital, fetchRemoteMsg(w, clientID, grantID, recordID))
	ack = interop(t, w, origin(5), lastEntry(t, w, types.PACKET_KIND_FETCH))
	require.Empty(t, ack.TaskIds)
	require.Equal(t, []uint64{recordID}, ack.AlreadyComplete)
	interop(t, w, origin(6), lastEntry(t, w, types.PACKET_KIND_SHARE))
	again, err := k.Inbox.Get(h.Ctx(), inboxKey)
	require.NoError(t, err)
	require.Equal(t, share, again, "the inbox keeps the first delivery")
}
