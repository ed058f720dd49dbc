package keeper_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// setHospitalSide writes what chain B's side keeps for its hospital (a
// request, a grant mirror and an inbox share) straight into the store, as
// its handlers would, for the genesis round trip.
func setHospitalSide(t *testing.T, rw *remoteWorld) {
	t.Helper()
	k := rw.H.App.PhrKeeper
	ctx := rw.H.Ctx()
	now := rw.Now()
	scope := types.Scope{FromTime: now.Add(-time.Hour), ToTime: now.Add(time.Hour), MaxRecords: 2}
	require.NoError(t, k.RemoteRequestSeq.Set(ctx, 1))
	require.NoError(t, k.RemoteRequests.Set(ctx, 1, types.RemoteRequest{Id: 1, Hospital: rw.Hospital.String(),
		ClientId: rw.origin.ClientID, ChannelId: rw.origin.ChannelID, Patient: "medex1patientonthepeer", Vault: "vitals",
		Scope: scope, Purpose: "treatment", Expiry: now.Add(time.Hour), Status: types.REMOTE_REQUEST_STATUS_ACCEPTED,
		GrantId: 9, RequesterKey: rw.RequesterKey.Public().Bytes(), OutboxId: 1}))
	require.NoError(t, k.RemoteGrants.Set(ctx, collections.Join(rw.origin.ClientID, uint64(9)), types.RemoteGrant{
		ClientId: rw.origin.ClientID, GrantId: 9, RequestId: 1, Hospital: rw.Hospital.String(), ChainId: hospitalChainID,
		Patient: "medex1patientonthepeer", Vault: "vitals", Epoch: 1, Scope: scope, Status: types.GRANT_STATUS_GRANTED,
		Threshold: 2, Expiry: now.Add(time.Hour), ChannelId: rw.origin.ChannelID}))
	require.NoError(t, k.Inbox.Set(ctx, collections.Join3(rw.origin.ClientID, uint64(9), uint64(4)), types.InboxShare{
		ClientId: rw.origin.ClientID, GrantId: 9, RecordId: 4, Outcome: types.SHARE_OUTCOME_EXPIRED,
		Meta: types.RecordMeta{Time: now.Truncate(time.Minute)}, SourceAuditHash: senderHash, Hospital: rw.Hospital.String()}))
	rw.H.NextBlock()
}

// The cross-chain state (peers, the outbox with a pending and an in-flight
// entry, remote grants, and the hospital side's requests, mirrors and inbox)
// exports and imports into a fresh app with the same phr store, indexes,
// pending queue and in-flight map included; the imported chain still refuses
// a replayed request and matches the in-flight packet's outcome to its entry.
func TestGenesisCrossChainRoundTrip(t *testing.T) {
	rw := newRemoteWorld(t, true)
	h := rw.H
	rw.Upload(testPayload, rw.Now())
	replay := rw.accessRequest(3)
	grantID := rw.mustRecv(t, replay).GrantId
	rw.MustDeliver(rw.Patient, rw.grantMsg(t, grantID)) // in flight over the channel
	noChan := rw.origin
	noChan.ChannelID = noChannel
	ack, err := rw.recvOver(t, noChan, rw.accessRequest(1))
	require.NoError(t, err)
	rw.MustDeliver(rw.Patient, &types.MsgDenyAccess{Patient: rw.Patient.String(), GrantId: ack.GrantId}) // pending
	setHospitalSide(t, rw)

	first := h.ExportAppState()
	var modules map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(first, &modules))
	var gs types.GenesisState
	require.NoError(t, h.App.AppCodec().UnmarshalJSON(modules[types.ModuleName], &gs))
	require.NoError(t, gs.Validate())
	require.Len(t, gs.Peers, 1)
	require.Len(t, gs.Outbox, 2)
	require.Equal(t, types.OUTBOX_STATUS_IN_FLIGHT, gs.Outbox[0].Status)
	require.Equal(t, types.OUTBOX_STATUS_PENDING, gs.Outbox[1].Status)
	require.Equal(t, uint64(2), gs.LastOutboxId)
	require.Len(t, gs.RemoteRequests, 1)
	require.Len(t, gs.RemoteGrants, 1)
	require.Len(t, gs.Inbox, 1)
	require.Equal(t, uint64(1), gs.LastRemoteRequestId)

	imported := apptest.FromAppState(t, apptest.NewEmptyApp(), first, h.Accounts)
	require.JSONEq(t, string(first), string(imported.ExportAppState()))
	want, got := snapshot(h), snapshot(imported)
	diffStores(t, "phr", want.phr, got.phr)

	ik := imported.App.PhrKeeper
	ictx := imported.Ctx()
	id, err := ik.OutboxInFlight.Get(ictx, collections.Join(rw.origin.ChannelID, uint64(1)))
	require.NoError(t, err)
	require.Equal(t, gs.Outbox[0].Id, id)
	require.Equal(t, 1, queueLen(t, imported, ik.OutboxPending))
	reqs, err := ik.RemoteRequests.Indexes.ByHospital.MatchExact(ictx, rw.Hospital.Address)
	require.NoError(t, err)
	keys, err := reqs.PrimaryKeys()
	require.NoError(t, err)
	require.Equal(t, []uint64{1}, keys, "the hospital's index rebuilt")

	rw2 := *rw
	w2 := *rw.World
	w2.H = imported
	rw2.World = &w2
	rw2.recvRefused(t, rw.origin, replay, types.ErrInvalidPacket)
	require.NoError(t, ik.OnPacketOutcome(imported.Ctx(), rw.origin.ChannelID, 1, types.PacketOutcome{
		Ack: &types.PacketAck{ReceiverAuditHash: senderHash}}))
	e, err := ik.Outbox.Get(imported.Ctx(), gs.Outbox[0].Id)
	require.NoError(t, err)
	require.Equal(t, types.OUTBOX_STATUS_ACKED, e.Status)
	require.Equal(t, senderHash, e.ReceiverAuditHash)
}

