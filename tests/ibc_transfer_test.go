package tests

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	transfertypes "github.com/cosmos/ibc-go/v11/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/testutil/ibctest"
)

// TestTwoChainsTransfer proves the harness later IBC work relies on: two
// medexchain apps complete the client, connection and channel handshakes and
// move tokens over ICS-20, with the receipt on the destination and the escrow
// on the source.
func TestTwoChainsTransfer(t *testing.T) {
	coord := ibctest.NewCoordinator(t, 2)
	chainA, chainB := coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2))

	path := ibctesting.NewTransferPath(chainA, chainB)
	path.Setup()

	channel, found := ibctest.App(chainA).IBCKeeper.ChannelKeeper.GetChannel(chainA.GetContext(), path.EndpointA.ChannelConfig.PortID, path.EndpointA.ChannelID)
	require.True(t, found)
	require.Equal(t, channeltypes.OPEN, channel.State)

	amount := sdk.NewCoin(app.BondDenom, sdkmath.NewInt(12_345))
	sender, receiver := chainA.SenderAccount.GetAddress(), chainB.SenderAccount.GetAddress()
	senderBefore := ibctest.App(chainA).BankKeeper.GetBalance(chainA.GetContext(), sender, app.BondDenom)

	msg := transfertypes.NewMsgTransfer(path.EndpointA.ChannelConfig.PortID, path.EndpointA.ChannelID, amount,
		sender.String(), receiver.String(), clienttypes.NewHeight(1, 1000), 0, "")
	res, err := chainA.SendMsgs(msg)
	require.NoError(t, err)
	packet, err := ibctesting.ParseV1PacketFromEvents(res.Events)
	require.NoError(t, err)
	require.NoError(t, path.RelayPacket(packet))

	voucher := transfertypes.NewDenom(app.BondDenom, transfertypes.NewHop(path.EndpointB.ChannelConfig.PortID, path.EndpointB.ChannelID))
	got := ibctest.App(chainB).BankKeeper.GetBalance(chainB.GetContext(), receiver, voucher.IBCDenom())
	require.Equal(t, amount.Amount, got.Amount)

	escrow := transfertypes.GetEscrowAddress(path.EndpointA.ChannelConfig.PortID, path.EndpointA.ChannelID)
	require.Equal(t, amount.Amount, ibctest.App(chainA).BankKeeper.GetBalance(chainA.GetContext(), escrow, app.BondDenom).Amount)
	senderAfter := ibctest.App(chainA).BankKeeper.GetBalance(chainA.GetContext(), sender, app.BondDenom)
	require.Equal(t, senderBefore.Amount.Sub(amount.Amount), senderAfter.Amount)
}
