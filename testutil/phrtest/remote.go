package phrtest

// The hospital chain's side of the cross-chain story on one in-process
// chain: the world's chain plays chain A (vault, records, proxies: a real
// grant, record and first-level capsules) and chain B (the hospital's
// requests, the grant mirror and the inbox) at once, with packets handed to
// the keeper's OnRecvPacket as IBC core would after proving them. The peer
// client tracks the world's own chain id, so the mirror's grant context is
// the one the key grant was made for.

import (
	"bytes"
	"crypto/sha256"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/ibctest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// AddPeerClient installs an active 07-tendermint client of chainID
// (ibctest.InstallClient) and admits it as a peer; it returns the client id.
func (w *World) AddPeerClient(chainID string) string {
	w.T.Helper()
	h := w.H
	ctx := h.Ctx()
	clientID := ibctest.InstallClient(ctx, h.App, chainID)
	require.Equal(w.T, ibcexported.Active, h.App.IBCKeeper.ClientKeeper.GetClientStatus(ctx, clientID))
	require.NoError(w.T, h.App.PhrKeeper.AdmitPeer(ctx, h.App.PhrKeeper.Authority(), clientID, chainID, "peer "+clientID))
	h.NextBlock()
	return clientID
}

// RemoteRequestMsg is the hospital's request over channelID (or a peer's
// client id) for the same scope as RequestMsg.
func (w *World) RemoteRequestMsg(channelID string, maxRecords uint32) *types.MsgRequestRemoteAccess {
	r := w.RequestMsg(maxRecords)
	return &types.MsgRequestRemoteAccess{Hospital: w.Hospital.String(), ChannelId: channelID, Patient: r.Patient,
		Vault: r.Vault, Scope: r.Scope, Purpose: r.Purpose, Expiry: r.Expiry}
}

// RequestRemote delivers RemoteRequestMsg and returns the request id.
func (w *World) RequestRemote(channelID string, maxRecords uint32) uint64 {
	w.T.Helper()
	var resp types.MsgRequestRemoteAccessResponse
	w.decode(w.MustDeliver(w.Hospital, w.RemoteRequestMsg(channelID, maxRecords)), &resp)
	return resp.RequestId
}

// SharedRecord uploads payload, has the hospital request and the patient
// grant (2 of the committee) locally, fetches the record and has proxies 0
// and 1 answer: a COMPLETE share of real first-level capsules.
func (w *World) SharedRecord(payload []byte) (grantID, recordID uint64) {
	w.T.Helper()
	recordID = w.Upload(payload, w.Now())
	grantID = w.Request(10)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	tasks := w.Fetch(grantID, recordID)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))
	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, tasks...))
	share, err := w.H.App.PhrKeeper.Shares.Get(w.H.Ctx(), collections.Join(grantID, recordID))
	require.NoError(w.T, err)
	require.Equal(w.T, types.SHARE_STATUS_COMPLETE, share.Status)
	return grantID, recordID
}

// GrantDecision is the patient chain's GRANTED decision for its grant
// grantID, answering the hospital chain's request requestID.
func (w *World) GrantDecision(grantID, requestID uint64) *types.GrantDecisionPacket {
	w.T.Helper()
	g, err := w.H.App.PhrKeeper.GetGrant(w.H.Ctx(), grantID)
	require.NoError(w.T, err)
	params, err := w.H.App.PhrKeeper.Params.Get(w.H.Ctx())
	require.NoError(w.T, err)
	return &types.GrantDecisionPacket{
		GrantId: g.Id, RequestId: requestID, Status: g.Status, ChainId: apptest.ChainID, Patient: g.Patient,
		Vault: g.Vault, Epoch: g.Epoch, VaultKey: w.VaultKey.Public().Bytes(), Scope: g.Scope, Threshold: g.Threshold,
		KeyGrant: g.KeyGrant, Expiry: g.Expiry, MaxUploadDelaySeconds: params.MaxUploadDelaySeconds,
	}
}

