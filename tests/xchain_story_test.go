package tests

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/testutil/ibctest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// transports runs f once over IBC classic and once over IBC v2.
func transports(t *testing.T, f func(t *testing.T, v2 bool)) {
	for _, v2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "v1", true: "v2"}[v2], func(t *testing.T) { f(t, v2) })
	}
}

var observation = []byte(`{"resourceType":"Observation","code":{"text":"SpO2"},"valueQuantity":{"value":97,"unit":"%"}}`)

// remoteGrant runs the story up to a granted grant mirrored on B: a record
// on A, the hospital's request from B relayed (A opens the grant with the
// remote identity), the patient's grant on A and its GrantDecision relayed.
func remoteGrant(t *testing.T, v2 bool) (w *ibctest.XWorld, grantID, recordID uint64) {
	t.Helper()
	w = ibctest.NewXWorld(t, v2, 3)
	recordID = w.Upload(observation)
	requestID, ar := w.RequestRemote(10)
	arAck := successAck(t, w, w.Relay(ar).Ack)
	requireLinked(t, w, ar, arAck, types.ActionRecvAccessRequest)
	grantID = arAck.GrantId
	require.NotZero(t, grantID)

	ka, kb := ibctest.App(w.A).PhrKeeper, ibctest.App(w.B).PhrKeeper
	g, err := ka.GetGrant(w.A.GetContext(), grantID)
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_REQUESTED, g.Status)
	require.NotNil(t, g.Remote)
	require.Equal(t, w.Path.EndpointA.ClientID, g.Remote.ClientId)
	require.Equal(t, w.Path.EndpointA.ChannelID, g.Remote.ChannelId)
	require.Equal(t, ibctest.Addr(w.Hospital).String(), g.Remote.Address)
	require.Equal(t, w.B.ChainID, g.Remote.ChainId)
	require.Equal(t, requestID, g.Remote.RequestId)
	require.Equal(t, g.Remote.Identity(), g.Requester, "a remote grant's requester is its remote identity, never an account of A")
	require.Contains(t, g.Requester, "ibc:"+w.Path.EndpointA.ClientID+"/")
	require.Equal(t, w.RequesterKey.Public().Bytes(), g.RequesterKey, "key B comes from B's member record through the proven packet")
	rr, err := kb.RemoteRequests.Get(w.B.GetContext(), requestID)
	require.NoError(t, err)
	require.Equal(t, types.REMOTE_REQUEST_STATUS_ACCEPTED, rr.Status)
	require.Equal(t, grantID, rr.GrantId)

	gd := w.OneSent(w.A, w.Grant(grantID, 2).Events)
	gdAck := successAck(t, w, w.Relay(gd).Ack)
	requireLinked(t, w, gd, gdAck, types.ActionRecvGrantDecision)
	rg, err := kb.RemoteGrants.Get(w.B.GetContext(), collections.Join(w.ClientB(), grantID))
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_GRANTED, rg.Status)
	require.Equal(t, w.A.ChainID, rg.ChainId)
	return w, grantID, recordID
}

// fetchRemote has the hospital fetch records on B, relays the Fetch, and
// returns A's ack.
func fetchRemote(t *testing.T, w *ibctest.XWorld, grantID uint64, recordIDs ...uint64) (ibctest.Packet, *types.PacketAck) {
	t.Helper()
	res, err := w.FetchRemote(grantID, recordIDs...)
	require.NoError(t, err)
	f := w.OneSent(w.B, res.Events)
	ack := successAck(t, w, w.Relay(f).Ack)
	requireLinked(t, w, f, ack, types.ActionRecvFetch)
	return f, ack
}

