package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// RegisterPatient validates everything before writing anything, so a refused
// registration leaves the store untouched even outside a tx. It returns the
// sequence of the registration's audit entry.
func (k Keeper) RegisterPatient(ctx context.Context, patient sdk.AccAddress, vaults []types.VaultKey) (uint64, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	if err := types.ValidateVaultKeys(vaults, params.MaxVaultsPerPatient); err != nil {
		return 0, err
	}
	if has, err := k.Patients.Has(ctx, patient); err != nil {
		return 0, err
	} else if has {
		return 0, errorsmod.Wrapf(types.ErrPatientExists, "%s", patient)
	}

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	addr := patient.String()
	if err := k.Patients.Set(ctx, patient, types.Patient{
		Address: addr, RegisteredHeight: sdkCtx.BlockHeight(), RegisteredTime: sdkCtx.BlockTime().UTC(),
	}); err != nil {
		return 0, err
	}
	for _, v := range vaults {
		if err := k.Vaults.Set(ctx, collections.Join(patient, v.Name), types.Vault{
			Patient: addr, Name: v.Name, PublicKey: v.PublicKey, Epoch: 1, CreatedHeight: sdkCtx.BlockHeight(),
		}); err != nil {
			return 0, err
		}
	}
	return k.auditSuccess(ctx, types.ActionRegisterPatient, addr, addr, addr)
}

// PatientVaults lists a patient's vaults in name order.
func (k Keeper) PatientVaults(ctx context.Context, patient sdk.AccAddress) ([]types.Vault, error) {
	var out []types.Vault
	rng := collections.NewPrefixedPairRange[sdk.AccAddress, string](patient)
	err := k.Vaults.Walk(ctx, rng, func(_ collections.Pair[sdk.AccAddress, string], v types.Vault) (bool, error) {
		out = append(out, v)
		return false, nil
	})
	return out, err
}