// SharePacket is the patient chain's Share of a complete local share, as
// sharePacket builds it: first-level capsules, body, metadata and the
// device's registered key.
func (w *World) SharePacket(grantID, recordID uint64) *types.SharePacket {
	w.T.Helper()
	ctx := w.H.Ctx()
	k := w.H.App.PhrKeeper
	share, err := k.Shares.Get(ctx, collections.Join(grantID, recordID))
	require.NoError(w.T, err)
	rec, err := k.GetRecord(ctx, recordID)
	require.NoError(w.T, err)
	dev, err := k.GetDevice(ctx, rec.DeviceId)
	require.NoError(w.T, err)
	return &types.SharePacket{GrantId: grantID, RecordId: recordID, Outcome: types.SHARE_OUTCOME_DELIVERED,
		Meta: types.RecordMeta{Patient: rec.Patient, Vault: rec.Vault, Epoch: rec.Epoch, DeviceId: rec.DeviceId,
			Time: rec.Time, ResourceType: rec.ResourceType, DeviceKey: dev.PublicKey},
		FirstLevel: share.FirstLevel, Body: rec.Body}
}

// SenderHash is a stand-in for the sender's audit entry hash of a packet.
func SenderHash(seq uint64) []byte {
	h := sha256.Sum256(sdk.Uint64ToBigEndian(seq))
	return h[:]
}

// Recv hands a packet body to the keeper as IBC core does after proving
// it, on ctx (pass a block-execution context to get the rerandomization),
// with SenderHash(origin.Sequence) as the sender's entry.
func (w *World) Recv(ctx sdk.Context, origin types.PacketOrigin, d *types.PacketData) (*types.PacketAck, error) {
	w.T.Helper()
	d.SenderAuditHash = SenderHash(origin.Sequence)
	bz, err := types.EncodePacketData(d)
	require.NoError(w.T, err)
	return w.H.App.PhrKeeper.OnRecvPacket(ctx, origin, bz)
}

// BlockCtx is the committed-store context in block execution, with a
// header hash: what a packet's recv sees in FinalizeBlock.
func (w *World) BlockCtx() sdk.Context {
	return w.H.Ctx().WithExecMode(sdk.ExecModeFinalize).WithHeaderHash(bytes.Repeat([]byte{0xab}, 32))
}

// MirrorRemote runs the hospital side up to a granted mirror and a
// delivered share in the inbox: a complete local share (grant g, record
// r), a remote request over the v2 path clientID, the decision and the
// Share received in block execution. It returns g, r and the request id.
func (w *World) MirrorRemote(clientID string, payload []byte) (grantID, recordID, requestID uint64) {
	w.T.Helper()
	grantID, recordID = w.SharedRecord(payload)
	requestID = w.RequestRemote(clientID, 10)
	origin := types.PacketOrigin{ClientID: clientID, Sequence: 1}
	_, err := w.Recv(w.BlockCtx(), origin, &types.PacketData{Body: &types.PacketData_GrantDecision{GrantDecision: w.GrantDecision(grantID, requestID)}})
	require.NoError(w.T, err)
	origin.Sequence = 2
	_, err = w.Recv(w.BlockCtx(), origin, &types.PacketData{Body: &types.PacketData_Share{Share: w.SharePacket(grantID, recordID)}})
	require.NoError(w.T, err)
	w.H.NextBlock()
	return grantID, recordID, requestID
}

// SettleOutbox marks every queued outbox entry ACKED and takes it out of
// the end blocker's retry queue, as if a relayer had delivered it: with no
// IBC counterparty in a unit test the retries would otherwise change state
// in every later block.
func (w *World) SettleOutbox() {
	w.T.Helper()
	ctx := w.H.Ctx()
	k := w.H.App.PhrKeeper
	iter, err := k.OutboxPending.Iterate(ctx, nil)
	require.NoError(w.T, err)
	keys, err := iter.Keys()
	require.NoError(w.T, err)
	for _, key := range keys {
		require.NoError(w.T, k.OutboxPending.Remove(ctx, key))
		e, err := k.Outbox.Get(ctx, key.K2())
		require.NoError(w.T, err)
		e.Status = types.OUTBOX_STATUS_ACKED
		require.NoError(w.T, k.Outbox.Set(ctx, e.Id, e))
	}
	w.H.NextBlock()
}
