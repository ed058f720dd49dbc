package keeper

import (
	"context"

	"github.com/medexchain/medexchain/x/phr/types"
)

// BuildPacket exposes buildPacket to the keeper tests: the packet an outbox
// entry would be sent as now.
func (k *Keeper) BuildPacket(ctx context.Context, e types.OutboxEntry) (*types.PacketData, error) {
	return k.buildPacket(ctx, &e)
}
