package keeper

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// RegisterPatient validates everything before writing anything, so a refused
// registration leaves the store untouched even outside a tx. It returns the
// sequence of the registration's audit entry.
func (k *Keeper) RegisterPatient(ctx context.Context, patient sdk.AccAddress, vaults []types.VaultKey) (uint64, error) {
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
		if err := k.setVault(ctx, patient, types.Vault{
			Patient: addr, Name: v.Name, PublicKey: v.PublicKey, Epoch: 1, CreatedHeight: sdkCtx.BlockHeight(),
		}); err != nil {
			return 0, err
		}
	}
	return k.auditSuccess(ctx, types.ActionRegisterPatient, addr, addr, addr)
}

// PatientVaults lists a patient's vaults in name order.
func (k *Keeper) PatientVaults(ctx context.Context, patient sdk.AccAddress) ([]types.Vault, error) {
	var out []types.Vault
	rng := collections.NewPrefixedPairRange[sdk.AccAddress, string](patient)
	err := k.Vaults.Walk(ctx, rng, func(_ collections.Pair[sdk.AccAddress, string], v types.Vault) (bool, error) {
		out = append(out, v)
		return false, nil
	})
	return out, err
}

// GetVault returns a patient's vault, or ErrVaultNotFound.
func (k *Keeper) GetVault(ctx context.Context, patient sdk.AccAddress, name string) (types.Vault, error) {
	v, err := k.Vaults.Get(ctx, collections.Join(patient, name))
	if errors.Is(err, collections.ErrNotFound) {
		return v, errorsmod.Wrapf(types.ErrVaultNotFound, "%s/%s", patient, name)
	}
	return v, err
}

// VaultKeyAt returns the public key a vault had in epoch.
func (k *Keeper) VaultKeyAt(ctx context.Context, patient sdk.AccAddress, name string, epoch uint64) ([]byte, error) {
	e, err := k.VaultEpochs.Get(ctx, collections.Join3(patient, name, epoch))
	if errors.Is(err, collections.ErrNotFound) {
		return nil, errorsmod.Wrapf(types.ErrVaultNotFound, "%s/%s epoch %d", patient, name, epoch)
	}
	return e.PublicKey, err
}

// setVault writes the current vault and the key of its epoch.
func (k *Keeper) setVault(ctx context.Context, patient sdk.AccAddress, v types.Vault) error {
	if err := k.Vaults.Set(ctx, collections.Join(patient, v.Name), v); err != nil {
		return err
	}
	return k.VaultEpochs.Set(ctx, collections.Join3(patient, v.Name, v.Epoch), types.VaultEpochKey{
		Patient: v.Patient, Vault: v.Name, Epoch: v.Epoch, PublicKey: v.PublicKey,
		CreatedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight(),
	})
}

// RotateVaultKey starts the vault's next epoch with a new key: devices encrypt
// to it from now on, new requests name it, and grants of older epochs cannot
// reach records of the new one (docs/crypto.md §2 and §10).
func (k *Keeper) RotateVaultKey(ctx context.Context, patient sdk.AccAddress, name string, key []byte) (uint64, error) {
	v, err := k.GetVault(ctx, patient, name)
	if err != nil {
		return 0, err
	}
	if err := types.ValidateVaultPublicKey(key); err != nil {
		return 0, err
	}
	// A rotation that keeps an old key would cut nobody off.
	rng := collections.NewSuperPrefixedTripleRange[sdk.AccAddress, string, uint64](patient, name)
	err = k.VaultEpochs.Walk(ctx, rng, func(_ collections.Triple[sdk.AccAddress, string, uint64], e types.VaultEpochKey) (bool, error) {
		if bytes.Equal(e.PublicKey, key) {
			return true, errorsmod.Wrapf(types.ErrVaultKeyReused, "vault %q had this key in epoch %d", name, e.Epoch)
		}
		return false, nil
	})
	if err != nil {
		return 0, err
	}
	v.Epoch++
	v.PublicKey = key
	if err := k.setVault(ctx, patient, v); err != nil {
		return 0, err
	}
	_, err = k.auditSuccess(ctx, types.ActionRotateVaultKey, v.Patient, v.Patient, fmt.Sprintf("vault/%s/epoch/%d", name, v.Epoch))
	return v.Epoch, err
}
