package keeper_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/testutil/ibctest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// An AccessRequest from an admitted peer opens a request on the patient's
// chain that names the remote identity (client, channel, address on B) and
// carries the key B from the packet, not any key of this chain; the audit
// entry links to the sender's entry and its hash is in the ack. The remote
// grant is listed under its patient and not under any local requester.
func TestRecvAccessRequestOpensRemoteGrant(t *testing.T) {
	rw := newRemoteWorld(t, false)
	h := rw.H
	k := h.App.PhrKeeper
	seq := auditHead(t, h)
	p := rw.accessRequest(3)
	ack := rw.mustRecv(t, p)
	require.Equal(t, uint64(1), ack.GrantId)
	require.Empty(t, ack.TaskIds)

	g := getGrant(t, h, ack.GrantId)
	require.Equal(t, rw.identity(), g.Requester)
	require.Equal(t, rw.keyB.Public().Bytes(), g.RequesterKey, "key B from the packet")
	require.NotEqual(t, rw.RequesterKey.Public().Bytes(), g.RequesterKey)
	require.Equal(t, &types.RemoteRequester{ClientId: rw.origin.ClientID, ChannelId: rw.origin.ChannelID,
		Address: remoteHospital, ChainId: hospitalChainID, RequestId: p.RequestId}, g.Remote)
	require.Equal(t, types.GRANT_STATUS_REQUESTED, g.Status)
	require.Equal(t, rw.Patient.String(), g.Patient)
	require.Equal(t, uint64(1), g.Epoch)
	require.Equal(t, p.Scope, g.Scope)
	require.Equal(t, p.Expiry.UTC(), g.RequestedExpiry)

	entries := auditSince(t, h, seq)
	require.Len(t, entries, 1)
	e := entries[0]
	requireEntry(t, e, types.ActionRecvAccessRequest, rw.identity(), rw.Patient.String(), grantObj(g.Id), audittypes.OUTCOME_SUCCESS)
	require.Equal(t, audittypes.Counterparty{ClientId: rw.origin.ClientID, ChannelId: rw.origin.ChannelID,
		ChainId: hospitalChainID, EntryHash: senderHash}, e.Counterparty)
	require.Equal(t, e.Hash, ack.ReceiverAuditHash)

	ctx := h.Ctx()
	onPatient, err := k.Grants.Indexes.ByPatient.Has(ctx, collections.Join3(rw.Patient.Address, int32(types.GRANT_STATUS_REQUESTED), g.Id))
	require.NoError(t, err)
	require.True(t, onPatient)
	requireEmpty(t, k.Grants.Indexes.ByRequester.KeySet, ctx, "a remote requester is not indexed as a local one")
	queued, err := k.Grants.Indexes.RequestQueue.Has(ctx, collections.Join(g.RequestedExpiry.UnixNano(), g.Id))
	require.NoError(t, err)
	require.True(t, queued, "a remote request expires like a local one")

	// the local hospital's own request still works beside it
	require.Equal(t, uint64(2), rw.Request(1))
}

