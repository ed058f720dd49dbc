package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

func fetchRemoteMsg(w *phrtest.World, clientID string, grantID uint64, records ...uint64) *types.MsgFetchRemote {
	return &types.MsgFetchRemote{Hospital: w.Hospital.String(), ClientId: clientID, GrantId: grantID, RecordIds: records}
}

// A fetch under a granted mirror is queued over the mirror's path with the
// selection; its packet names the hospital the mirror names. A record
// already in the inbox may be asked again (the patient chain re-sends).
func TestFetchRemoteQueued(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	h := w.H
	var resp types.MsgFetchRemoteResponse
	mustDecode(t, w, w.Hospital, fetchRemoteMsg(w, clientID, grantID, recordID, 9), &resp)
	e, err := h.App.PhrKeeper.Outbox.Get(h.Ctx(), resp.OutboxId)
	require.NoError(t, err)
	require.Equal(t, types.PACKET_KIND_FETCH, e.Kind)
	require.Equal(t, types.OUTBOX_STATUS_PENDING, e.Status)
	require.Equal(t, clientID, e.ClientId)
	require.Empty(t, e.ChannelId)
	require.Equal(t, []uint64{recordID, 9}, e.RecordIds)
	require.Equal(t, w.Hospital.String(), e.Actor)
	d, err := h.App.PhrKeeper.BuildPacket(h.Ctx(), &e)
	require.NoError(t, err)
	require.Equal(t, &types.FetchPacket{GrantId: grantID, Requester: w.Hospital.String(), RecordIds: []uint64{recordID, 9}}, d.GetFetch())
}

// Refused fetches leave no state: another signer, an unknown mirror, an
// empty, repeating or oversized selection, a revoked mirror, a mirror
// expired by this chain's clock.
func TestFetchRemoteRefusals(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	h := w.H
	stranger := fetchRemoteMsg(w, clientID, grantID, recordID)
	stranger.Hospital = w.Stranger.String()
	deliverRefused(t, h, w.Stranger, types.ErrNotHospital, stranger)
	deliverRefused(t, h, w.Hospital, types.ErrRemoteGrantNotFound, fetchRemoteMsg(w, clientID, grantID+1, recordID))
	deliverRefused(t, h, w.Hospital, types.ErrRemoteGrantNotFound, fetchRemoteMsg(w, "07-tendermint-9", grantID, recordID))
	deliverRefused(t, h, w.Hospital, types.ErrTooManyRecords, fetchRemoteMsg(w, clientID, grantID))
	deliverRefused(t, h, w.Hospital, types.ErrAlreadyFetched, fetchRemoteMsg(w, clientID, grantID, recordID, recordID))
	deliverRefused(t, h, w.Hospital, types.ErrRecordNotFound, fetchRemoteMsg(w, clientID, grantID, 0))
	many := make([]uint64, 11) // the grant covers 10
	for i := range many {
		many[i] = uint64(i + 1)
	}
	deliverRefused(t, h, w.Hospital, types.ErrTooManyRecords, fetchRemoteMsg(w, clientID, grantID, many...))

	// another admitted hospital is not the mirror's
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), h.App.PhrKeeper.Authority(), w.Stranger.Address, types.ROLE_HOSPITAL, w.RequesterKey.Public().Bytes()))
	h.NextBlock()
	deliverRefused(t, h, w.Stranger, types.ErrNotRequester, stranger)

	g, err := h.App.PhrKeeper.GetRemoteGrant(h.Ctx(), clientID, grantID)
	require.NoError(t, err)
	h.Advance(g.Expiry.Sub(w.Now()) + time.Second)
	deliverRefused(t, h, w.Hospital, types.ErrGrantExpired, fetchRemoteMsg(w, clientID, grantID, recordID))
}

func TestFetchRemoteRevoked(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	revoke := w.GrantDecision(grantID, 1)
	revoke.Status = types.GRANT_STATUS_REVOKED
	_, err := w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, Sequence: 9}, decisionData(revoke))
	require.NoError(t, err)
	w.H.NextBlock()
	deliverRefused(t, w.H, w.Hospital, types.ErrGrantRevoked, fetchRemoteMsg(w, clientID, grantID, recordID))
}

