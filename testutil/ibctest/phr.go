package ibctest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	phrtypes "github.com/medexchain/medexchain/x/phr/types"
)

// NewPhrPath is a path whose endpoints open phr channels (ibctesting's
// default port is "mock"): port phr, version medexchain-phr-1, UNORDERED.
func NewPhrPath(chainA, chainB *ibctesting.TestChain) *ibctesting.Path {
	path := ibctesting.NewPath(chainA, chainB)
	for _, ep := range []*ibctesting.Endpoint{path.EndpointA, path.EndpointB} {
		ep.ChannelConfig.PortID = phrtypes.PortID
		ep.ChannelConfig.Version = phrtypes.Version
		ep.ChannelConfig.Order = channeltypes.UNORDERED
	}
	return path
}

// AdmitPeer has ep's chain admit the client ep.ClientID as the peer
// ep.Counterparty's chain, through the keeper as the governance authority
// (no account signs for it in a test), then commits a block.
func AdmitPeer(t testing.TB, ep *ibctesting.Endpoint) {
	t.Helper()
	k := App(ep.Chain).PhrKeeper
	require.NoError(t, k.AdmitPeer(ep.Chain.GetContext(), k.Authority(), ep.ClientID, ep.Counterparty.Chain.ChainID,
		"peer "+ep.Counterparty.Chain.ChainID))
	ep.Chain.NextBlock()
}

// AdmitPeers has each chain of path admit the other's client.
func AdmitPeers(t testing.TB, path *ibctesting.Path) {
	t.Helper()
	AdmitPeer(t, path.EndpointA)
	AdmitPeer(t, path.EndpointB)
}

// SetupPhr builds clients, admits both sides as peers, then opens the
// connection and the phr channel.
func SetupPhr(t testing.TB, path *ibctesting.Path) {
	t.Helper()
	path.SetupClients()
	AdmitPeers(t, path)
	path.CreateConnections()
	path.CreateChannels()
}

// SetupPhrV2 builds clients, registers counterparties (IBC v2) and admits
// both sides as peers.
func SetupPhrV2(t testing.TB, path *ibctesting.Path) {
	t.Helper()
	path.SetupV2()
	AdmitPeers(t, path)
}

// RequireRefused asserts err is a failed tx whose code is the registered
// error want (ibctesting reports a failed tx as "codespace/code: log").
func RequireRefused(t testing.TB, err error, want *errorsmod.Error) {
	t.Helper()
	require.Error(t, err)
	prefix := fmt.Sprintf("%s/%d:", want.Codespace(), want.ABCICode())
	require.True(t, strings.HasPrefix(err.Error(), prefix), "want %s (%s), got %v", prefix, want, err)
}

// SendV2AsPhr sends payload over IBC v2 from ep's client as the phr module
// does (MsgSendPacket signed by the phr module account, dispatched through
// the app's message router), commits the block and updates the
// counterparty's client, so the packet can be relayed.
func SendV2AsPhr(t testing.TB, ep *ibctesting.Endpoint, timeoutSeconds uint64, payload channeltypesv2.Payload) (channeltypesv2.Packet, error) {
	t.Helper()
	a := App(ep.Chain)
	ctx := ep.Chain.GetContext()
	cache, write := ctx.CacheContext()
	msg := channeltypesv2.NewMsgSendPacket(ep.ClientID, timeoutSeconds, a.PhrKeeper.ModuleAddress().String(), payload)
	handler := a.MsgServiceRouter().Handler(msg)
	require.NotNil(t, handler)
	res, err := handler(cache, msg)
	if err != nil {
		return channeltypesv2.Packet{}, err
	}
	write()
	var resp channeltypesv2.MsgSendPacketResponse
	require.Len(t, res.MsgResponses, 1)
	require.NoError(t, proto.Unmarshal(res.MsgResponses[0].Value, &resp))
	ep.Chain.NextBlock()
	require.NoError(t, ep.Counterparty.UpdateClient())
	return channeltypesv2.NewPacket(resp.Sequence, ep.ClientID, ep.Counterparty.ClientID, timeoutSeconds, payload), nil
}

// PhrPayload is an IBC v2 payload of phr carrying value.
func PhrPayload(value []byte) channeltypesv2.Payload {
	return channeltypesv2.NewPayload(phrtypes.PortID, phrtypes.PortID, phrtypes.Version, phrtypes.EncodingProtobuf, value)
}
