package keeper

// The hospital chain's side of the packets (send AccessRequest and Fetch,
// receive GrantDecision and Share). Placeholder until that side lands: every
// packet of it is refused.

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/types"
)

func (k *Keeper) recvGrantDecision(context.Context, types.PacketOrigin, []byte, *types.GrantDecisionPacket) (*types.PacketAck, error) {
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "GrantDecision is not handled yet")
}

func (k *Keeper) recvShare(context.Context, types.PacketOrigin, []byte, *types.SharePacket) (*types.PacketAck, error) {
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "Share is not handled yet")
}

func (k *Keeper) accessRequestPacket(context.Context, *types.OutboxEntry) (*types.PacketData, error) {
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "AccessRequest is not built yet")
}

func (k *Keeper) fetchPacket(context.Context, *types.OutboxEntry) (*types.PacketData, error) {
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "Fetch is not built yet")
}

func (k *Keeper) onAccessRequestOutcome(context.Context, types.OutboxEntry, types.PacketOutcome) error {
	return nil
}

func (k *Keeper) onFetchOutcome(context.Context, types.OutboxEntry, types.PacketOutcome) error {
	return nil
}
