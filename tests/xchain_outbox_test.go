package tests

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/testutil/ibctest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// removePeerB has A's authority withdraw B (A's client of B) as a peer:
// every send to B fails CheckPeer from the next block on.
func removePeerB(t *testing.T, w *ibctest.XWorld) {
	t.Helper()
	k := ibctest.App(w.A).PhrKeeper
	require.NoError(t, k.RemovePeer(w.A.GetContext(), k.Authority(), w.Path.EndpointA.ClientID))
}

// readmitPeerB has A's authority admit B again over the same client.
func readmitPeerB(t *testing.T, w *ibctest.XWorld) {
	t.Helper()
	k := ibctest.App(w.A).PhrKeeper
	require.NoError(t, k.AdmitPeer(w.A.GetContext(), k.Authority(), w.Path.EndpointA.ClientID, w.B.ChainID, "peer "+w.B.ChainID))
}

// setMaxOutboxSends sets A's max_outbox_sends_per_block through the Msg
// service as the governance authority.
func setMaxOutboxSends(t *testing.T, w *ibctest.XWorld, n uint32) {
	t.Helper()
	k := ibctest.App(w.A).PhrKeeper
	ctx := w.A.GetContext()
	p, err := k.Params.Get(ctx)
	require.NoError(t, err)
	p.MaxOutboxSendsPerBlock = n
	_, err = keeper.NewMsgServerImpl(k).UpdateParams(ctx, &types.MsgUpdateParams{Authority: k.Authority(), Params: p})
	require.NoError(t, err)
}

