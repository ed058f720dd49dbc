package keeper_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	abci "github.com/cometbft/cometbft/abci/types"

	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"

	"github.com/medexchain/medexchain/testutil/ibctest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Fixture of the patient chain's (chain A's) side of the phr packets: the
// phrtest world is chain A; chain B is a 07-tendermint client of
// hospitalChainID in A's IBC store, admitted as a peer. Packets from B are
// handed to the keeper as IBC core hands them (OnRecvPacket with the proven
// origin); packets to B go through IBC core's SendPacket over a phr channel
// written into A's IBC store when the test wants sends to succeed, and fail
// (the entry stays pending) when there is no channel.

const (
	hospitalChainID = "hospital-chain-b"
	// remoteHospital is the hospital's address on chain B (any string to A).
	remoteHospital = "medex1hospitalonchainbxxxxxxxxxxxxxxxxxxxx"
	// noChannel is the phr channel named in origins when no channel exists
	// in A's store: receiving works, sending back over it fails.
	noChannel = "channel-9"
)

var senderHash = bytes.Repeat([]byte{0xb0}, 32)

type remoteWorld struct {
	*phrtest.World
	origin types.PacketOrigin
	// keyB is the hospital's requester key on chain B (its public key goes
	// in the AccessRequest packets); the world's RequesterKey is the local
	// hospital's.
	keyB      *keys.RequesterSecretKey
	requestID uint64
}

// newRemoteWorld is a world with 3 proxies, an admitted peer and, with
// channel, an open phr channel to it.
func newRemoteWorld(t *testing.T, channel bool) *remoteWorld {
	t.Helper()
	w := phrtest.NewWorld(t, 3)
	ctx := w.H.Ctx()
	k := w.H.App.PhrKeeper
	clientID := ibctest.InstallClient(ctx, w.H.App, hospitalChainID)
	require.NoError(t, k.AdmitPeer(ctx, k.Authority(), clientID, hospitalChainID, "Hospital B"))
	channelID := noChannel
	if channel {
		channelID = ibctest.OpenPhrChannel(ctx, w.H.App, clientID)
		require.NoError(t, k.SetPeerChannel(ctx, clientID, channelID))
	}
	w.H.NextBlock()
	keyB, err := keys.GenerateRequesterKey(rand.Reader)
	require.NoError(t, err)
	return &remoteWorld{World: w, origin: types.PacketOrigin{ClientID: clientID, ChannelID: channelID, Sequence: 1}, keyB: keyB}
}

// identity is the requester string of this world's remote grants.
func (rw *remoteWorld) identity() string {
	return "ibc:" + rw.origin.ClientID + "/" + rw.origin.ChannelID + "/" + remoteHospital
}

// accessRequest is what B's phr module would send for its hospital: every
// record of the vault from a day ago to a day ahead, under a new request id.
func (rw *remoteWorld) accessRequest(maxRecords uint32) *types.AccessRequestPacket {
	rw.requestID++
	now := rw.Now()
	return &types.AccessRequestPacket{RequestId: rw.requestID, Requester: remoteHospital, RequesterKey: rw.keyB.Public().Bytes(),
		Patient: rw.Patient.String(), Vault: phrtest.Vault,
		Scope:   types.Scope{FromTime: now.Add(-24 * time.Hour), ToTime: now.Add(24 * time.Hour), MaxRecords: maxRecords},
		Purpose: "treatment", Expiry: now.Add(48 * time.Hour)}
}

func packetData(body any) *types.PacketData {
	d := &types.PacketData{SenderAuditHash: senderHash}
	switch b := body.(type) {
	case *types.AccessRequestPacket:
		d.Body = &types.PacketData_AccessRequest{AccessRequest: b}
	case *types.FetchPacket:
		d.Body = &types.PacketData_Fetch{Fetch: b}
	default:
		panic("not a packet body of the patient side")
	}
	return d
}

