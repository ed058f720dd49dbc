package tests

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"

	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/testutil/ibctest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr"
	"github.com/medexchain/medexchain/x/phr/types"
	phrv2 "github.com/medexchain/medexchain/x/phr/v2"
)

// packetData decodes the phr data a packet carries.
func packetData(t *testing.T, p ibctest.Packet) *types.PacketData {
	t.Helper()
	bz := p.V1.Data
	if p.From.ChannelID == "" {
		require.Len(t, p.V2.Payloads, 1)
		bz = p.V2.Payloads[0].Value
	}
	d, err := types.DecodePacketData(bz)
	require.NoError(t, err)
	return d
}

// outcome is what an ack stands for, as the sender's IBC module reads it.
func outcome(w *ibctest.XWorld, ack []byte) types.PacketOutcome {
	if w.V2 {
		return phrv2.DecodeAck(ack)
	}
	return phr.DecodeAck(ack)
}

// successAck decodes a success ack and fails the test on anything else.
func successAck(t *testing.T, w *ibctest.XWorld, ack []byte) *types.PacketAck {
	t.Helper()
	out := outcome(w, ack)
	require.NotNil(t, out.Ack, "not a success ack: %q", out.Error)
	return out.Ack
}

// entryByHash is the entry of log whose hash is h.
func entryByHash(t *testing.T, log []audittypes.Entry, h []byte) audittypes.Entry {
	t.Helper()
	for _, e := range log {
		if bytes.Equal(e.Hash, h) {
			return e
		}
	}
	require.Failf(t, "no audit entry", "hash %X", h)
	return audittypes.Entry{}
}

// entryLinking is the entry of log with action whose counterparty names
// the remote entry h.
func entryLinking(t *testing.T, log []audittypes.Entry, action string, h []byte) audittypes.Entry {
	t.Helper()
	for _, e := range log {
		if e.Action == action && bytes.Equal(e.Counterparty.EntryHash, h) {
			return e
		}
	}
	require.Failf(t, "no linking audit entry", "%s -> %X", action, h)
	return audittypes.Entry{}
}

// requireLinked checks that a relayed packet's audit entries point at each
// other: the sender's send entry (its hash in the packet), the receiver's
// entry naming it (its hash in the ack), and the sender's receipt naming
// that; both logs verify. It returns the three entries.
func requireLinked(t *testing.T, w *ibctest.XWorld, p ibctest.Packet, ack *types.PacketAck, recvAction string) (send, recv, receipt audittypes.Entry) {
	t.Helper()
	from, to := p.From.Chain, p.From.Counterparty.Chain
	fromLog, toLog := ibctest.AuditLog(t, from), ibctest.AuditLog(t, to)
	send = entryByHash(t, fromLog, packetData(t, p).SenderAuditHash)
	require.Equal(t, types.ActionIBCSend, send.Action)
	recv = entryByHash(t, toLog, ack.ReceiverAuditHash)
	require.Equal(t, recvAction, recv.Action)
	require.Equal(t, send.Hash, recv.Counterparty.EntryHash)
	require.Equal(t, from.ChainID, recv.Counterparty.ChainId)
	receipt = entryLinking(t, fromLog, types.ActionIBCReceipt, recv.Hash)
	require.Equal(t, audittypes.OUTCOME_SUCCESS, receipt.Outcome)
	require.Equal(t, to.ChainID, receipt.Counterparty.ChainId)
	return send, recv, receipt
}

// lastEntry is chain c's newest audit entry.
func lastEntry(t *testing.T, c *ibctesting.TestChain) audittypes.Entry {
	t.Helper()
	log := ibctest.AuditLog(t, c)
	require.NotEmpty(t, log)
	return log[len(log)-1]
}

// outboxEntryOf is the sender's outbox entry of packet p.
func outboxEntryOf(t *testing.T, w *ibctest.XWorld, p ibctest.Packet) types.OutboxEntry {
	t.Helper()
	c := p.From.Chain
	path := p.From.ChannelID
	if w.V2 {
		path = p.From.ClientID
	}
	it, err := ibctest.App(c).PhrKeeper.Outbox.Iterate(c.GetContext(), nil)
	require.NoError(t, err)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		e, err := it.Value()
		require.NoError(t, err)
		if e.Sequence == p.Sequence() && e.Path() == path {
			return e
		}
	}
	require.Failf(t, "no outbox entry", "path %s sequence %d", path, p.Sequence())
	return types.OutboxEntry{}
}

// recvResult is the result IBC core reported for a MsgRecvPacket tx.
func recvResult(t *testing.T, w *ibctest.XWorld, res *abci.ExecTxResult) string {
	t.Helper()
	if w.V2 {
		var r channeltypesv2.MsgRecvPacketResponse
		ibctest.Decode(t, res, &r)
		return r.Result.String()
	}
	var r channeltypes.MsgRecvPacketResponse
	ibctest.Decode(t, res, &r)
	return r.Result.String()
}

// ackResult is the result IBC core reported for a MsgAcknowledgement tx.
func ackResult(t *testing.T, w *ibctest.XWorld, res *abci.ExecTxResult) string {
	t.Helper()
	if w.V2 {
		var r channeltypesv2.MsgAcknowledgementResponse
		ibctest.Decode(t, res, &r)
		return r.Result.String()
	}
	var r channeltypes.MsgAcknowledgementResponse
	ibctest.Decode(t, res, &r)
	return r.Result.String()
}
