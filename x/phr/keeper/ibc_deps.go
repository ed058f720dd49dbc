package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// ibcDeps are the IBC keepers phr uses; the app builds IBC core after phr
// (IBC core needs the upgrade keeper, phr's ante needs phr), so they are set
// once with SetIBC before the first block.
type ibcDeps struct {
	channels  types.ChannelKeeper
	clients   types.ClientKeeper
	sender    types.PacketSender
	msgRouter types.MessageRouter
	// moduleAddr signs phr's IBC v2 sends: it has no key, so no user can send
	// a v2 packet that phr's OnSendPacket accepts.
	moduleAddr sdk.AccAddress
}

// SetIBC wires IBC core into the keeper: channels and clients to check peers,
// sender for IBC classic packets (the channel keeper, or the middleware
// above phr), msgRouter to dispatch IBC v2 sends signed by moduleAddr.
func (k *Keeper) SetIBC(channels types.ChannelKeeper, clients types.ClientKeeper, sender types.PacketSender, msgRouter types.MessageRouter, moduleAddr sdk.AccAddress) {
	k.ibc = ibcDeps{channels: channels, clients: clients, sender: sender, msgRouter: msgRouter, moduleAddr: moduleAddr}
}

// SetPacketSender replaces the IBC classic sender (porttypes.IBCModule's
// SetICS4Wrapper: the stack builder hands phr the middleware above it).
func (k *Keeper) SetPacketSender(sender types.PacketSender) { k.ibc.sender = sender }

// ModuleAddress is the phr module account, the only signer phr's IBC v2
// OnSendPacket accepts.
func (k *Keeper) ModuleAddress() sdk.AccAddress { return k.ibc.moduleAddr }
