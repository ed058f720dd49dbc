package phr_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	transfertypes "github.com/cosmos/ibc-go/v11/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/testutil/ibctest"
	"github.com/medexchain/medexchain/x/phr"
	"github.com/medexchain/medexchain/x/phr/types"
)

// twoChains is a coordinator of two medexchain chains and a phr path
// between them with clients only (no peers admitted, no connection).
func twoChains(t *testing.T) (*ibctesting.Coordinator, *ibctesting.Path) {
	coord := ibctest.NewCoordinator(t, 2)
	path := ibctest.NewPhrPath(coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2)))
	path.SetupClients()
	return coord, path
}

func channelState(t *testing.T, ep *ibctesting.Endpoint) channeltypes.Channel {
	t.Helper()
	ch, ok := ibctest.App(ep.Chain).IBCKeeper.ChannelKeeper.GetChannel(ep.Chain.GetContext(), ep.ChannelConfig.PortID, ep.ChannelID)
	require.True(t, ok)
	return ch
}

// TestHandshakeAdmittedPeers: between admitted peers the whole handshake
// completes, the channel is phr<->phr UNORDERED medexchain-phr-1, and each
// chain records the channel on its peer.
func TestHandshakeAdmittedPeers(t *testing.T) {
	coord := ibctest.NewCoordinator(t, 2)
	path := ibctest.NewPhrPath(coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2)))
	path.EndpointA.ChannelConfig.Version = "" // Init proposes the version
	ibctest.SetupPhr(t, path)

	for _, ep := range []*ibctesting.Endpoint{path.EndpointA, path.EndpointB} {
		ch := channelState(t, ep)
		require.Equal(t, channeltypes.OPEN, ch.State)
		require.Equal(t, types.Version, ch.Version)
		require.Equal(t, channeltypes.UNORDERED, ch.Ordering)
		require.Equal(t, types.PortID, ch.Counterparty.PortId)
		peer, err := ibctest.App(ep.Chain).PhrKeeper.GetPeer(ep.Chain.GetContext(), ep.ClientID)
		require.NoError(t, err)
		require.Equal(t, ep.ChannelID, peer.ChannelId)
		require.Equal(t, ep.Counterparty.Chain.ChainID, peer.ChainId)
	}
}

// TestHandshakeRefusesNonPeer: a client nobody admitted cannot open a phr
// channel (Init), and a chain that did not admit the initiator refuses Try.
func TestHandshakeRefusesNonPeer(t *testing.T) {
	_, path := twoChains(t)
	path.CreateConnections()
	ibctest.RequireRefused(t, path.EndpointA.ChanOpenInit(), types.ErrPeerNotAdmitted)

	ibctest.AdmitPeer(t, path.EndpointA) // A admits B; B never admits A
	require.NoError(t, path.EndpointA.ChanOpenInit())
	ibctest.RequireRefused(t, path.EndpointB.ChanOpenTry(), types.ErrPeerNotAdmitted)
	_, err := ibctest.App(path.EndpointA.Chain).PhrKeeper.GetPeer(path.EndpointA.Chain.GetContext(), path.EndpointA.ClientID)
	require.NoError(t, err)
}

// TestHandshakeRefusesOtherChainID: a peer record naming another chain id
// than the one the client tracks is refused with ErrPeerChainID (AdmitPeer
// itself refuses such a record, so the record is written directly).
func TestHandshakeRefusesOtherChainID(t *testing.T) {
	_, path := twoChains(t)
	ibctest.AdmitPeers(t, path)
	path.CreateConnections()
	a := path.EndpointA
	k := ibctest.App(a.Chain).PhrKeeper
	peer, err := k.GetPeer(a.Chain.GetContext(), a.ClientID)
	require.NoError(t, err)
	peer.ChainId = "medex-impostor"
	require.NoError(t, k.Peers.Set(a.Chain.GetContext(), a.ClientID, peer))
	a.Chain.NextBlock()

	ibctest.RequireRefused(t, a.ChanOpenInit(), types.ErrPeerChainID)
	require.ErrorIs(t, k.AdmitPeer(a.Chain.GetContext(), k.Authority(), "07-tendermint-9", "x", "x"), types.ErrPeerNotAdmitted)
}

