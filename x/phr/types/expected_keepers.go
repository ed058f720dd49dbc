package types

import (
	"context"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
)

// AuditKeeper is the part of x/audit that phr writes to.
type AuditKeeper interface {
	Append(ctx context.Context, r audittypes.Record) (audittypes.Entry, error)
}

// ChannelKeeper is the part of IBC core's channel keeper phr reads: a phr
// channel's state and the client under it.
type ChannelKeeper interface {
	GetChannel(ctx sdk.Context, portID, channelID string) (channeltypes.Channel, bool)
	GetChannelClientState(ctx sdk.Context, portID, channelID string) (string, ibcexported.ClientState, error)
}

// ClientKeeper is the part of IBC core's client keeper phr reads: a peer's
// light client, to check the chain id it tracks and that it is active.
type ClientKeeper interface {
	GetClientState(ctx sdk.Context, clientID string) (ibcexported.ClientState, bool)
	GetClientStatus(ctx sdk.Context, clientID string) ibcexported.Status
}

// PacketSender sends IBC classic packets (the channel keeper, or the
// middleware above phr).
type PacketSender interface {
	SendPacket(ctx sdk.Context, sourcePort, sourceChannel string, timeoutHeight clienttypes.Height,
		timeoutTimestamp uint64, data []byte) (uint64, error)
}

// MessageRouter dispatches IBC v2's MsgSendPacket, the only way a module
// sends over IBC v2.
type MessageRouter interface {
	Handler(msg sdk.Msg) baseapp.MsgServiceHandler
}