// outboxOf is chain c's outbox in id order.
func outboxOf(t *testing.T, c *ibctesting.TestChain) []types.OutboxEntry {
	t.Helper()
	it, err := ibctest.App(c).PhrKeeper.Outbox.Iterate(c.GetContext(), nil)
	require.NoError(t, err)
	defer it.Close()
	var out []types.OutboxEntry
	for ; it.Valid(); it.Next() {
		e, err := it.Value()
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

// outboxEntry is chain c's outbox entry id.
func outboxEntry(t *testing.T, c *ibctesting.TestChain, id uint64) types.OutboxEntry {
	t.Helper()
	e, err := ibctest.App(c).PhrKeeper.Outbox.Get(c.GetContext(), id)
	require.NoError(t, err)
	return e
}

// pendingKeys is chain c's queue of entries waiting for the end blocker.
func pendingKeys(t *testing.T, c *ibctesting.TestChain) []collections.Pair[int64, uint64] {
	t.Helper()
	it, err := ibctest.App(c).PhrKeeper.OutboxPending.Iterate(c.GetContext(), nil)
	require.NoError(t, err)
	keys, err := it.Keys()
	require.NoError(t, err)
	return keys
}

// sendFailures is the outbox ids of the phr_outbox_send_failed events.
func sendFailures(events []abci.Event) []string {
	var ids []string
	for _, ev := range events {
		if ev.Type != keeper.EventTypeOutboxSendFailed {
			continue
		}
		for _, a := range ev.Attributes {
			if a.Key == "outbox_id" {
				ids = append(ids, a.Value)
			}
		}
	}
	return ids
}

// sendEntries is the ibc-send entries of c's log about object (as the
// outbox names it: "<kind>/<object_id>").
func sendEntries(t *testing.T, c *ibctesting.TestChain, object string) []audittypes.Entry {
	t.Helper()
	var out []audittypes.Entry
	for _, e := range ibctest.AuditLog(t, c) {
		if e.Action == types.ActionIBCSend && e.ObjectId == object {
			out = append(out, e)
		}
	}
	return out
}

// requireQueued checks that e waits in the end blocker's queue: pending,
// after attempts failed sends, due at retry, with no packet sent and no
// send audited.
func requireQueued(t *testing.T, w *ibctest.XWorld, e types.OutboxEntry, attempts uint32, retry int64) {
	t.Helper()
	require.Equal(t, types.OUTBOX_STATUS_PENDING, e.Status)
	require.Equal(t, attempts, e.Attempts)
	require.Equal(t, retry, e.RetryHeight)
	require.Zero(t, e.Sequence)
	require.Empty(t, e.SenderAuditHash)
	require.Contains(t, pendingKeys(t, w.A), collections.Join(retry, e.Id))
	require.Empty(t, sendEntries(t, w.A, e.Kind.String()+"/"+e.ObjectId))
}

// requireSentByEndBlocker checks that p, sent in the end blocker of A's
// block at height, is e's packet: e in flight after one more attempt,
// out of the queue, and its send audited in that block with the hash p
// carries. It returns the entry as it is now.
func requireSentByEndBlocker(t *testing.T, w *ibctest.XWorld, e types.OutboxEntry, p ibctest.Packet, height int64) types.OutboxEntry {
	t.Helper()
	now := outboxEntryOf(t, w, p)
	require.Equal(t, e.Id, now.Id)
	require.Equal(t, types.OUTBOX_STATUS_IN_FLIGHT, now.Status)
	require.Equal(t, e.Attempts+1, now.Attempts)
	require.Equal(t, height, now.SentHeight)
	require.Zero(t, now.RetryHeight)
	require.Equal(t, packetData(t, p).SenderAuditHash, now.SenderAuditHash)
	require.NotContains(t, pendingKeys(t, w.A), collections.Join(e.RetryHeight, e.Id))
	has, err := ibctest.App(w.A).PhrKeeper.OutboxInFlight.Has(w.A.GetContext(), collections.Join(now.Path(), p.Sequence()))
	require.NoError(t, err)
	require.True(t, has)
	sends := sendEntries(t, w.A, e.Kind.String()+"/"+e.ObjectId)
	require.Len(t, sends, 1)
	require.Equal(t, now.SenderAuditHash, sends[0].Hash)
	require.Equal(t, height, sends[0].Height)
	require.Equal(t, e.Actor, sends[0].Actor)
	require.Equal(t, w.B.ChainID, sends[0].Counterparty.ChainId)
	return now
}

// requireAcked checks that A's entry id was acked with the receiver's hash.
func requireAcked(t *testing.T, w *ibctest.XWorld, id uint64, ack *types.PacketAck) {
	t.Helper()
	e := outboxEntry(t, w.A, id)
	require.Equal(t, types.OUTBOX_STATUS_ACKED, e.Status)
	require.Equal(t, ack.ReceiverAuditHash, e.ReceiverAuditHash)
}

// TestXChainGrantDecisionSentByEndBlocker: A's authority withdraws B just
// before the patient grants B's request. The grant succeeds on A; its
// GrantDecision cannot be sent and waits in the outbox. The end blocker's
// first retry fails as well (B is still withdrawn) and the wait doubles;
// once B is admitted again the end blocker sends it, the packet taken from
// the block's events is relayed, B's mirror is granted and A's entry is
// acked with B's receive entry, which its receipt entry names.
func TestXChainGrantDecisionSentByEndBlocker(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w := ibctest.NewXWorld(t, v2, 3)
		blocks := ibctest.RecordBlocks(w.A)
		ka, kb := ibctest.App(w.A).PhrKeeper, ibctest.App(w.B).PhrKeeper
		requestID, ar := w.RequestRemote(10)
		grantID := successAck(t, w, w.Relay(ar).Ack).GrantId

		removePeerB(t, w)
		res := w.Grant(grantID, 2)
		granted := w.A.App.LastBlockHeight()
		require.Empty(t, w.Sent(w.A, res.Events), "no packet left in the patient's tx")
		g, err := ka.GetGrant(w.A.GetContext(), grantID)
		require.NoError(t, err)
		require.Equal(t, types.GRANT_STATUS_GRANTED, g.Status, "the patient's grant does not depend on the path")

		box := outboxOf(t, w.A)
		e := box[len(box)-1]
		require.Equal(t, types.PACKET_KIND_GRANT_DECISION, e.Kind)
		require.Equal(t, grantID, e.GrantId)
		require.Equal(t, requestID, e.RequestId)
		require.Equal(t, []string{fmt.Sprint(e.Id)}, sendFailures(res.Events))
		requireQueued(t, w, e, 1, granted+2)

		// the first retry, still without the peer: it fails and waits 4 blocks
		require.Empty(t, w.BlockSent(w.A, blocks.Next()))
		fb := blocks.Next()
		require.Equal(t, e.RetryHeight, w.A.App.LastBlockHeight())
		require.Empty(t, w.BlockSent(w.A, fb))
		require.Equal(t, []string{fmt.Sprint(e.Id)}, sendFailures(fb.Events))
		e = outboxEntry(t, w.A, e.Id)
		requireQueued(t, w, e, 2, granted+2+4)
		rg, err := kb.RemoteGrants.Get(w.B.GetContext(), collections.Join(w.ClientB(), grantID))
		if err == nil {
			require.NotEqual(t, types.GRANT_STATUS_GRANTED, rg.Status, "B has not heard of the grant")
		}

		readmitPeerB(t, w)
		var sent []ibctest.Packet
		for w.A.App.LastBlockHeight() < e.RetryHeight {
			require.Empty(t, sent, "sent before its retry height")
			sent = w.BlockSent(w.A, blocks.Next())
		}
		require.Equal(t, 1, len(sent), "the end blocker sends the decision at its retry height")
		gd := sent[0]
		requireSentByEndBlocker(t, w, e, gd, e.RetryHeight)
		d := packetData(t, gd).GetGrantDecision()
		require.NotNil(t, d)
		require.Equal(t, grantID, d.GrantId)
		require.Equal(t, types.GRANT_STATUS_GRANTED, d.Status)

		gdAck := successAck(t, w, w.Relay(gd).Ack)
		_, recv, receipt := requireLinked(t, w, gd, gdAck, types.ActionRecvGrantDecision)
		rg, err = kb.RemoteGrants.Get(w.B.GetContext(), collections.Join(w.ClientB(), grantID))
		require.NoError(t, err)
		require.Equal(t, types.GRANT_STATUS_GRANTED, rg.Status)
		requireAcked(t, w, e.Id, gdAck)
		require.Equal(t, recv.Hash, receipt.Counterparty.EntryHash)
		require.Empty(t, pendingKeys(t, w.A))
	})
}

