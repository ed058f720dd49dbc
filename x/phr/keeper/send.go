package keeper

import (
	"time"

	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// sendPacket sends data over e's path: its phr channel (IBC classic, timeout
// as unix nanoseconds) or, without a channel, its client (IBC v2, unix
// seconds, dispatched as MsgSendPacket signed by the phr module account).
// The timeout is the block time plus ibc_timeout_seconds.
func (k *Keeper) sendPacket(ctx sdk.Context, e *types.OutboxEntry, data []byte) (uint64, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	timeout := ctx.BlockTime().Add(time.Duration(params.IbcTimeoutSeconds) * time.Second)
	if e.ChannelId != "" {
		if k.ibc.sender == nil {
			return 0, errorsmod.Wrap(types.ErrNoChannel, "IBC is not wired into phr")
		}
		return k.ibc.sender.SendPacket(ctx, types.PortID, e.ChannelId, clienttypes.ZeroHeight(), uint64(timeout.UnixNano()), data)
	}
	if k.ibc.msgRouter == nil {
		return 0, errorsmod.Wrap(types.ErrNoChannel, "IBC v2 is not wired into phr")
	}
	payload := channeltypesv2.NewPayload(types.PortID, types.PortID, types.Version, types.EncodingProtobuf, data)
	msg := channeltypesv2.NewMsgSendPacket(e.ClientId, uint64(timeout.Unix()), k.ibc.moduleAddr.String(), payload)
	handler := k.ibc.msgRouter.Handler(msg)
	if handler == nil {
		return 0, errorsmod.Wrap(types.ErrNoChannel, "no IBC v2 MsgSendPacket handler")
	}
	res, err := handler(ctx, msg)
	if err != nil {
		return 0, err
	}
	// the handler ran with its own event manager: hand its events (send_packet) on
	ctx.EventManager().EmitEvents(res.GetEvents())
	if len(res.MsgResponses) != 1 || res.MsgResponses[0] == nil {
		return 0, errorsmod.Wrap(types.ErrNoChannel, "IBC v2 send returned no response")
	}
	var resp channeltypesv2.MsgSendPacketResponse
	if err := proto.Unmarshal(res.MsgResponses[0].Value, &resp); err != nil {
		return 0, err
	}
	return resp.Sequence, nil
}