// admittedConnection: clients, peers and an open connection, no channel.
func admittedConnection(t *testing.T) *ibctesting.Path {
	_, path := twoChains(t)
	ibctest.AdmitPeers(t, path)
	path.CreateConnections()
	return path
}

// TestHandshakeRefusesWrongVersionAndOrder: another version and ORDERED
// channels are refused with their registered errors.
func TestHandshakeRefusesWrongVersionAndOrder(t *testing.T) {
	path := admittedConnection(t)
	path.EndpointA.ChannelConfig.Version = "medexchain-phr-2"
	ibctest.RequireRefused(t, path.EndpointA.ChanOpenInit(), types.ErrInvalidVersion)

	path.EndpointA.ChannelConfig.Version = types.Version
	path.SetChannelOrdered()
	ibctest.RequireRefused(t, path.EndpointA.ChanOpenInit(), types.ErrInvalidOrdering)

	// the same connection still opens a proper phr channel
	path.EndpointA.ChannelConfig.Order, path.EndpointB.ChannelConfig.Order = channeltypes.UNORDERED, channeltypes.UNORDERED
	path.CreateChannels()
	require.Equal(t, channeltypes.OPEN, channelState(t, path.EndpointB).State)
}

// TestHandshakeRefusesLookalikePort: ibc-go routes a port by substring, so
// a channel on "xphrx" reaches phr's callbacks; phr refuses it, as the
// initiator's port and as the counterparty's.
func TestHandshakeRefusesLookalikePort(t *testing.T) {
	path := admittedConnection(t)
	a := path.EndpointA
	route, ok := ibctest.App(a.Chain).IBCKeeper.PortKeeper.Route("xphrx")
	require.True(t, ok)
	require.IsType(t, phr.IBCModule{}, route)

	a.ChannelConfig.PortID = "xphrx"
	ibctest.RequireRefused(t, a.ChanOpenInit(), types.ErrInvalidPort)

	a.ChannelConfig.PortID = types.PortID
	path.EndpointB.ChannelConfig.PortID = "xphrx"
	ibctest.RequireRefused(t, a.ChanOpenInit(), types.ErrInvalidPort)
}

// TestHandshakeRefusesTransferCounterparty: phr never pairs with ICS-20. A
// phr Init towards a transfer port is refused; a transfer Init towards phr
// is refused at phr's Try; and the version a transfer Try counter-proposes
// (ics20-1) is refused by phr's Ack.
func TestHandshakeRefusesTransferCounterparty(t *testing.T) {
	path := admittedConnection(t)
	a, b := path.EndpointA, path.EndpointB
	b.ChannelConfig.PortID, b.ChannelConfig.Version = transfertypes.PortID, transfertypes.V1
	ibctest.RequireRefused(t, a.ChanOpenInit(), types.ErrInvalidPort)

	// transfer on B opens towards phr on A: transfer accepts its Init
	require.NoError(t, b.ChanOpenInit())
	a.ChannelConfig.Version = transfertypes.V1 // what ibctesting hands A's Try as B's version
	ibctest.RequireRefused(t, a.ChanOpenTry(), types.ErrInvalidPort)

	// phr's Ack against a counter-proposal, on a channel A really initiated
	a.ChannelConfig.Version = types.Version
	b.ChannelConfig.PortID, b.ChannelConfig.Version = types.PortID, types.Version
	require.NoError(t, a.ChanOpenInit())
	app := ibctest.App(a.Chain)
	module := phr.NewIBCModule(app.PhrKeeper, app.IBCKeeper.ChannelKeeper)
	require.ErrorIs(t, module.OnChanOpenAck(a.Chain.GetContext(), types.PortID, a.ChannelID, "channel-9", transfertypes.V1), types.ErrInvalidVersion)
	require.ErrorIs(t, module.OnChanOpenAck(a.Chain.GetContext(), types.PortID, a.ChannelID, "channel-9", ""), types.ErrInvalidVersion)
	peer, err := app.PhrKeeper.GetPeer(a.Chain.GetContext(), a.ClientID)
	require.NoError(t, err)
	require.Empty(t, peer.ChannelId)
}

