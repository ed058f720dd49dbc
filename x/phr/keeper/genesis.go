package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// InitGenesis writes a validated registry. Imported entries are not audited
// again: the audit module imports its own log alongside.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, p := range gs.Patients {
		if err := k.Patients.Set(ctx, sdk.MustAccAddressFromBech32(p.Address), p); err != nil {
			return err
		}
	}
	for _, v := range gs.Vaults {
		if err := k.Vaults.Set(ctx, collections.Join(sdk.MustAccAddressFromBech32(v.Patient), v.Name), v); err != nil {
			return err
		}
	}
	for _, m := range gs.Members {
		if err := k.Members.Set(ctx, collections.Join(sdk.MustAccAddressFromBech32(m.Address), int32(m.Role)), m); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis writes the registry in key order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if gs.Patients, err = values(ctx, k.Patients); err != nil {
		return nil, err
	}
	if gs.Vaults, err = values(ctx, k.Vaults); err != nil {
		return nil, err
	}
	if gs.Members, err = values(ctx, k.Members); err != nil {
		return nil, err
	}
	return gs, nil
}

func values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	it, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return it.Values()
}
