package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// requireDecisionEntry checks a GrantDecision entry queued for grantID.
func (rw *remoteWorld) requireDecisionEntry(t *testing.T, e types.OutboxEntry, grantID uint64, actor string, status types.OutboxStatus) {
	t.Helper()
	g := getGrant(t, rw.H, grantID)
	require.Equal(t, types.PACKET_KIND_GRANT_DECISION, e.Kind)
	require.Equal(t, rw.origin.ClientID, e.ClientId)
	require.Equal(t, rw.origin.ChannelID, e.ChannelId)
	require.Equal(t, grantObj(grantID), e.ObjectId)
	require.Equal(t, grantID, e.GrantId)
	require.Equal(t, g.Remote.RequestId, e.RequestId)
	require.Equal(t, actor, e.Actor)
	require.Equal(t, rw.Patient.String(), e.Patient)
	require.Equal(t, status, e.Status)
}

// decision is the GrantDecision e would be sent as now.
func (rw *remoteWorld) decision(t *testing.T, e types.OutboxEntry) *types.GrantDecisionPacket {
	t.Helper()
	d := rw.built(t, e).GetGrantDecision()
	require.NotNil(t, d)
	return d
}

// Without a channel to the peer, the patient's grant, denial and revocation
// still succeed; each queues a GrantDecision that stays pending (the send
// failed, it is retried after a backoff). Local grants queue nothing.
func TestGrantDecisionQueuedWithoutChannel(t *testing.T) {
	rw := newRemoteWorld(t, false)
	h := rw.H
	k := h.App.PhrKeeper
	granted := rw.mustRecv(t, rw.accessRequest(3)).GrantId
	denied := rw.mustRecv(t, rw.accessRequest(3)).GrantId
	require.Empty(t, rw.outbox(t), "a request is answered by its ack, not the outbox")

	rw.MustDeliver(rw.Patient, rw.grantMsg(t, granted))
	height := h.App.LastBlockHeight()
	e := rw.lastOutbox(t)
	rw.requireDecisionEntry(t, e, granted, rw.Patient.String(), types.OUTBOX_STATUS_PENDING)
	require.Equal(t, uint32(1), e.Attempts)
	require.Equal(t, height+2, e.RetryHeight)
	require.Zero(t, e.Sequence)
	pending, err := k.OutboxPending.Has(h.Ctx(), collections.Join(e.RetryHeight, e.Id))
	require.NoError(t, err)
	require.True(t, pending)

	g := getGrant(t, h, granted)
	d := rw.decision(t, e)
	vaultKey, err := k.VaultKeyAt(h.Ctx(), rw.Patient.Address, phrtest.Vault, 1)
	require.NoError(t, err)
	params, err := k.Params.Get(h.Ctx())
	require.NoError(t, err)
	require.Equal(t, &types.GrantDecisionPacket{GrantId: granted, RequestId: g.Remote.RequestId, Status: types.GRANT_STATUS_GRANTED,
		ChainId: apptest.ChainID, Patient: rw.Patient.String(), Vault: phrtest.Vault, Epoch: 1, VaultKey: vaultKey,
		Scope: g.Scope, Threshold: 2, KeyGrant: g.KeyGrant, Expiry: g.Expiry, MaxUploadDelaySeconds: params.MaxUploadDelaySeconds}, d)

	rw.MustDeliver(rw.Patient, &types.MsgDenyAccess{Patient: rw.Patient.String(), GrantId: denied, Note: "no"})
	e = rw.lastOutbox(t)
	rw.requireDecisionEntry(t, e, denied, rw.Patient.String(), types.OUTBOX_STATUS_PENDING)
	d = rw.decision(t, e)
	require.Equal(t, types.GRANT_STATUS_DENIED, d.Status)
	require.Equal(t, "no", d.Note)
	require.Empty(t, d.KeyGrant)
	require.Equal(t, getGrant(t, h, denied).RequestedExpiry, d.Expiry, "an ungranted request names the expiry asked for")

	rw.MustDeliver(rw.Patient, &types.MsgRevokeAccess{Patient: rw.Patient.String(), GrantId: granted, Note: "done"})
	e = rw.lastOutbox(t)
	rw.requireDecisionEntry(t, e, granted, rw.Patient.String(), types.OUTBOX_STATUS_PENDING)
	require.Equal(t, types.GRANT_STATUS_REVOKED, rw.decision(t, e).Status)
	require.Len(t, rw.outbox(t), 3)

	local := rw.Request(3)
	rw.MustDeliver(rw.Patient, rw.GrantMsg(local, 2))
	rw.MustDeliver(rw.Patient, &types.MsgRevokeAccess{Patient: rw.Patient.String(), GrantId: local})
	require.Len(t, rw.outbox(t), 3, "local grants send nothing")
}

