package keeper

// The patient chain's side of the packets (receive AccessRequest and Fetch,
// send GrantDecision and Share). Placeholder until that side lands: every
// packet of it is refused.

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/types"
)

func (k *Keeper) recvAccessRequest(context.Context, types.PacketOrigin, []byte, *types.AccessRequestPacket) (*types.PacketAck, error) {
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "AccessRequest is not handled yet")
}

func (k *Keeper) recvFetch(context.Context, types.PacketOrigin, []byte, *types.FetchPacket) (*types.PacketAck, error) {
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "Fetch is not handled yet")
}

func (k *Keeper) grantDecisionPacket(context.Context, *types.OutboxEntry) (*types.PacketData, error) {
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "GrantDecision is not built yet")
}

func (k *Keeper) sharePacket(context.Context, *types.OutboxEntry) (*types.PacketData, error) {
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "Share is not built yet")
}

func (k *Keeper) onGrantDecisionOutcome(context.Context, types.OutboxEntry, types.PacketOutcome) error {
	return nil
}

func (k *Keeper) onShareOutcome(context.Context, types.OutboxEntry, types.PacketOutcome) error {
	return nil
}
