package v2_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/testutil/ibctest"
	"github.com/medexchain/medexchain/x/phr/types"
	phrv2 "github.com/medexchain/medexchain/x/phr/v2"
)

func v2Path(t *testing.T, admit bool) *ibctesting.Path {
	coord := ibctest.NewCoordinator(t, 2)
	path := ibctesting.NewPath(coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2)))
	if admit {
		ibctest.SetupPhrV2(t, path)
	} else {
		path.SetupV2()
	}
	return path
}

func timeout(ep *ibctesting.Endpoint) uint64 {
	return uint64(ep.Chain.ProposedHeader.Time.Add(time.Hour).Unix())
}

// validData is a canonical PacketData (an AccessRequest naming nobody on the
// receiver, which the receiver refuses).
func validData(t *testing.T) []byte {
	bz, err := types.EncodePacketData(&types.PacketData{SenderAuditHash: bytes.Repeat([]byte{7}, 32),
		Body: &types.PacketData_AccessRequest{AccessRequest: &types.AccessRequestPacket{Requester: "nobody", RequestId: 1}}})
	require.NoError(t, err)
	return bz
}

// TestV2UserSendRefused: MsgSendPacket is an ordinary tx message; a user
// sending from port phr is refused, whatever the payload.
func TestV2UserSendRefused(t *testing.T) {
	path := v2Path(t, true)
	_, err := path.EndpointA.MsgSendPacket(timeout(path.EndpointA), ibctest.PhrPayload(validData(t)))
	ibctest.RequireRefused(t, err, types.ErrInvalidSigner)
	seq, ok := ibctest.App(path.EndpointA.Chain).IBCKeeper.ChannelKeeperV2.GetNextSequenceSend(path.EndpointA.Chain.GetContext(), path.EndpointA.ClientID)
	require.True(t, ok)
	require.Equal(t, uint64(1), seq)
}

// TestV2SendChecks: even the module account cannot send another version,
// encoding or port pair, nor to a client that is not an admitted peer.
func TestV2SendChecks(t *testing.T) {
	path := v2Path(t, true)
	a := path.EndpointA
	p := ibctest.PhrPayload(validData(t))
	wrongVersion, wrongEncoding, wrongPort := p, p, p
	wrongVersion.Version = "medexchain-phr-2"
	wrongEncoding.Encoding = "application/json"
	wrongPort.DestinationPort = "transfer"
	for want, payload := range map[error]channeltypesv2.Payload{
		types.ErrInvalidVersion:  wrongVersion,
		types.ErrInvalidEncoding: wrongEncoding,
		types.ErrInvalidPort:     wrongPort,
	} {
		_, err := ibctest.SendV2AsPhr(t, a, timeout(a), payload)
		require.ErrorIs(t, err, want)
	}

	unadmitted := v2Path(t, false)
	_, err := ibctest.SendV2AsPhr(t, unadmitted.EndpointA, timeout(unadmitted.EndpointA), ibctest.PhrPayload(validData(t)))
	require.ErrorIs(t, err, types.ErrPeerNotAdmitted)
}

// TestV2ModuleSendRelayed: a packet the module account sends over an
// admitted client pair is relayed with ibctesting's v2 helpers; the
// receiver refuses its content (nobody it names exists), which is IBC v2's
// reason-less error ack, and the sender's ack callback succeeds.
func TestV2ModuleSendRelayed(t *testing.T) {
	path := v2Path(t, true)
	a, b := path.EndpointA, path.EndpointB
	packet, err := ibctest.SendV2AsPhr(t, a, timeout(a), ibctest.PhrPayload(validData(t)))
	require.NoError(t, err)
	require.Equal(t, uint64(1), packet.Sequence)

	ack, err := b.MsgRecvPacketWithAck(packet)
	require.NoError(t, err)
	require.Equal(t, [][]byte{channeltypesv2.ErrorAcknowledgement[:]}, ack.AppAcknowledgements)
	require.NoError(t, a.MsgAcknowledgePacket(packet, ack))
	require.Empty(t, ibctest.App(a.Chain).IBCKeeper.ChannelKeeperV2.GetPacketCommitment(a.Chain.GetContext(), a.ClientID, packet.Sequence))
	require.True(t, ibctest.App(b.Chain).IBCKeeper.ChannelKeeperV2.HasPacketReceipt(b.Chain.GetContext(), b.ClientID, packet.Sequence))
}

// TestV2RecvChecks: the receiver checks the payload and the peer itself
// (IBC v2 negotiates nothing): each refusal is a Failure with the sentinel
// ack, Status always set.
func TestV2RecvChecks(t *testing.T) {
	path := v2Path(t, true)
	b := path.EndpointB
	m := phrv2.NewIBCModule(ibctest.App(b.Chain).PhrKeeper)
	p := ibctest.PhrPayload(validData(t))
	wrongVersion, wrongEncoding, wrongPort, notPhr := p, p, p, p
	wrongVersion.Version = "ics20-1"
	wrongEncoding.Encoding = "application/json"
	wrongPort.SourcePort = "transfer"
	notPhr.Value = []byte("not a phr packet")
	failure := channeltypesv2.RecvPacketResult{Status: channeltypesv2.PacketStatus_Failure, Acknowledgement: channeltypesv2.ErrorAcknowledgement[:]}
	for _, payload := range []channeltypesv2.Payload{wrongVersion, wrongEncoding, wrongPort, notPhr, p} {
		require.Equal(t, failure, m.OnRecvPacket(b.Chain.GetContext(), path.EndpointA.ClientID, b.ClientID, 1, payload, b.Chain.SenderAccount.GetAddress()))
	}
	require.Equal(t, failure, m.OnRecvPacket(b.Chain.GetContext(), "07-tendermint-9", "07-tendermint-9", 1, p, b.Chain.SenderAccount.GetAddress()))
}

// TestV2DecodeAck: the sentinel is an error outcome; a PacketAck decodes;
// anything else is an error outcome.
func TestV2DecodeAck(t *testing.T) {
	require.Equal(t, types.PacketOutcome{Error: phrv2.ErrorAckOutcome}, phrv2.DecodeAck(channeltypesv2.ErrorAcknowledgement[:]))
	bz, err := types.EncodePacketAck(&types.PacketAck{ReceiverAuditHash: make([]byte, 32), TaskIds: []uint64{3}})
	require.NoError(t, err)
	out := phrv2.DecodeAck(bz)
	require.NotNil(t, out.Ack)
	require.Equal(t, []uint64{3}, out.Ack.TaskIds)
	out = phrv2.DecodeAck([]byte{1})
	require.Nil(t, out.Ack)
	require.NotEmpty(t, out.Error)
}
