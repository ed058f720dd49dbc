package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/types"
)

// sharePacket is the record of e as it stands when sent: a complete share
// goes out DELIVERED with its first-level capsules, the body and the record's
// metadata with the device's registered Ed25519 key; a share that is gone
// (its tasks expired, the record released) goes out EXPIRED, with the
// metadata only, so that the hospital fetches again. A share pending again
// (fetched anew since it expired) is not sent yet: the entry stays queued and
// goes out DELIVERED or EXPIRED once that fetch ends, so a late EXPIRED never
// overtakes the new fetch.
func (k *Keeper) sharePacket(ctx context.Context, e *types.OutboxEntry) (*types.PacketData, error) {
	g, err := k.GetGrant(ctx, e.GrantId)
	if err != nil {
		return nil, err
	}
	if g.Remote == nil {
		return nil, errorsmod.Wrapf(types.ErrLocalGrant, "grant %d", g.Id)
	}
	r, err := k.recordHead(ctx, e.RecordId)
	if err != nil {
		return nil, err
	}
	d, err := k.GetDevice(ctx, r.DeviceId)
	if err != nil {
		return nil, err
	}
	p := &types.SharePacket{
		GrantId: g.Id, RecordId: r.Id, Outcome: types.SHARE_OUTCOME_EXPIRED,
		Meta: types.RecordMeta{Patient: r.Patient, Vault: r.Vault, Epoch: r.Epoch, DeviceId: r.DeviceId,
			Time: r.Time, ResourceType: r.ResourceType, DeviceKey: d.PublicKey},
	}
	share, err := k.Shares.Get(ctx, collections.Join(g.Id, r.Id))
	switch {
	case errors.Is(err, collections.ErrNotFound):
	case err != nil:
		return nil, err
	case share.Status == types.SHARE_STATUS_COMPLETE:
		if p.Body, err = k.RecordBodies.Get(ctx, r.Id); err != nil {
			return nil, err
		}
		p.Outcome, p.FirstLevel = types.SHARE_OUTCOME_DELIVERED, share.FirstLevel
	default:
		return nil, errorsmod.Wrapf(types.ErrInvalidShare, "record %d under grant %d is being fetched again: sent when that fetch ends", r.Id, g.Id)
	}
	return &types.PacketData{Body: &types.PacketData_Share{Share: p}}, nil
}

// onShareOutcome does nothing more than OnPacketOutcome's audit entry: after
// a lost Share the hospital's chain fetches again, and the fetch re-sends a
// complete share.
func (k *Keeper) onShareOutcome(context.Context, types.OutboxEntry, types.PacketOutcome) error {
	return nil
}