// The hospital side's queries page through their indexes.
func TestRemoteQueries(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	h := w.H
	_, err := w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, Sequence: 2}, shareData(w.SharePacket(grantID, recordID)))
	require.NoError(t, err)
	second := w.RequestRemote(clientID, 3)
	q := queryServer(h)
	ctx := h.Ctx()

	r, err := q.RemoteRequest(ctx, &types.QueryRemoteRequestRequest{Id: second})
	require.NoError(t, err)
	require.Equal(t, uint32(3), r.Request.Scope.MaxRecords)
	_, err = q.RemoteRequest(ctx, &types.QueryRemoteRequestRequest{Id: 99})
	require.ErrorContains(t, err, "NotFound")

	page1, err := q.RemoteRequestsByHospital(ctx, &types.QueryRemoteRequestsByHospitalRequest{Hospital: w.Hospital.String(), Pagination: &query.PageRequest{Limit: 1}})
	require.NoError(t, err)
	require.Len(t, page1.Requests, 1)
	require.Equal(t, uint64(1), page1.Requests[0].Id)
	page2, err := q.RemoteRequestsByHospital(ctx, &types.QueryRemoteRequestsByHospitalRequest{Hospital: w.Hospital.String(), Pagination: &query.PageRequest{Key: page1.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, page2.Requests, 1)
	require.Equal(t, second, page2.Requests[0].Id)
	none, err := q.RemoteRequestsByHospital(ctx, &types.QueryRemoteRequestsByHospitalRequest{Hospital: w.Stranger.String()})
	require.NoError(t, err)
	require.Empty(t, none.Requests)
	_, err = q.RemoteRequestsByHospital(ctx, &types.QueryRemoteRequestsByHospitalRequest{Hospital: w.Hospital.String(), Pagination: &query.PageRequest{CountTotal: true}})
	require.ErrorContains(t, err, "count_total")

	g, err := q.RemoteGrant(ctx, &types.QueryRemoteGrantRequest{ClientId: clientID, GrantId: grantID})
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_GRANTED, g.Grant.Status)
	_, err = q.RemoteGrant(ctx, &types.QueryRemoteGrantRequest{ClientId: clientID, GrantId: grantID + 1})
	require.ErrorContains(t, err, "NotFound")
	gs, err := q.RemoteGrantsByHospital(ctx, &types.QueryRemoteGrantsByHospitalRequest{Hospital: w.Hospital.String()})
	require.NoError(t, err)
	require.Equal(t, []types.RemoteGrant{g.Grant}, gs.Grants)

	s, err := q.InboxShare(ctx, &types.QueryInboxShareRequest{ClientId: clientID, GrantId: grantID, RecordId: recordID})
	require.NoError(t, err)
	require.Equal(t, types.SHARE_OUTCOME_DELIVERED, s.Share.Outcome)
	_, err = q.InboxShare(ctx, &types.QueryInboxShareRequest{ClientId: clientID, GrantId: grantID, RecordId: recordID + 1})
	require.ErrorContains(t, err, "NotFound")

	// two more records in the inbox (EXPIRED outcomes need no crypto); another grant's stay out
	for _, rid := range []uint64{recordID + 1, recordID + 2} {
		_, err := w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, Sequence: 10 + rid},
			shareData(&types.SharePacket{GrantId: grantID, RecordId: rid, Outcome: types.SHARE_OUTCOME_EXPIRED}))
		require.NoError(t, err)
	}
	h.NextBlock()
	ctx = h.Ctx()
	in, err := q.Inbox(ctx, &types.QueryInboxRequest{ClientId: clientID, GrantId: grantID, Pagination: &query.PageRequest{Limit: 2}})
	require.NoError(t, err)
	require.Len(t, in.Shares, 2)
	require.Equal(t, recordID, in.Shares[0].RecordId)
	in2, err := q.Inbox(ctx, &types.QueryInboxRequest{ClientId: clientID, GrantId: grantID, Pagination: &query.PageRequest{Key: in.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, in2.Shares, 1)
	require.Equal(t, recordID+2, in2.Shares[0].RecordId)
	empty, err := q.Inbox(ctx, &types.QueryInboxRequest{ClientId: clientID, GrantId: grantID + 1})
	require.NoError(t, err)
	require.Empty(t, empty.Shares)
}

// A peer the authority removed gets no more fetches, whatever the mirror says.
func TestFetchRemotePeerRemoved(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	k := w.H.App.PhrKeeper
	require.NoError(t, k.RemovePeer(w.H.Ctx(), k.Authority(), clientID))
	w.H.NextBlock()
	deliverRefused(t, w.H, w.Hospital, types.ErrPeerNotAdmitted, fetchRemoteMsg(w, clientID, grantID, recordID))
}
