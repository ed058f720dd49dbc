package ibctest

import (
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	connectiontypes "github.com/cosmos/ibc-go/v11/modules/core/03-connection/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	commitmenttypes "github.com/cosmos/ibc-go/v11/modules/core/23-commitment/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"

	"github.com/medexchain/medexchain/app"
	phrtypes "github.com/medexchain/medexchain/x/phr/types"
)

// ClientTrustingPeriod is the trusting period of the clients InstallClient
// writes: the client stays Active for that long after its consensus state.
const ClientTrustingPeriod = 14 * 24 * time.Hour

// InstallClient writes a 07-tendermint client of chainID into a's IBC client
// store under the next client id, with one consensus state at height 1-1
// stamped at ctx's block time, so that IBC core reports it Active (a light
// client as MsgCreateClient leaves it, without the header that message
// would need). It returns the client id.
func InstallClient(ctx sdk.Context, a *app.App, chainID string) string {
	ck := a.IBCKeeper.ClientKeeper
	clientID := ck.GenerateClientIdentifier(ctx, ibcexported.Tendermint)
	height := clienttypes.NewHeight(1, 1)
	cs := ibctm.NewClientState(chainID, ibctm.DefaultTrustLevel, ClientTrustingPeriod, 3*ClientTrustingPeriod,
		10*time.Second, height, commitmenttypes.GetSDKSpecs(), []string{"upgrade", "upgradedIBCState"})
	ck.SetClientState(ctx, clientID, cs)
	ck.SetClientConsensusState(ctx, clientID, height,
		ibctm.NewConsensusState(ctx.BlockTime(), commitmenttypes.NewMerkleRoot([]byte("app hash")), make([]byte, 32)))
	return clientID
}

// SetClientChainID rewrites the chain id clientID tracks (as a client
// upgrade to a new chain id would).
func SetClientChainID(ctx sdk.Context, a *app.App, clientID, chainID string) {
	ck := a.IBCKeeper.ClientKeeper
	cs, ok := ck.GetClientState(ctx, clientID)
	if !ok {
		panic("no client " + clientID)
	}
	tm := cs.(*ibctm.ClientState)
	tm.ChainId = chainID
	ck.SetClientState(ctx, clientID, tm)
}

// OpenPhrChannel writes an OPEN connection over clientID and an OPEN,
// UNORDERED phr channel on it (counterparty channel-0 on port phr) with its
// send sequence, as the handshakes leave them, and returns the channel id:
// IBC core's SendPacket then sends over it (the commitment is stored, the
// packet is never relayed).
func OpenPhrChannel(ctx sdk.Context, a *app.App, clientID string) string {
	ibc := a.IBCKeeper
	connID := connectiontypes.FormatConnectionIdentifier(ibc.ConnectionKeeper.GetNextConnectionSequence(ctx))
	ibc.ConnectionKeeper.SetNextConnectionSequence(ctx, ibc.ConnectionKeeper.GetNextConnectionSequence(ctx)+1)
	ibc.ConnectionKeeper.SetConnection(ctx, connID, connectiontypes.NewConnectionEnd(connectiontypes.OPEN, clientID,
		connectiontypes.NewCounterparty("07-tendermint-0", "connection-0", commitmenttypes.NewMerklePrefix([]byte("ibc"))),
		connectiontypes.GetCompatibleVersions(), 0))
	chanID := ibc.ChannelKeeper.GenerateChannelIdentifier(ctx)
	ibc.ChannelKeeper.SetChannel(ctx, phrtypes.PortID, chanID, channeltypes.NewChannel(channeltypes.OPEN, channeltypes.UNORDERED,
		channeltypes.NewCounterparty(phrtypes.PortID, "channel-0"), []string{connID}, phrtypes.Version))
	ibc.ChannelKeeper.SetNextSequenceSend(ctx, phrtypes.PortID, chanID, 1)
	return chanID
}
