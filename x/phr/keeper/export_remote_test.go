package keeper

import (
	"context"

	"github.com/medexchain/medexchain/x/phr/types"
)

// BuildPacket exposes buildPacket to the hospital side's tests: the packet an
// outbox entry is sent as.
func (k *Keeper) BuildPacket(ctx context.Context, e *types.OutboxEntry) (*types.PacketData, error) {
	return k.buildPacket(ctx, e)
}