// TestChannelCloseInitRefused: no user closes a phr channel.
func TestChannelCloseInitRefused(t *testing.T) {
	coord := ibctest.NewCoordinator(t, 2)
	path := ibctest.NewPhrPath(coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2)))
	ibctest.SetupPhr(t, path)
	ibctest.RequireRefused(t, path.EndpointA.ChanCloseInit(), types.ErrChannelClose)
	ibctest.RequireRefused(t, path.EndpointB.ChanCloseInit(), types.ErrChannelClose)
	require.Equal(t, channeltypes.OPEN, channelState(t, path.EndpointA).State)
}

// TestRecvRefusedIsCodespaceErrorAck: a packet phr refuses (here: from a
// peer removed after the handshake) gets an error ack naming phr's
// codespace and code, with no error text; the sender's callback succeeds.
func TestRecvRefusedIsCodespaceErrorAck(t *testing.T) {
	coord := ibctest.NewCoordinator(t, 2)
	path := ibctest.NewPhrPath(coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2)))
	ibctest.SetupPhr(t, path)
	b := path.EndpointB
	kb := ibctest.App(b.Chain).PhrKeeper
	require.NoError(t, kb.RemovePeer(b.Chain.GetContext(), kb.Authority(), b.ClientID))
	b.Chain.NextBlock()

	timeout := uint64(path.EndpointA.Chain.ProposedHeader.Time.Add(time.Hour).UnixNano())
	seq, err := path.EndpointA.SendPacket(clienttypes.ZeroHeight(), timeout, []byte("not a phr packet"))
	require.NoError(t, err)
	packet := channeltypes.NewPacket([]byte("not a phr packet"), seq, types.PortID, path.EndpointA.ChannelID, types.PortID, b.ChannelID, clienttypes.ZeroHeight(), timeout)
	_, ack, err := path.RelayPacketWithResults(packet)
	require.NoError(t, err)
	want := channeltypes.NewErrorAcknowledgementWithCodespace(types.ErrPeerNotAdmitted)
	require.Equal(t, want.Acknowledgement(), ack)
	require.Equal(t, types.PacketOutcome{Error: "ABCI error: phr/61: error handling packet: see events for details"}, phr.DecodeAck(ack))
}

// TestDecodeAck: results decode strictly to a PacketAck; anything else is
// an error outcome, never a failure of the callback.
func TestDecodeAck(t *testing.T) {
	good := &types.PacketAck{ReceiverAuditHash: make([]byte, 32), GrantId: 7}
	bz, err := types.EncodePacketAck(good)
	require.NoError(t, err)
	out := phr.DecodeAck(channeltypes.NewResultAcknowledgement(bz).Acknowledgement())
	require.NotNil(t, out.Ack)
	require.Equal(t, uint64(7), out.Ack.GrantId)

	for name, ack := range map[string][]byte{
		"not json":          []byte("{"),
		"non-canonical":     []byte(` {"result":"AQ=="}`),
		"result not an ack": channeltypes.NewResultAcknowledgement([]byte{1}).Acknowledgement(),
		"empty":             nil,
	} {
		out := phr.DecodeAck(ack)
		require.Nil(t, out.Ack, name)
		require.NotEmpty(t, out.Error, name)
		require.False(t, out.Timeout, name)
	}
}
