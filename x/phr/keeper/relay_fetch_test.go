package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/medexchain/medexchain/testutil/ibctest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

func (rw *remoteWorld) fetch(grantID uint64, records ...uint64) *types.FetchPacket {
	return &types.FetchPacket{GrantId: grantID, Requester: remoteHospital, RecordIds: records}
}

// A Fetch under a remote grant over its own path opens the record's tasks
// (one audit entry per record, linked to the sender's, the last one's hash
// in the ack); fetching again while the tasks are open changes nothing and
// opens nothing; once the share is complete a fetch sends it again (a new
// Share entry) and lists it in already_complete, without counting it twice.
func TestRecvFetchIsIdempotent(t *testing.T) {
	rw := newRemoteWorld(t, false)
	h := rw.H
	recordID := rw.Upload(testPayload, rw.Now())
	other := rw.Upload(testPayload, rw.Now())
	grantID := rw.requestGranted(t, 5)

	seq := auditHead(t, h)
	ack := rw.mustRecv(t, rw.fetch(grantID, recordID))
	require.Len(t, ack.TaskIds, 1)
	require.Empty(t, ack.AlreadyComplete)
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 1)
	requireEntry(t, entries[0], types.ActionRecvFetch, rw.identity(), rw.Patient.String(), fetchObj(grantID, recordID), audittypes.OUTCOME_SUCCESS)
	require.Equal(t, senderHash, entries[0].Counterparty.EntryHash)
	require.Equal(t, entries[0].Hash, ack.ReceiverAuditHash)
	require.Equal(t, uint32(1), getGrant(t, h, grantID).RecordsFetched)
	share, err := h.App.PhrKeeper.Shares.Get(h.Ctx(), collections.Join(grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, rw.identity(), share.Requester)
	for _, id := range ack.TaskIds {
		requireTaskQueued(t, h, id, true)
	}

	// again while pending: nothing opened, nothing re-sent, nothing counted
	again := rw.mustRecv(t, rw.fetch(grantID, recordID))
	require.Empty(t, again.TaskIds)
	require.Empty(t, again.AlreadyComplete)
	require.Equal(t, uint32(1), getGrant(t, h, grantID).RecordsFetched)
	require.Empty(t, rw.shareEntries(t), "no Share while the tasks are open")

	rw.MustDeliver(rw.Proxies[0], rw.AnswerMsg(0, ack.TaskIds...))
	rw.MustDeliver(rw.Proxies[1], rw.AnswerMsg(1, ack.TaskIds...))
	require.Len(t, rw.shareEntries(t), 1, "completing the share queues it")

	// the complete record again, with a new one: re-sent, and the new one opened
	seq = auditHead(t, h)
	third := rw.mustRecv(t, rw.fetch(grantID, recordID, other))
	require.Equal(t, []uint64{recordID}, third.AlreadyComplete)
	require.Len(t, third.TaskIds, 1)
	require.Equal(t, uint32(2), getGrant(t, h, grantID).RecordsFetched)
	shares := rw.shareEntries(t)
	require.Len(t, shares, 2, "a new Share entry for the complete record")
	require.Equal(t, fetchObj(grantID, recordID), shares[1].ObjectId)
	var recv []audittypes.Entry
	for _, e := range auditSince(t, h, seq) {
		if e.Action == types.ActionRecvFetch {
			recv = append(recv, e)
		}
	}
	require.Len(t, recv, 2, "one entry per record named")
	require.Equal(t, recv[1].Hash, third.ReceiverAuditHash)
}

// shareEntries is the outbox's Share entries.
func (rw *remoteWorld) shareEntries(t *testing.T) []types.OutboxEntry {
	t.Helper()
	var out []types.OutboxEntry
	for _, e := range rw.outbox(t) {
		if e.Kind == types.PACKET_KIND_SHARE {
			out = append(out, e)
		}
	}
	return out
}

// A fetch of a remote grant is refused unless it comes over the grant's
// own path for its own requester; a local grant is never fetched over IBC,
// and a remote grant never by a local message. Refusals change nothing.
func TestRecvFetchRefusals(t *testing.T) {
	rw := newRemoteWorld(t, false)
	h := rw.H
	recordID := rw.Upload(testPayload, rw.Now())
	grantID := rw.requestGranted(t, 5)
	localGrant := rw.Request(5)
	rw.MustDeliver(rw.Patient, rw.GrantMsg(localGrant, 2))

	rw.recvRefused(t, rw.origin, rw.fetch(localGrant, recordID), types.ErrLocalGrant)
	otherChannel := rw.origin
	otherChannel.ChannelID = "channel-77"
	rw.recvRefused(t, otherChannel, rw.fetch(grantID, recordID), types.ErrNotRequester)
	otherHospital := rw.fetch(grantID, recordID)
	otherHospital.Requester = "medex1someoneelseonb"
	rw.recvRefused(t, rw.origin, otherHospital, types.ErrNotRequester)
	// another admitted peer (its own client) does not share the grant
	ctx := h.Ctx()
	k := h.App.PhrKeeper
	second := ibctest.InstallClient(ctx, h.App, "hospital-chain-c")
	require.NoError(t, k.AdmitPeer(ctx, k.Authority(), second, "hospital-chain-c", "Hospital C"))
	otherClient := rw.origin
	otherClient.ClientID = second
	rw.recvRefused(t, otherClient, rw.fetch(grantID, recordID), types.ErrNotRequester)
	rw.recvRefused(t, rw.origin, rw.fetch(grantID+100, recordID), types.ErrGrantNotFound)
	rw.recvRefused(t, rw.origin, rw.fetch(grantID), types.ErrTooManyRecords)
	rw.recvRefused(t, rw.origin, rw.fetch(grantID, recordID, recordID), types.ErrAlreadyFetched)
	rw.recvRefused(t, rw.origin, rw.fetch(grantID, recordID, recordID+100), types.ErrRecordNotFound)

	// the local requester path refuses the remote grant, whoever signs
	deliverRefused(t, h, rw.Hospital, types.ErrRemoteGrant, fetchMsg(rw.World, grantID, recordID))
	deliverRefused(t, h, rw.Stranger, types.ErrRemoteGrant,
		&types.MsgFetchRecords{Requester: rw.Stranger.String(), GrantId: grantID, RecordIds: []uint64{recordID}})

	// a removed peer fetches nothing more
	rw.MustDeliver(rw.Patient, &types.MsgRevokeAccess{Patient: rw.Patient.String(), GrantId: grantID})
	rw.recvRefused(t, rw.origin, rw.fetch(grantID, recordID), types.ErrGrantRevoked)
	require.NoError(t, k.RemovePeer(h.Ctx(), k.Authority(), rw.origin.ClientID))
	rw.recvRefused(t, rw.origin, rw.fetch(grantID, recordID), types.ErrPeerNotAdmitted)
}

// max_records counts only records that open tasks: a fetch of new records
// beyond it is refused whole, even beside a record already complete.
func TestRecvFetchScopeExhausted(t *testing.T) {
	rw := newRemoteWorld(t, false)
	r1 := rw.Upload(testPayload, rw.Now())
	r2 := rw.Upload(testPayload, rw.Now())
	grantID := rw.requestGranted(t, 1)
	rw.mustRecv(t, rw.fetch(grantID, r1))
	rw.recvRefused(t, rw.origin, rw.fetch(grantID, r1, r2), types.ErrScopeExhausted)
	ack := rw.mustRecv(t, rw.fetch(grantID, r1))
	require.Empty(t, ack.TaskIds)
}
