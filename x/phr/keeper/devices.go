package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// RegisterDevice binds device deviceID's key publicKey to one of the
// patient's vaults and to the gateway that will upload for it.
func (k *Keeper) RegisterDevice(ctx context.Context, patient sdk.AccAddress, deviceID, vault string, publicKey []byte, gateway sdk.AccAddress) error {
	if err := types.ValidateDeviceID(deviceID); err != nil {
		return err
	}
	// strict, like every other key on chain: with a small-order key (the
	// identity, say) crypto/ed25519 verifies forged signatures
	if _, err := keys.DecodeDevicePublicKey(publicKey); err != nil {
		return errorsmod.Wrapf(types.ErrInvalidDevice, "Ed25519 public key (32 bytes, canonical, not of small order): %v", err)
	}
	if _, err := k.GetVault(ctx, patient, vault); err != nil {
		return err
	}
	if has, err := k.Devices.Has(ctx, deviceID); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrDeviceExists, "%q", deviceID)
	}
	d := types.Device{
		Id: deviceID, Patient: patient.String(), Vault: vault, PublicKey: publicKey,
		Gateway: gateway.String(), Active: true, RegisteredHeight: sdk.UnwrapSDKContext(ctx).BlockHeight(),
	}
	if err := k.Devices.Set(ctx, d.Id, d); err != nil {
		return err
	}
	if err := k.DevicesByPatient.Set(ctx, collections.Join(patient, d.Id)); err != nil {
		return err
	}
	_, err := k.auditSuccess(ctx, types.ActionRegisterDevice, d.Patient, d.Patient, "device/"+d.Id)
	return err
}

// GetDevice returns a device, or ErrDeviceNotFound.
func (k *Keeper) GetDevice(ctx context.Context, id string) (types.Device, error) {
	d, err := k.Devices.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return d, errorsmod.Wrapf(types.ErrDeviceNotFound, "%q", id)
	}
	return d, err
}

// DeactivateDevice stops uploads for a device; its records stay.
func (k *Keeper) DeactivateDevice(ctx context.Context, patient sdk.AccAddress, id string) error {
	d, err := k.GetDevice(ctx, id)
	if err != nil {
		return err
	}
	if d.Patient != patient.String() {
		return errorsmod.Wrapf(types.ErrDeviceNotFound, "%q is not a device of %s", id, patient)
	}
	if !d.Active {
		return errorsmod.Wrapf(types.ErrDeviceInactive, "%q", id)
	}
	d.Active = false
	if err := k.Devices.Set(ctx, id, d); err != nil {
		return err
	}
	_, err = k.auditSuccess(ctx, types.ActionDeactivateDevice, d.Patient, d.Patient, "device/"+id)
	return err
}