// Genesis validation refuses cross-chain state InitGenesis could not index
// consistently.
func TestGenesisCrossChainValidation(t *testing.T) {
	rw := newRemoteWorld(t, false)
	grantID := rw.mustRecv(t, rw.accessRequest(3)).GrantId
	rw.MustDeliver(rw.Patient, &types.MsgDenyAccess{Patient: rw.Patient.String(), GrantId: grantID})
	setHospitalSide(t, rw)
	gs, err := rw.H.App.PhrKeeper.ExportGenesis(rw.H.Ctx())
	require.NoError(t, err)
	require.NoError(t, gs.Validate())
	remoteGrant := func(g *types.GenesisState) *types.Grant {
		for i := range g.Grants {
			if g.Grants[i].Remote != nil {
				return &g.Grants[i]
			}
		}
		t.Fatal("no remote grant")
		return nil
	}
	for name, edit := range map[string]func(g *types.GenesisState){
		"peer twice":      func(g *types.GenesisState) { g.Peers = append(g.Peers, g.Peers[0]) },
		"peer unnamed":    func(g *types.GenesisState) { g.Peers[0].Name = "" },
		"outbox id above": func(g *types.GenesisState) { g.LastOutboxId = 0 },
		"outbox id twice": func(g *types.GenesisState) { g.LastOutboxId = 2; g.Outbox = append(g.Outbox, g.Outbox[0]) },
		"outbox kind":     func(g *types.GenesisState) { g.Outbox[0].Kind = types.PACKET_KIND_UNSPECIFIED },
		"outbox status":   func(g *types.GenesisState) { g.Outbox[0].Status = 99 },
		"in flight without sequence": func(g *types.GenesisState) {
			g.Outbox[0].Status = types.OUTBOX_STATUS_IN_FLIGHT
		},
		"remote requester not its identity": func(g *types.GenesisState) { remoteGrant(g).Requester = rw.Hospital.String() },
		"remote grant without request id":   func(g *types.GenesisState) { remoteGrant(g).Remote.RequestId = 0 },
		"remote request opened twice": func(g *types.GenesisState) {
			dup := *remoteGrant(g)
			dup.Id = g.LastGrantId + 1
			g.LastGrantId++
			g.Grants = append(g.Grants, dup)
		},
		"remote request id above":  func(g *types.GenesisState) { g.LastRemoteRequestId = 0 },
		"remote request hospital":  func(g *types.GenesisState) { g.RemoteRequests[0].Hospital = "nobody" },
		"mirror twice":             func(g *types.GenesisState) { g.RemoteGrants = append(g.RemoteGrants, g.RemoteGrants[0]) },
		"mirror hospital":          func(g *types.GenesisState) { g.RemoteGrants[0].Hospital = "" },
		"inbox without its mirror": func(g *types.GenesisState) { g.Inbox[0].GrantId = 10 },
		"inbox share twice":        func(g *types.GenesisState) { g.Inbox = append(g.Inbox, g.Inbox[0]) },
	} {
		t.Run(name, func(t *testing.T) {
			bad := cloneGenesis(t, rw, gs)
			edit(bad)
			require.ErrorIs(t, bad.Validate(), types.ErrInvalidGenesis)
			fresh := apptest.New(t, 1)
			require.ErrorIs(t, fresh.App.PhrKeeper.InitGenesis(fresh.Ctx(), *bad), types.ErrInvalidGenesis)
		})
	}
}

func cloneGenesis(t *testing.T, rw *remoteWorld, gs *types.GenesisState) *types.GenesisState {
	t.Helper()
	bz, err := rw.H.App.AppCodec().MarshalJSON(gs)
	require.NoError(t, err)
	var out types.GenesisState
	require.NoError(t, rw.H.App.AppCodec().UnmarshalJSON(bz, &out))
	return &out
}