// With an open phr channel the decision leaves in the patient's tx: IBC core
// commits the packet, the entry is in flight with its sequence and send
// entry's hash, which the packet carries. A timeout queues a fresh decision
// (sent at once here); an error ack is final.
func TestGrantDecisionSentAndRequeuedOnTimeout(t *testing.T) {
	rw := newRemoteWorld(t, true)
	h := rw.H
	k := h.App.PhrKeeper
	grantID := rw.mustRecv(t, rw.accessRequest(3)).GrantId
	seq := auditHead(t, h)
	res := rw.MustDeliver(rw.Patient, rw.grantMsg(t, grantID))
	e := rw.lastOutbox(t)
	rw.requireDecisionEntry(t, e, grantID, rw.Patient.String(), types.OUTBOX_STATUS_IN_FLIGHT)
	require.Equal(t, uint64(1), e.Sequence)
	id, err := k.OutboxInFlight.Get(h.Ctx(), collections.Join(rw.origin.ChannelID, uint64(1)))
	require.NoError(t, err)
	require.Equal(t, e.Id, id)
	require.True(t, h.App.IBCKeeper.ChannelKeeper.HasPacketCommitment(h.Ctx(), types.PortID, rw.origin.ChannelID, 1))

	var send []byte
	for _, a := range auditSince(t, h, seq) {
		if a.Action == types.ActionIBCSend {
			require.Equal(t, "PACKET_KIND_GRANT_DECISION/"+grantObj(grantID), a.ObjectId)
			send = a.Hash
		}
	}
	require.Equal(t, send, e.SenderAuditHash)
	sent := sentPackets(t, res.Events)
	require.Len(t, sent, 1)
	require.Equal(t, send, sent[0].SenderAuditHash)
	require.Equal(t, types.GRANT_STATUS_GRANTED, sent[0].GetGrantDecision().Status)
	require.Equal(t, getGrant(t, h, grantID).KeyGrant, sent[0].GetGrantDecision().KeyGrant)

	ctx := h.Ctx()
	require.NoError(t, k.OnPacketOutcome(ctx, rw.origin.ChannelID, 1, types.PacketOutcome{Timeout: true}))
	h.NextBlock()
	all := rw.outbox(t)
	require.Len(t, all, 2)
	require.Equal(t, types.OUTBOX_STATUS_TIMED_OUT, all[0].Status)
	rw.requireDecisionEntry(t, all[1], grantID, rw.Patient.String(), types.OUTBOX_STATUS_IN_FLIGHT)
	require.Equal(t, uint64(2), all[1].Sequence, "the fresh decision went out at once")

	require.NoError(t, k.OnPacketOutcome(h.Ctx(), rw.origin.ChannelID, 2, types.PacketOutcome{Error: "ABCI error: phr/38: state"}))
	h.NextBlock()
	all = rw.outbox(t)
	require.Len(t, all, 2, "an error ack is not retried")
	require.Equal(t, types.OUTBOX_STATUS_ERROR_ACK, all[1].Status)
}

