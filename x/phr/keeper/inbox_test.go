package keeper_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

func shareData(p *types.SharePacket) *types.PacketData {
	return &types.PacketData{Body: &types.PacketData_Share{Share: p}}
}

// openInbox decrypts an inbox share as the hospital does, from the mirror
// alone: the grant key under the mirror's chain id and vault key, the
// stored first-level capsules and body, the shipped device key.
func openInbox(t *testing.T, w *phrtest.World, g types.RemoteGrant, s types.InboxShare) (*envelope.Envelope, error) {
	t.Helper()
	kg, err := pre.DecodeGrant(g.KeyGrant)
	require.NoError(t, err)
	vpk, err := keys.DecodeVaultPublicKey(g.VaultKey)
	require.NoError(t, err)
	gk, err := pre.DeriveGrantKey(w.RequesterKey, pre.GrantContext{ChainID: g.ChainId, GrantID: g.GrantId, Vault: g.Vault, Epoch: g.Epoch}, vpk, kg)
	require.NoError(t, err)
	fls := make([]*pre.FirstLevel, len(s.FirstLevel))
	for i, b := range s.FirstLevel {
		fls[i], err = pre.DecodeFirstLevel(b)
		require.NoError(t, err)
	}
	return gk.Open(fls, s.Body, s.Meta.DeviceKey)
}

// hospitalWithMirror: a world, a peer, a complete local share (grant g,
// record r) and the hospital's mirror of g, granted over the peer's v2 path.
func hospitalWithMirror(t *testing.T) (w *phrtest.World, clientID string, grantID, recordID uint64) {
	w = phrtest.NewWorld(t, 3)
	clientID = w.AddPeerClient(peerChainID)
	grantID, recordID = w.SharedRecord(testPayload)
	requestID := w.RequestRemote(clientID, 10)
	_, err := w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, Sequence: 1}, decisionData(w.GrantDecision(grantID, requestID)))
	require.NoError(t, err)
	w.SettleOutbox()
	return w, clientID, grantID, recordID
}

// A delivered share is validated, its first-level capsules rerandomized in
// block execution (the stored bytes differ from the packet's and still
// decrypt to what the device signed), stored with the sender's entry hash,
// and audited; the ack carries the receipt's hash.
func TestRecvShareRerandomized(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	h := w.H
	k := h.App.PhrKeeper
	p := w.SharePacket(grantID, recordID)
	head := auditHead(t, h)

	origin := types.PacketOrigin{ClientID: clientID, Sequence: 2}
	ack, err := w.Recv(w.BlockCtx(), origin, shareData(p))
	require.NoError(t, err)
	h.NextBlock()

	s, err := k.Inbox.Get(h.Ctx(), collections.Join3(clientID, grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, types.SHARE_OUTCOME_DELIVERED, s.Outcome)
	require.Equal(t, phrtest.SenderHash(2), s.SourceAuditHash)
	require.Equal(t, w.Hospital.String(), s.Hospital)
	require.Equal(t, p.Meta, s.Meta)
	require.Equal(t, p.Body, s.Body)
	require.Len(t, s.FirstLevel, 2)
	for i := range s.FirstLevel {
		require.False(t, bytes.Equal(p.FirstLevel[i], s.FirstLevel[i]), "capsule %d stored as received", i)
		require.Equal(t, p.FirstLevel[i][64:], s.FirstLevel[i][64:], "X is per grant and stays")
	}
	g, err := k.GetRemoteGrant(h.Ctx(), clientID, grantID)
	require.NoError(t, err)
	env, err := openInbox(t, w, g, s)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)

	entries := auditSince(t, h, head)
	require.Len(t, entries, 1)
	requireEntry(t, entries[0], types.ActionRecvShare, w.Hospital.String(), w.Patient.String(),
		remoteGrantObj(clientID, grantID)+"/record/1/SHARE_OUTCOME_DELIVERED", audittypes.OUTCOME_SUCCESS)
	require.Equal(t, phrtest.SenderHash(2), entries[0].Counterparty.EntryHash)
	require.Equal(t, entries[0].Hash, ack.ReceiverAuditHash)

	// the same share again (a re-fetch, or a replay with a new sequence):
	// acked, audited, the inbox unchanged
	before, err := k.Inbox.Get(h.Ctx(), collections.Join3(clientID, grantID, recordID))
	require.NoError(t, err)
	ack2, err := w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, Sequence: 3}, shareData(p))
	require.NoError(t, err)
	require.NotEqual(t, ack.ReceiverAuditHash, ack2.ReceiverAuditHash)
	h.NextBlock()
	after, err := k.Inbox.Get(h.Ctx(), collections.Join3(clientID, grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, before, after)
}