// TestXChainStory is the whole story across two chains: the hospital on B
// asks for access, the patient on A grants it, B fetches, A's proxies
// answer, the Share reaches B, and the hospital decrypts the record from
// B's state alone. Every packet's audit entries link both logs.
func TestXChainStory(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w, grantID, recordID := remoteGrant(t, v2)
		_, fAck := fetchRemote(t, w, grantID, recordID)
		require.NotEmpty(t, fAck.TaskIds)
		require.Empty(t, fAck.AlreadyComplete)

		share := w.OneSent(w.A, w.Answer(2, fAck.TaskIds...).Events)
		sd := packetData(t, share).GetShare()
		require.NotNil(t, sd)
		require.Equal(t, recordID, sd.RecordId)
		sAck := successAck(t, w, w.Relay(share).Ack)
		_, recv, _ := requireLinked(t, w, share, sAck, types.ActionRecvShare)
		require.Equal(t, ibctest.Addr(w.Patient).String(), recv.Patient)

		env, err := w.DecryptOnB(grantID, recordID)
		require.NoError(t, err)
		require.Equal(t, observation, env.Payload)
		require.Equal(t, w.A.ChainID, env.Meta.ChainID)
		require.Equal(t, []byte(ibctest.Addr(w.Patient)), []byte(env.Meta.Patient))

		// ibctesting finalizes blocks without a header hash, so B validates
		// the capsules but has no seed to rerandomize them with here (the
		// keeper tests run recvShare with one)
		in, err := ibctest.App(w.B).PhrKeeper.Inbox.Get(w.B.GetContext(), collections.Join3(w.ClientB(), grantID, recordID))
		require.NoError(t, err)
		require.Len(t, in.FirstLevel, len(sd.FirstLevel))
		require.Equal(t, ibctest.Addr(w.Hospital).String(), in.Hospital)
		require.Equal(t, packetData(t, share).SenderAuditHash, in.SourceAuditHash)

		// every packet of the story was acked: A sent the decision and the
		// share, B the request and the fetch
		for _, side := range []struct {
			chain *ibctesting.TestChain
			kinds []types.PacketKind
		}{
			{w.A, []types.PacketKind{types.PACKET_KIND_GRANT_DECISION, types.PACKET_KIND_SHARE}},
			{w.B, []types.PacketKind{types.PACKET_KIND_ACCESS_REQUEST, types.PACKET_KIND_FETCH}},
		} {
			it, err := ibctest.App(side.chain).PhrKeeper.Outbox.Iterate(side.chain.GetContext(), nil)
			require.NoError(t, err)
			entries, err := it.Values()
			require.NoError(t, err)
			require.Len(t, entries, len(side.kinds), side.chain.ChainID)
			for i, e := range entries {
				require.Equal(t, side.kinds[i], e.Kind, side.chain.ChainID)
				require.Equal(t, types.OUTBOX_STATUS_ACKED, e.Status, "%s entry %d: %s", side.chain.ChainID, e.Id, e.Error)
				require.Len(t, e.ReceiverAuditHash, 32)
			}
		}
	})
}

// TestXChainShareTimeoutThenRefetch: a Share nobody relays times out; A
// audits the timeout; the hospital's second Fetch re-sends the Share (the
// record is listed as already complete), which arrives and decrypts.
func TestXChainShareTimeoutThenRefetch(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w, grantID, recordID := remoteGrant(t, v2)
		_, fAck := fetchRemote(t, w, grantID, recordID)
		share := w.OneSent(w.A, w.Answer(2, fAck.TaskIds...).Events)

		w.Timeout(share)
		last := lastEntry(t, w.A)
		require.Equal(t, types.ActionIBCTimeout, last.Action)
		require.Equal(t, "OUTCOME_TIMEOUT", last.Outcome.String())
		require.Equal(t, w.B.ChainID, last.Counterparty.ChainId)
		e := outboxEntryOf(t, w, share)
		require.Equal(t, types.OUTBOX_STATUS_TIMED_OUT, e.Status)
		_, err := ibctest.App(w.B).PhrKeeper.Inbox.Get(w.B.GetContext(), collections.Join3(w.ClientB(), grantID, recordID))
		require.Error(t, err, "nothing reached B's inbox")

		res, err := w.FetchRemote(grantID, recordID)
		require.NoError(t, err)
		f2 := w.OneSent(w.B, res.Events)
		recv, ack := w.Recv(f2)
		f2Ack := successAck(t, w, ack)
		require.Equal(t, []uint64{recordID}, f2Ack.AlreadyComplete)
		require.Empty(t, f2Ack.TaskIds)
		resent := w.OneSent(w.A, recv.Events)
		w.Acknowledge(f2, ack)
		requireLinked(t, w, f2, f2Ack, types.ActionRecvFetch)
		require.NotEqual(t, share.Sequence(), resent.Sequence())

		sAck := successAck(t, w, w.Relay(resent).Ack)
		requireLinked(t, w, resent, sAck, types.ActionRecvShare)
		env, err := w.DecryptOnB(grantID, recordID)
		require.NoError(t, err)
		require.Equal(t, observation, env.Payload)
	})
}