// The whole patient side over a channel: the GrantDecision and the Share
// that leave chain A carry everything chain B needs, and the hospital
// decrypts the record from the two packets alone with key B. The Share's
// timeout queues nothing; B's next Fetch re-sends it.
func TestShareSentAndDecryptsFromPackets(t *testing.T) {
	rw := newRemoteWorld(t, true)
	h := rw.H
	k := h.App.PhrKeeper
	recordID := rw.Upload(testPayload, rw.Now())
	grantID := rw.mustRecv(t, rw.accessRequest(3)).GrantId
	sent := sentPackets(t, rw.MustDeliver(rw.Patient, rw.grantMsg(t, grantID)).Events)
	require.Len(t, sent, 1)
	decision := sent[0].GetGrantDecision()

	tasks := rw.mustRecv(t, rw.fetch(grantID, recordID)).TaskIds
	require.Empty(t, sentPackets(t, rw.MustDeliver(rw.Proxies[0], rw.AnswerMsg(0, tasks...)).Events))
	sent = sentPackets(t, rw.MustDeliver(rw.Proxies[1], rw.AnswerMsg(1, tasks...)).Events)
	require.Len(t, sent, 1, "the completed share leaves in the answer's tx")
	share := sent[0].GetShare()
	require.NotNil(t, share)
	e := rw.lastOutbox(t)
	require.Equal(t, types.PACKET_KIND_SHARE, e.Kind)
	require.Equal(t, types.OUTBOX_STATUS_IN_FLIGHT, e.Status)
	require.Equal(t, fetchObj(grantID, recordID), e.ObjectId)
	require.Equal(t, types.ModuleName, e.Actor)
	require.Equal(t, rw.Patient.String(), e.Patient)

	rec, err := k.GetRecord(h.Ctx(), recordID)
	require.NoError(t, err)
	require.Equal(t, types.SHARE_OUTCOME_DELIVERED, share.Outcome)
	require.Equal(t, rec.Body, share.Body)
	require.Equal(t, types.RecordMeta{Patient: rec.Patient, Vault: rec.Vault, Epoch: rec.Epoch, DeviceId: rec.DeviceId,
		Time: rec.Time, ResourceType: rec.ResourceType, DeviceKey: rw.DeviceKey.Public().Bytes()}, share.Meta)

	// the hospital on B: key B, and the two packets
	vpk, err := keys.DecodeVaultPublicKey(decision.VaultKey)
	require.NoError(t, err)
	kg, err := pre.DecodeGrant(decision.KeyGrant)
	require.NoError(t, err)
	gk, err := pre.DeriveGrantKey(rw.keyB, pre.GrantContext{ChainID: decision.ChainId, GrantID: decision.GrantId,
		Vault: decision.Vault, Epoch: decision.Epoch}, vpk, kg)
	require.NoError(t, err)
	fls := make([]*pre.FirstLevel, len(share.FirstLevel))
	for i, b := range share.FirstLevel {
		fls[i], err = pre.DecodeFirstLevel(b)
		require.NoError(t, err)
	}
	env, err := gk.Open(fls, share.Body, share.Meta.DeviceKey)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)

	n := len(rw.outbox(t))
	require.NoError(t, k.OnPacketOutcome(h.Ctx(), rw.origin.ChannelID, e.Sequence, types.PacketOutcome{Timeout: true}))
	h.NextBlock()
	require.Len(t, rw.outbox(t), n, "a lost Share is not re-queued by A")
	ack := rw.mustRecv(t, rw.fetch(grantID, recordID))
	require.Equal(t, []uint64{recordID}, ack.AlreadyComplete)
	again := rw.lastOutbox(t)
	require.Equal(t, types.PACKET_KIND_SHARE, again.Kind)
	require.Equal(t, types.OUTBOX_STATUS_IN_FLIGHT, again.Status)
	require.Greater(t, again.Sequence, e.Sequence)
	require.Equal(t, share, rw.built(t, again).GetShare(), "the same share again")
}