// Outside block execution (CheckTx, simulation: no header hash) the share
// is validated and stored as received; the seed depends on the sequence.
func TestRecvShareValidateOnly(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	h := w.H
	p := w.SharePacket(grantID, recordID)
	ctx := h.Ctx() // CheckTx mode
	_, err := w.Recv(ctx, types.PacketOrigin{ClientID: clientID, Sequence: 2}, shareData(p))
	require.NoError(t, err)
	s, err := h.App.PhrKeeper.Inbox.Get(ctx, collections.Join3(clientID, grantID, recordID))
	require.NoError(t, err)
	require.Equal(t, p.FirstLevel, s.FirstLevel)
}

// Every malformed share is refused before any write: an identity point,
// another number of capsules, a capsule of another grant, a body off the
// buckets or above max_record_bytes, metadata of another vault or patient
// or outside the window, a device key that is not a canonical Ed25519 key,
// an unknown grant or one mirrored over another path, an EXPIRED share that
// carries data.
func TestRecvShareRefusals(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	h := w.H
	origin := types.PacketOrigin{ClientID: clientID, Sequence: 2}
	good := func() *types.SharePacket { return w.SharePacket(grantID, recordID) }

	cases := []struct {
		name string
		want error
		edit func(p *types.SharePacket)
	}{
		{"identity E'", types.ErrInvalidShare, func(p *types.SharePacket) {
			p.FirstLevel[0] = append(make([]byte, 32), p.FirstLevel[0][32:]...)
		}},
		{"identity F", types.ErrInvalidShare, func(p *types.SharePacket) {
			fl := append([]byte(nil), p.FirstLevel[1]...)
			copy(fl[32:64], make([]byte, 32))
			p.FirstLevel[1] = fl
		}},
		{"one capsule", types.ErrInvalidShare, func(p *types.SharePacket) { p.FirstLevel = p.FirstLevel[:1] }},
		{"three capsules", types.ErrInvalidShare, func(p *types.SharePacket) { p.FirstLevel = append(p.FirstLevel, p.FirstLevel[0]) }},
		{"short capsule", types.ErrInvalidShare, func(p *types.SharePacket) { p.FirstLevel[0] = p.FirstLevel[0][:95] }},
		{"X of another grant", types.ErrInvalidShare, func(p *types.SharePacket) {
			fl := append([]byte(nil), p.FirstLevel[0]...)
			copy(fl[64:], fl[:32])
			p.FirstLevel[0] = fl
		}},
		{"off-bucket body", types.ErrInvalidShare, func(p *types.SharePacket) { p.Body = p.Body[:len(p.Body)-1] }},
		{"other vault", types.ErrInvalidShare, func(p *types.SharePacket) { p.Meta.Vault = "imaging" }},
		{"other patient", types.ErrInvalidShare, func(p *types.SharePacket) { p.Meta.Patient = w.Stranger.String() }},
		{"other epoch", types.ErrInvalidShare, func(p *types.SharePacket) { p.Meta.Epoch++ }},
		{"outside the window", types.ErrInvalidShare, func(p *types.SharePacket) { p.Meta.Time = p.Meta.Time.AddDate(0, 0, -3) }},
		{"no resource type", types.ErrInvalidShare, func(p *types.SharePacket) { p.Meta.ResourceType = "" }},
		{"bad device id", types.ErrInvalidShare, func(p *types.SharePacket) { p.Meta.DeviceId = "../x" }},
		{"device key not on the curve", types.ErrInvalidShare, func(p *types.SharePacket) { p.Meta.DeviceKey = bytes.Repeat([]byte{0xff}, 32) }},
		{"device key of small order", types.ErrInvalidShare, func(p *types.SharePacket) { p.Meta.DeviceKey = append([]byte{1}, make([]byte, 31)...) }},
		{"no outcome", types.ErrInvalidShare, func(p *types.SharePacket) { p.Outcome = types.SHARE_OUTCOME_UNSPECIFIED }},
		{"expired with data", types.ErrInvalidShare, func(p *types.SharePacket) { p.Outcome = types.SHARE_OUTCOME_EXPIRED }},
		{"unknown grant", types.ErrRemoteGrantNotFound, func(p *types.SharePacket) { p.GrantId++ }},
		{"record 0", types.ErrInvalidShare, func(p *types.SharePacket) { p.RecordId = 0 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := good()
			c.edit(p)
			before := snapshot(h)
			_, err := w.Recv(w.BlockCtx(), origin, shareData(p))
			require.ErrorIs(t, err, c.want)
			requireUnchanged(t, h, before)
		})
	}
	// the grant is mirrored over the v2 path, not a channel of the same client
	before := snapshot(h)
	_, err := w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, ChannelID: "channel-0", Sequence: 2}, shareData(good()))
	require.ErrorIs(t, err, types.ErrRemoteGrantNotFound)
	requireUnchanged(t, h, before)

	// max_record_bytes is this chain's
	setParams(t, h, func(p *types.Params) { p.MaxRecordBytes = uint64(len(good().Body)) - 1 })
	before = snapshot(h)
	_, err = w.Recv(w.BlockCtx(), origin, shareData(good()))
	require.ErrorIs(t, err, types.ErrRecordTooLarge)
	requireUnchanged(t, h, before)
}