// TestXChainFetchAfterRevocationErrorAck: the patient revokes on A before B
// hears of it; B's Fetch reaches A and is refused with an error ack. A keeps
// nothing of it (no task, no audit entry), B audits the refusal, and the
// revocation then reaches B.
func TestXChainFetchAfterRevocationErrorAck(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w, grantID, recordID := remoteGrant(t, v2)
		revoke := w.OneSent(w.A, w.MustDeliver(w.A, w.Patient, &types.MsgRevokeAccess{Patient: ibctest.Addr(w.Patient).String(),
			GrantId: grantID, Note: "changed my mind"}).Events)

		res, err := w.FetchRemote(grantID, recordID)
		require.NoError(t, err, "B still believes the grant stands")
		f := w.OneSent(w.B, res.Events)
		ka := ibctest.App(w.A).PhrKeeper
		logA := ibctest.AuditLog(t, w.A)
		taskSeq, err := ka.TaskSeq.Peek(w.A.GetContext())
		require.NoError(t, err)

		_, ack := w.Recv(f)
		out := outcome(w, ack)
		require.Nil(t, out.Ack)
		require.NotEmpty(t, out.Error)
		if !v2 {
			require.Contains(t, out.Error, fmt.Sprintf("ABCI error: %s/", types.ModuleName))
		}
		require.Equal(t, logA, ibctest.AuditLog(t, w.A), "A's writes were discarded")
		after, err := ka.TaskSeq.Peek(w.A.GetContext())
		require.NoError(t, err)
		require.Equal(t, taskSeq, after)
		g, err := ka.GetGrant(w.A.GetContext(), grantID)
		require.NoError(t, err)
		require.Equal(t, types.GRANT_STATUS_REVOKED, g.Status)

		w.Acknowledge(f, ack)
		last := lastEntry(t, w.B)
		require.Equal(t, types.ActionIBCErrorAck, last.Action)
		require.Equal(t, "OUTCOME_ERROR_ACK", last.Outcome.String())
		require.Equal(t, ibctest.Addr(w.Hospital).String(), last.Actor)
		if !v2 {
			require.Contains(t, last.ObjectId, "/"+out.Error, "the object names the codespace and code")
		}
		require.Equal(t, types.OUTBOX_STATUS_ERROR_ACK, outboxEntryOf(t, w, f).Status)

		rAck := successAck(t, w, w.Relay(revoke).Ack)
		requireLinked(t, w, revoke, rAck, types.ActionRecvGrantDecision)
		rg, err := ibctest.App(w.B).PhrKeeper.RemoteGrants.Get(w.B.GetContext(), collections.Join(w.ClientB(), grantID))
		require.NoError(t, err)
		require.Equal(t, types.GRANT_STATUS_REVOKED, rg.Status)
	})
}

// TestXChainReplayIsNoop: relaying the same packet twice (recv and ack)
// is a no-op the second time, and neither chain's state moves.
func TestXChainReplayIsNoop(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w := ibctest.NewXWorld(t, v2, 3)
		_, ar := w.RequestRemote(10)
		_, ack := w.Recv(ar)
		grantID := successAck(t, w, ack).GrantId
		logA := ibctest.AuditLog(t, w.A)
		nextGrant, err := ibctest.App(w.A).PhrKeeper.GrantSeq.Peek(w.A.GetContext())
		require.NoError(t, err)

		again, ack2 := w.Recv(ar)
		require.Equal(t, channeltypes.NOOP.String(), recvResult(t, w, again))
		require.Empty(t, ack2, "no second ack")
		require.Equal(t, logA, ibctest.AuditLog(t, w.A))
		seq, err := ibctest.App(w.A).PhrKeeper.GrantSeq.Peek(w.A.GetContext())
		require.NoError(t, err)
		require.Equal(t, nextGrant, seq)

		w.Acknowledge(ar, ack)
		logB := ibctest.AuditLog(t, w.B)
		require.Equal(t, channeltypes.NOOP.String(), ackResult(t, w, w.Acknowledge(ar, ack)))
		require.Equal(t, logB, ibctest.AuditLog(t, w.B))
		rr, err := ibctest.App(w.B).PhrKeeper.RemoteRequests.Get(w.B.GetContext(), 1)
		require.NoError(t, err)
		require.Equal(t, grantID, rr.GrantId)
	})
}

// TestXChainGrantDecisionTimeoutResent: a GrantDecision that times out is
// sent again at once (the hospital's chain must learn the decision); the
// new packet arrives and B's mirror is granted.
func TestXChainGrantDecisionTimeoutResent(t *testing.T) {
	transports(t, func(t *testing.T, v2 bool) {
		w := ibctest.NewXWorld(t, v2, 3)
		_, ar := w.RequestRemote(10)
		grantID := successAck(t, w, w.Relay(ar).Ack).GrantId
		gd := w.OneSent(w.A, w.Grant(grantID, 2).Events)

		res := w.Timeout(gd)
		require.Equal(t, types.OUTBOX_STATUS_TIMED_OUT, outboxEntryOf(t, w, gd).Status)
		again := w.OneSent(w.A, res.Events)
		require.Equal(t, types.PACKET_KIND_GRANT_DECISION, packetData(t, again).Kind())
		require.Equal(t, types.GRANT_STATUS_GRANTED, packetData(t, again).GetGrantDecision().Status)

		ack := successAck(t, w, w.Relay(again).Ack)
		requireLinked(t, w, again, ack, types.ActionRecvGrantDecision)
		rg, err := ibctest.App(w.B).PhrKeeper.RemoteGrants.Get(w.B.GetContext(), collections.Join(w.ClientB(), grantID))
		require.NoError(t, err)
		require.Equal(t, types.GRANT_STATUS_GRANTED, rg.Status)
	})
}
