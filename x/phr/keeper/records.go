package keeper

import (
	"context"
	"time"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/types"
)

// maxClockSkew is how far past the block time a record's public time may lie:
// the gateway's clock may run ahead of the block time, which in CheckTx is the
// previous block's. It allows no back-dating (max_upload_delay bounds that).
const maxClockSkew = 5 * time.Minute

// UploadTarget runs the stateful checks of an upload by gateway and returns
// the device and the vault key the record's capsules are under. The chain
// firewall calls it before touching the capsules (it needs the key to
// rerandomize them) and UploadRecord calls it again, so both see the same rules.
func (k *Keeper) UploadTarget(ctx context.Context, gateway sdk.AccAddress, up types.RecordUpload) (types.Device, []byte, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.Device{}, nil, err
	}
	if uint64(len(up.Body)) > params.MaxRecordBytes {
		return types.Device{}, nil, errorsmod.Wrapf(types.ErrRecordTooLarge, "%d bytes, at most %d", len(up.Body), params.MaxRecordBytes)
	}
	d, err := k.GetDevice(ctx, up.DeviceID)
	if err != nil {
		return d, nil, err
	}
	if !d.Active {
		return d, nil, errorsmod.Wrapf(types.ErrDeviceInactive, "%q", d.Id)
	}
	if d.Gateway != gateway.String() {
		return d, nil, errorsmod.Wrapf(types.ErrNotDeviceGateway, "%s may not upload for %q (its gateway is %s)", gateway, d.Id, d.Gateway)
	}
	patient := sdk.MustAccAddressFromBech32(d.Patient)
	v, err := k.GetVault(ctx, patient, d.Vault)
	if err != nil {
		return d, nil, err
	}
	if up.Epoch != v.Epoch {
		return d, nil, errorsmod.Wrapf(types.ErrWrongEpoch, "record for epoch %d, vault %q is at epoch %d", up.Epoch, d.Vault, v.Epoch)
	}
	meta := crf.PublicMeta{DeviceID: d.Id, Vault: d.Vault, Epoch: up.Epoch, Time: up.Time, ResourceType: up.ResourceType}
	if err := meta.Validate(); err != nil {
		return d, nil, errorsmod.Wrapf(types.ErrInvalidRecord, "public metadata: %v (time must be UTC, whole minutes; resource type a FHIR type)", err)
	}
	// No back-dating: the grant window is applied to this time (fetch.go),
	// so it must be about when the record reached the chain.
	blockTime := sdk.UnwrapSDKContext(ctx).BlockTime()
	earliest := blockTime.Add(-time.Duration(params.MaxUploadDelaySeconds) * time.Second)
	if up.Time.Before(earliest) || up.Time.After(blockTime.Add(maxClockSkew)) {
		return d, nil, errorsmod.Wrapf(types.ErrRecordTime, "time %s, block time %s, max_upload_delay %ds",
			up.Time.UTC(), blockTime.UTC(), params.MaxUploadDelaySeconds)
	}
	return d, v.PublicKey, nil
}

// UploadRecord stores a record uploaded by gateway with the capsules the
// chain firewall produced; nil capsules (the firewall produced none) are
// refused after the stateful checks, so that a target that changed since the
// firewall ran is refused with its own error.
func (k *Keeper) UploadRecord(ctx context.Context, gateway sdk.AccAddress, up types.RecordUpload, capsules [][]byte) (uint64, error) {
	d, _, err := k.UploadTarget(ctx, gateway, up)
	if err != nil {
		return 0, err
	}
	if capsules == nil {
		return 0, types.ErrNotFirewalled
	}
	id, err := k.RecordSeq.Next(ctx)
	if err != nil {
		return 0, err
	}
	id++ // ids start at 1 so that 0 never names a record
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	rec := types.Record{
		Id: id, Patient: d.Patient, Vault: d.Vault, Epoch: up.Epoch, DeviceId: d.Id, Gateway: gateway.String(),
		Time: up.Time.UTC(), ResourceType: up.ResourceType, Capsules: capsules, Body: up.Body, Height: sdkCtx.BlockHeight(),
	}
	if err := k.setRecord(ctx, rec); err != nil {
		return 0, err
	}
	_, err = k.auditSuccess(ctx, types.ActionUploadRecord, gateway.String(), d.Patient, recordObject(id))
	return id, err
}