// An EXPIRED share is recorded without data, so the hospital sees it may
// fetch again; the DELIVERED share of the re-fetch replaces it. A share
// for a revoked mirror is refused.
func TestRecvShareExpiredThenDelivered(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	h := w.H
	k := h.App.PhrKeeper
	expired := &types.SharePacket{GrantId: grantID, RecordId: recordID, Outcome: types.SHARE_OUTCOME_EXPIRED}
	_, err := w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, Sequence: 2}, shareData(expired))
	require.NoError(t, err)
	h.NextBlock()
	key := collections.Join3(clientID, grantID, recordID)
	s, err := k.Inbox.Get(h.Ctx(), key)
	require.NoError(t, err)
	require.Equal(t, types.SHARE_OUTCOME_EXPIRED, s.Outcome)
	require.Empty(t, s.FirstLevel)
	require.Empty(t, s.Body)

	_, err = w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, Sequence: 3}, shareData(w.SharePacket(grantID, recordID)))
	require.NoError(t, err)
	h.NextBlock()
	s, err = k.Inbox.Get(h.Ctx(), key)
	require.NoError(t, err)
	require.Equal(t, types.SHARE_OUTCOME_DELIVERED, s.Outcome)
	require.Len(t, s.FirstLevel, 2)

	revoke := w.GrantDecision(grantID, 1)
	revoke.Status = types.GRANT_STATUS_REVOKED
	_, err = w.Recv(w.BlockCtx(), types.PacketOrigin{ClientID: clientID, Sequence: 4}, decisionData(revoke))
	require.NoError(t, err)
	h.NextBlock()
	other := w.SharePacket(grantID, recordID)
	other.RecordId = recordID + 1
	recvRefused(t, w, types.PacketOrigin{ClientID: clientID, Sequence: 5}, shareData(other), types.ErrGrantState)
}

// The share's crypto is charged in every mode, so that simulation (no
// rerandomization) estimates block execution exactly: the same gas either
// way, at least the decodes and the two rerandomizations it prices.
func TestRecvShareGasSameInEveryMode(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	p := w.SharePacket(grantID, recordID)
	used := func(ctx sdk.Context) uint64 {
		cache, _ := ctx.WithGasMeter(storetypes.NewGasMeter(10_000_000)).CacheContext()
		_, err := w.Recv(cache, types.PacketOrigin{ClientID: clientID, Sequence: 2}, shareData(p))
		require.NoError(t, err)
		return cache.GasMeter().GasConsumed()
	}
	check, block := used(w.H.Ctx()), used(w.BlockCtx())
	require.Equal(t, check, block)
	crypto := uint64(2*3*types.GasDecodeElement + 2*(2*types.GasRerandomizeCapsule+types.GasHashToScalar))
	require.Greater(t, block, crypto)
}
