package keeper

import (
	"context"

	"github.com/medexchain/medexchain/x/audit/types"
)

// InitGenesis imports the log; the links are verified again here so that a
// broken chain can never enter state.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, e := range gs.Entries {
		if err := k.store(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes the whole log in sequence order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	err = k.Entries.Walk(ctx, nil, func(_ uint64, e types.Entry) (bool, error) {
		gs.Entries = append(gs.Entries, e)
		return false, nil
	})
	return gs, err
}