// TestXChainEndBlockerSendsBounded: with max_outbox_sends_per_block 2 and
// five decisions due in the same block, A's end blocker sends two, then two,
// then one, in queue order; all five reach B and are acked.
func TestXChainEndBlockerSendsBounded(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w := ibctest.NewXWorld(t, v2, 3)
		blocks := ibctest.RecordBlocks(w.A)
		setMaxOutboxSends(t, w, 2)
		var grantIDs []uint64
		for range 5 {
			_, ar := w.RequestRemote(10)
			grantIDs = append(grantIDs, successAck(t, w, w.Relay(ar).Ack).GrantId)
		}

		removePeerB(t, w)
		var msgs []sdk.Msg
		for _, id := range grantIDs {
			msgs = append(msgs, &types.MsgDenyAccess{Patient: ibctest.Addr(w.Patient).String(), GrantId: id, Note: "not now"})
		}
		res := w.MustDeliver(w.A, w.Patient, msgs...)
		queued := w.A.App.LastBlockHeight()
		require.Empty(t, w.Sent(w.A, res.Events))
		box := outboxOf(t, w.A)
		entries := box[len(box)-5:]
		for i, e := range entries {
			require.Equal(t, types.PACKET_KIND_GRANT_DECISION, e.Kind)
			require.Equal(t, grantIDs[i], e.GrantId)
			requireQueued(t, w, e, 1, queued+2)
		}
		readmitPeerB(t, w)
		require.Empty(t, w.BlockSent(w.A, blocks.Next()), "none due yet")

		statuses := func() []types.OutboxStatus {
			var out []types.OutboxStatus
			for _, e := range entries {
				out = append(out, outboxEntry(t, w.A, e.Id).Status)
			}
			return out
		}
		P, F := types.OUTBOX_STATUS_PENDING, types.OUTBOX_STATUS_IN_FLIGHT
		want := [][]types.OutboxStatus{{F, F, P, P, P}, {F, F, F, F, P}, {F, F, F, F, F}}
		var all []ibctest.Packet
		for b, w2 := range want {
			sent := w.BlockSent(w.A, blocks.Next())
			height := w.A.App.LastBlockHeight()
			require.Equal(t, min(2, 5-2*b), len(sent), "packets sent in block %d after the queue is due", b)
			require.Equal(t, w2, statuses(), "block %d", b)
			for i, p := range sent {
				requireSentByEndBlocker(t, w, entries[2*b+i], p, height)
			}
			// what waits is untouched: not tried, its wait unchanged
			for _, e := range entries[min(2*b+2, 5):] {
				requireQueued(t, w, outboxEntry(t, w.A, e.Id), 1, queued+2)
			}
			all = append(all, sent...)
		}
		require.Empty(t, w.BlockSent(w.A, blocks.Next()), "the queue is empty")
		require.Empty(t, pendingKeys(t, w.A))

		kb := ibctest.App(w.B).PhrKeeper
		for i, p := range all {
			require.Equal(t, types.GRANT_STATUS_DENIED, packetData(t, p).GetGrantDecision().Status)
			ack := successAck(t, w, w.Relay(p).Ack)
			requireLinked(t, w, p, ack, types.ActionRecvGrantDecision)
			requireAcked(t, w, entries[i].Id, ack)
			rg, err := kb.RemoteGrants.Get(w.B.GetContext(), collections.Join(w.ClientB(), grantIDs[i]))
			require.NoError(t, err)
			require.Equal(t, types.GRANT_STATUS_DENIED, rg.Status)
		}
	})
}