// recvOver delivers body from origin as IBC core's recv does: in a cache
// context whose writes are kept only for a success ack; it commits a block.
func (rw *remoteWorld) recvOver(t *testing.T, origin types.PacketOrigin, body any) (*types.PacketAck, error) {
	t.Helper()
	bz, err := types.EncodePacketData(packetData(body))
	require.NoError(t, err)
	cache, write := rw.H.Ctx().CacheContext()
	ack, err := rw.H.App.PhrKeeper.OnRecvPacket(cache, origin, bz)
	if err == nil {
		write()
	}
	rw.H.NextBlock()
	return ack, err
}

func (rw *remoteWorld) mustRecv(t *testing.T, body any) *types.PacketAck {
	t.Helper()
	ack, err := rw.recvOver(t, rw.origin, body)
	require.NoError(t, err)
	require.Len(t, ack.ReceiverAuditHash, 32)
	return ack
}

// recvRefusedBytes hands data to the keeper straight on the committed store
// (no cache context): the refusal must be the registered error, and the phr
// and audit stores must be unchanged, which shows the handler validated the
// whole packet before its first write.
func (rw *remoteWorld) recvRefusedBytes(t *testing.T, origin types.PacketOrigin, data []byte, want *errorsmod.Error) {
	t.Helper()
	before := snapshot(rw.H)
	_, err := rw.H.App.PhrKeeper.OnRecvPacket(rw.H.Ctx(), origin, data)
	require.ErrorIs(t, err, want)
	requireUnchanged(t, rw.H, before)
}

func (rw *remoteWorld) recvRefused(t *testing.T, origin types.PacketOrigin, body any, want *errorsmod.Error) {
	t.Helper()
	bz, err := types.EncodePacketData(packetData(body))
	require.NoError(t, err)
	rw.recvRefusedBytes(t, origin, bz, want)
}

// requestGranted opens a remote request and grants it 2-of-3 (the key grant
// to key B from the packet); it returns the grant id.
func (rw *remoteWorld) requestGranted(t *testing.T, maxRecords uint32) uint64 {
	t.Helper()
	id := rw.mustRecv(t, rw.accessRequest(maxRecords)).GrantId
	rw.MustDeliver(rw.Patient, rw.grantMsg(t, id))
	return id
}

// grantMsg is the patient's 2-of-3 grant of request id to the requester key
// the grant carries.
func (rw *remoteWorld) grantMsg(t *testing.T, id uint64) *types.MsgGrantAccess {
	t.Helper()
	saved := rw.RequesterKey
	rw.RequesterKey = rw.keyB
	defer func() { rw.RequesterKey = saved }()
	return rw.GrantMsg(id, 2)
}

// outbox is every outbox entry in id order.
func (rw *remoteWorld) outbox(t *testing.T) []types.OutboxEntry {
	t.Helper()
	it, err := rw.H.App.PhrKeeper.Outbox.Iterate(rw.H.Ctx(), nil)
	require.NoError(t, err)
	vals, err := it.Values()
	require.NoError(t, err)
	return vals
}

// lastOutbox is the newest outbox entry.
func (rw *remoteWorld) lastOutbox(t *testing.T) types.OutboxEntry {
	t.Helper()
	all := rw.outbox(t)
	require.NotEmpty(t, all)
	return all[len(all)-1]
}

// built is the packet entry e would be sent as now.
func (rw *remoteWorld) built(t *testing.T, e types.OutboxEntry) *types.PacketData {
	t.Helper()
	d, err := rw.H.App.PhrKeeper.BuildPacket(rw.H.Ctx(), &e)
	require.NoError(t, err)
	return d
}

// sentPackets decodes the phr packets IBC core emitted send_packet events for.
func sentPackets(t *testing.T, events []abci.Event) []*types.PacketData {
	t.Helper()
	var out []*types.PacketData
	for _, ev := range events {
		if ev.Type != channeltypes.EventTypeSendPacket {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key != channeltypes.AttributeKeyDataHex {
				continue
			}
			bz, err := hex.DecodeString(a.Value)
			require.NoError(t, err)
			d, err := types.DecodePacketData(bz)
			require.NoError(t, err)
			out = append(out, d)
		}
	}
	return out
}