// Every malformed or disallowed AccessRequest is refused with its registered
// error before any write (run straight on the committed store, the stores
// stay unchanged), as are packets over a client that is not an admitted
// peer, whose chain id changed, and a request id already received.
func TestRecvAccessRequestRefusals(t *testing.T) {
	rw := newRemoteWorld(t, false)
	h := rw.H
	edit := func(f func(p *types.AccessRequestPacket)) *types.AccessRequestPacket {
		p := rw.accessRequest(3)
		f(p)
		return p
	}
	now := rw.Now()
	cases := map[string]struct {
		p    *types.AccessRequestPacket
		want *errorsmod.Error
	}{
		"key of 31 bytes":      {edit(func(p *types.AccessRequestPacket) { p.RequesterKey = p.RequesterKey[:31] }), types.ErrInvalidMemberKey},
		"identity key":         {edit(func(p *types.AccessRequestPacket) { p.RequesterKey = make([]byte, 32) }), types.ErrInvalidMemberKey},
		"non-canonical key":    {edit(func(p *types.AccessRequestPacket) { p.RequesterKey = bytes.Repeat([]byte{0xff}, 32) }), types.ErrInvalidMemberKey},
		"no key":               {edit(func(p *types.AccessRequestPacket) { p.RequesterKey = nil }), types.ErrInvalidMemberKey},
		"no requester":         {edit(func(p *types.AccessRequestPacket) { p.Requester = "" }), types.ErrInvalidAddress},
		"requester too long":   {edit(func(p *types.AccessRequestPacket) { p.Requester = strings.Repeat("a", 129) }), types.ErrInvalidAddress},
		"requester with space": {edit(func(p *types.AccessRequestPacket) { p.Requester = "medex1 x" }), types.ErrInvalidAddress},
		"request id 0":         {edit(func(p *types.AccessRequestPacket) { p.RequestId = 0 }), types.ErrInvalidPacket},
		"patient not bech32":   {edit(func(p *types.AccessRequestPacket) { p.Patient = "patient" }), types.ErrInvalidAddress},
		"unknown patient":      {edit(func(p *types.AccessRequestPacket) { p.Patient = rw.Stranger.String() }), types.ErrVaultNotFound},
		"unknown vault":        {edit(func(p *types.AccessRequestPacket) { p.Vault = "sleep" }), types.ErrVaultNotFound},
		"empty window":         {edit(func(p *types.AccessRequestPacket) { p.Scope.ToTime = p.Scope.FromTime }), types.ErrInvalidScope},
		"no max records":       {edit(func(p *types.AccessRequestPacket) { p.Scope.MaxRecords = 0 }), types.ErrInvalidScope},
		"no purpose":           {edit(func(p *types.AccessRequestPacket) { p.Purpose = "" }), types.ErrInvalidScope},
		"purpose too long":     {edit(func(p *types.AccessRequestPacket) { p.Purpose = strings.Repeat("p", 257) }), types.ErrInvalidScope},
		"expiry passed":        {edit(func(p *types.AccessRequestPacket) { p.Expiry = now.Add(-time.Second) }), types.ErrInvalidExpiry},
		"expiry too far":       {edit(func(p *types.AccessRequestPacket) { p.Expiry = now.Add(10 * 365 * 24 * time.Hour) }), types.ErrInvalidExpiry},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) { rw.recvRefused(t, rw.origin, c.p, c.want) })
	}

	t.Run("client not admitted", func(t *testing.T) {
		other := ibctest.InstallClient(h.Ctx(), h.App, hospitalChainID)
		origin := rw.origin
		origin.ClientID = other
		rw.recvRefused(t, origin, rw.accessRequest(3), types.ErrPeerNotAdmitted)
	})
	t.Run("non-canonical data", func(t *testing.T) {
		bz, err := types.EncodePacketData(packetData(rw.accessRequest(3)))
		require.NoError(t, err)
		rw.recvRefusedBytes(t, rw.origin, append(bz, 0x00), types.ErrInvalidPacket)
	})
	t.Run("replayed request id", func(t *testing.T) {
		p := rw.accessRequest(3)
		rw.mustRecv(t, p)
		again := *p
		again.Purpose = "a new sequence, the same request"
		rw.recvRefused(t, rw.origin, &again, types.ErrInvalidPacket)
		// over another channel of the same client it is the same request
		origin := rw.origin
		origin.ChannelID = "channel-77"
		rw.recvRefused(t, origin, &again, types.ErrInvalidPacket)
		// another request id from the same hospital is a new request
		fresh := again
		fresh.RequestId = p.RequestId + 100
		_, err := rw.recvOver(t, rw.origin, &fresh)
		require.NoError(t, err)
	})
	t.Run("client tracks another chain", func(t *testing.T) {
		ibctest.SetClientChainID(h.Ctx(), h.App, rw.origin.ClientID, "impostor-chain")
		rw.recvRefused(t, rw.origin, rw.accessRequest(3), types.ErrPeerChainID)
	})
}

// The error ack path of IBC core: a refused packet delivered in a cache
// context leaves nothing behind either.
func TestRecvAccessRequestErrorAckDiscardsWrites(t *testing.T) {
	rw := newRemoteWorld(t, false)
	before := snapshot(rw.H)
	p := rw.accessRequest(3)
	p.Vault = "sleep"
	bz, err := types.EncodePacketData(packetData(p))
	require.NoError(t, err)
	cache, _ := rw.H.Ctx().CacheContext()
	_, err = rw.H.App.PhrKeeper.OnRecvPacket(cache, rw.origin, bz)
	require.ErrorIs(t, err, types.ErrVaultNotFound)
	requireUnchanged(t, rw.H, before)
}