// TestXChainShareSentByEndBlocker: B's Fetch arrives, then A's authority
// withdraws B; the proxies complete the share while the path is down (the
// proxy's tx succeeds, the Share waits in the outbox). Once B is admitted
// again the end blocker sends the Share, built from state then; it reaches
// B's inbox and the hospital decrypts the record from B's state.
func TestXChainShareSentByEndBlocker(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w, grantID, recordID := remoteGrant(t, v2)
		blocks := ibctest.RecordBlocks(w.A)
		_, fAck := fetchRemote(t, w, grantID, recordID)
		require.NotEmpty(t, fAck.TaskIds)

		removePeerB(t, w)
		res := w.Answer(2, fAck.TaskIds...)
		answered := w.A.App.LastBlockHeight()
		require.Empty(t, w.Sent(w.A, res.Events), "no Share left in the proxy's tx")
		box := outboxOf(t, w.A)
		e := box[len(box)-1]
		require.Equal(t, types.PACKET_KIND_SHARE, e.Kind)
		require.Equal(t, grantID, e.GrantId)
		require.Equal(t, recordID, e.RecordId)
		requireQueued(t, w, e, 1, answered+2)
		share, err := ibctest.App(w.A).PhrKeeper.Shares.Get(w.A.GetContext(), collections.Join(grantID, recordID))
		require.NoError(t, err)
		require.Equal(t, types.SHARE_STATUS_COMPLETE, share.Status)

		readmitPeerB(t, w)
		var sent []ibctest.Packet
		for w.A.App.LastBlockHeight() < e.RetryHeight {
			require.Empty(t, sent)
			sent = w.BlockSent(w.A, blocks.Next())
		}
		require.Equal(t, 1, len(sent), "the end blocker sends the Share at its retry height")
		p := sent[0]
		requireSentByEndBlocker(t, w, e, p, e.RetryHeight)
		sd := packetData(t, p).GetShare()
		require.NotNil(t, sd)
		require.Equal(t, recordID, sd.RecordId)
		require.Equal(t, types.SHARE_OUTCOME_DELIVERED, sd.Outcome)

		sAck := successAck(t, w, w.Relay(p).Ack)
		requireLinked(t, w, p, sAck, types.ActionRecvShare)
		requireAcked(t, w, e.Id, sAck)
		env, err := w.DecryptOnB(grantID, recordID)
		require.NoError(t, err)
		require.Equal(t, observation, env.Payload)
	})
}

// TestXChainRevokedWhileDownNeverReachesBGranted: the patient grants and
// then revokes while B is withdrawn; both decisions wait in A's outbox.
// Each packet is built from the grant as it is when the end blocker sends
// it, so B never mirrors the grant as GRANTED: the first decision to
// arrive is already the revocation, and the mirror stays REVOKED.
func TestXChainRevokedWhileDownNeverReachesBGranted(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w := ibctest.NewXWorld(t, v2, 3)
		blocks := ibctest.RecordBlocks(w.A)
		_, ar := w.RequestRemote(10)
		grantID := successAck(t, w, w.Relay(ar).Ack).GrantId

		removePeerB(t, w)
		w.Grant(grantID, 2)
		w.MustDeliver(w.A, w.Patient, &types.MsgRevokeAccess{Patient: ibctest.Addr(w.Patient).String(), GrantId: grantID,
			Note: "changed my mind"})
		box := outboxOf(t, w.A)
		queued := box[len(box)-2:]
		for _, e := range queued {
			require.Equal(t, types.PACKET_KIND_GRANT_DECISION, e.Kind)
			require.Equal(t, grantID, e.GrantId)
			require.Equal(t, types.OUTBOX_STATUS_PENDING, e.Status)
		}

		readmitPeerB(t, w)
		var sent []ibctest.Packet
		for range 4 {
			sent = append(sent, w.BlockSent(w.A, blocks.Next())...)
		}
		require.Equal(t, 2, len(sent), "both queued decisions are sent")
		require.Empty(t, pendingKeys(t, w.A))
		for _, p := range sent {
			require.Equal(t, types.GRANT_STATUS_REVOKED, packetData(t, p).GetGrantDecision().Status, "built when sent")
		}

		kb := ibctest.App(w.B).PhrKeeper
		first := successAck(t, w, w.Relay(sent[0]).Ack)
		requireLinked(t, w, sent[0], first, types.ActionRecvGrantDecision)
		requireAcked(t, w, queued[0].Id, first)
		rg, err := kb.RemoteGrants.Get(w.B.GetContext(), collections.Join(w.ClientB(), grantID))
		require.NoError(t, err)
		require.Equal(t, types.GRANT_STATUS_REVOKED, rg.Status)
		require.Empty(t, rg.KeyGrant, "no key grant reached B")

		// the second carries the same revocation; whatever B answers, the
		// mirror stays revoked
		w.Relay(sent[1])
		rg, err = kb.RemoteGrants.Get(w.B.GetContext(), collections.Join(w.ClientB(), grantID))
		require.NoError(t, err)
		require.Equal(t, types.GRANT_STATUS_REVOKED, rg.Status)
		require.NotEqual(t, types.OUTBOX_STATUS_IN_FLIGHT, outboxEntry(t, w.A, queued[1].Id).Status)
	})
}