// When a remote grant's record is released by its expired tasks, chain B is
// sent a Share with outcome EXPIRED (once, not per task); if the record is
// fetched again before that Share goes out, it waits for the new fetch.
func TestTaskExpirySendsExpiredShare(t *testing.T) {
	rw := newRemoteWorld(t, false)
	h := rw.H
	recordID := rw.Upload(testPayload, rw.Now())
	grantID := rw.requestGranted(t, 3)
	setParams(t, h, func(p *types.Params) { p.TaskTimeoutBlocks = 2 })
	rw.mustRecv(t, rw.fetch(grantID, recordID))
	require.Empty(t, rw.shareEntries(t))
	h.NextBlock()
	h.NextBlock()
	require.Equal(t, uint32(0), getGrant(t, h, grantID).RecordsFetched, "released")
	shares := rw.shareEntries(t)
	require.Len(t, shares, 1)
	e := shares[0]
	require.Equal(t, fetchObj(grantID, recordID), e.ObjectId)
	require.Equal(t, types.OUTBOX_STATUS_PENDING, e.Status)
	p := rw.built(t, e).GetShare()
	require.Equal(t, types.SHARE_OUTCOME_EXPIRED, p.Outcome)
	require.Empty(t, p.FirstLevel)
	require.Empty(t, p.Body)
	require.Equal(t, recordID, p.RecordId)

	ack := rw.mustRecv(t, rw.fetch(grantID, recordID))
	require.Len(t, ack.TaskIds, 1, "the record opens again")
	_, err := h.App.PhrKeeper.BuildPacket(h.Ctx(), &e)
	require.ErrorIs(t, err, types.ErrInvalidShare, "the old EXPIRED waits for the new fetch")
}

// An open remote request whose requested expiry passes is expired by the end
// blocker, which sends the decision EXPIRED (actor: the module).
func TestRemoteRequestExpirySendsDecision(t *testing.T) {
	rw := newRemoteWorld(t, false)
	h := rw.H
	p := rw.accessRequest(3)
	p.Expiry = rw.Now().Add(time.Minute)
	grantID := rw.mustRecv(t, p).GrantId
	h.Advance(2 * time.Minute)
	require.Equal(t, types.GRANT_STATUS_EXPIRED, getGrant(t, h, grantID).Status)
	e := rw.lastOutbox(t)
	rw.requireDecisionEntry(t, e, grantID, types.ModuleName, types.OUTBOX_STATUS_PENDING)
	d := rw.decision(t, e)
	require.Equal(t, types.GRANT_STATUS_EXPIRED, d.Status)
	require.Equal(t, p.Expiry.UTC(), d.Expiry)
}

// The end blocker resends at most max_outbox_sends_per_block due entries a
// block; the rest wait in the queue for the next block.
func TestSendPendingBounded(t *testing.T) {
	rw := newRemoteWorld(t, false)
	h := rw.H
	setParams(t, h, func(p *types.Params) { p.MaxOutboxSendsPerBlock = 2 })
	var msgs []sdk.Msg
	for range 5 {
		id := rw.mustRecv(t, rw.accessRequest(1)).GrantId
		msgs = append(msgs, &types.MsgDenyAccess{Patient: rw.Patient.String(), GrantId: id})
	}
	rw.MustDeliver(rw.Patient, msgs...)
	queued := h.App.LastBlockHeight()
	attempts := func() map[uint32]int {
		n := map[uint32]int{}
		for _, e := range rw.outbox(t) {
			require.Equal(t, types.OUTBOX_STATUS_PENDING, e.Status)
			n[e.Attempts]++
		}
		return n
	}
	for _, e := range rw.outbox(t) {
		require.Equal(t, queued+2, e.RetryHeight)
	}
	require.Equal(t, map[uint32]int{1: 5}, attempts())
	h.NextBlock() // queued+1: none due
	require.Equal(t, map[uint32]int{1: 5}, attempts())
	h.NextBlock() // queued+2: all five due, two tried
	require.Equal(t, map[uint32]int{1: 3, 2: 2}, attempts())
	require.Equal(t, 5, queueLen(t, h, h.App.PhrKeeper.OutboxPending), "each stays queued")
	h.NextBlock()
	require.Equal(t, map[uint32]int{1: 1, 2: 4}, attempts())
	h.NextBlock()
	require.Equal(t, map[uint32]int{2: 5}, attempts())
}
