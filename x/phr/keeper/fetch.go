package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/types"
)

// FetchRecords opens one re-encryption task per capsule of each of recordIDs
// under grantID, after checking every record against the grant's scope;
// nothing is opened unless all pass.
func (k *Keeper) FetchRecords(ctx context.Context, requester sdk.AccAddress, grantID uint64, recordIDs []uint64) ([]uint64, error) {
	g, err := k.GetGrant(ctx, grantID)
	if err != nil {
		return nil, err
	}
	if g.Requester != requester.String() {
		return nil, errorsmod.Wrapf(types.ErrNotRequester, "grant %d was requested by %s", g.Id, g.Requester)
	}
	// A hospital removed by the authority loses its grants' future fetches.
	if ok, err := k.IsMember(ctx, requester, types.ROLE_HOSPITAL); err != nil {
		return nil, err
	} else if !ok {
		return nil, errorsmod.Wrapf(types.ErrNotHospital, "%s is no longer an admitted hospital", requester)
	}
	if err := k.activeGrant(ctx, g); err != nil {
		return nil, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if len(recordIDs) == 0 || len(recordIDs) > int(params.MaxRecordsPerFetch) {
		return nil, errorsmod.Wrapf(types.ErrTooManyRecords, "%d records, 1-%d per fetch", len(recordIDs), params.MaxRecordsPerFetch)
	}
	if uint64(g.RecordsFetched)+uint64(len(recordIDs)) > uint64(g.Scope.MaxRecords) {
		return nil, errorsmod.Wrapf(types.ErrScopeExhausted, "grant %d: %d of %d records fetched, %d more asked",
			g.Id, g.RecordsFetched, g.Scope.MaxRecords, len(recordIDs))
	}
	seen := map[uint64]bool{}
	for _, id := range recordIDs {
		if seen[id] {
			return nil, errorsmod.Wrapf(types.ErrAlreadyFetched, "record %d listed twice", id)
		}
		seen[id] = true
		if err := k.checkInScope(ctx, g, id); err != nil {
			return nil, err
		}
	}

	sdkCtx := sdk.UnwrapSDKContext(ctx)
	deadline := sdkCtx.BlockHeight() + int64(params.TaskTimeoutBlocks)
	var taskIDs []uint64
	for _, recordID := range recordIDs {
		for idx := uint32(0); idx < crf.NumCapsules; idx++ {
			id, err := k.openTask(ctx, g, recordID, idx, deadline)
			if err != nil {
				return nil, err
			}
			taskIDs = append(taskIDs, id)
		}
		if err := k.Shares.Set(ctx, collections.Join(g.Id, recordID), types.Share{
			GrantId: g.Id, RecordId: recordID, Requester: g.Requester,
			FirstLevel: make([][]byte, crf.NumCapsules), Height: sdkCtx.BlockHeight(),
			Status: types.SHARE_STATUS_PENDING, FetchedHeight: sdkCtx.BlockHeight(),
		}); err != nil {
			return nil, err
		}
		if _, err := k.auditSuccess(ctx, types.ActionFetchRecords, g.Requester, g.Patient, fmt.Sprintf("%s/%s", grantObject(g.Id), recordObject(recordID))); err != nil {
			return nil, err
		}
	}
	g.RecordsFetched += uint32(len(recordIDs))
	return taskIDs, k.Grants.Set(ctx, g.Id, g)
}

// checkInScope: the record belongs to the grant's patient, vault and epoch,
// lies in its time window and was not fetched under it before.
func (k *Keeper) checkInScope(ctx context.Context, g types.Grant, recordID uint64) error {
	r, err := k.recordHead(ctx, recordID)
	if err != nil {
		return err
	}
	switch {
	case r.Patient != g.Patient || r.Vault != g.Vault:
		return errorsmod.Wrapf(types.ErrOutOfScope, "record %d is not in vault %s/%s", recordID, g.Patient, g.Vault)
	case r.Epoch != g.Epoch:
		return errorsmod.Wrapf(types.ErrOutOfScope, "record %d is of epoch %d, the grant covers epoch %d", recordID, r.Epoch, g.Epoch)
	case r.Time.Before(g.Scope.FromTime) || !r.Time.Before(g.Scope.ToTime):
		return errorsmod.Wrapf(types.ErrOutOfScope, "record %d at %s is outside [%s, %s)", recordID, r.Time, g.Scope.FromTime, g.Scope.ToTime)
	}
	if done, err := k.Shares.Has(ctx, collections.Join(g.Id, recordID)); err != nil {
		return err
	} else if done {
		return errorsmod.Wrapf(types.ErrAlreadyFetched, "record %d under grant %d", recordID, g.Id)
	}
	return nil
}

// openTask opens one task; the Tasks indexes put it in every committee
// member's pending set and in the deadline queue.
func (k *Keeper) openTask(ctx context.Context, g types.Grant, recordID uint64, capsule uint32, deadline int64) (uint64, error) {
	id, err := k.TaskSeq.Next(ctx)
	if err != nil {
		return 0, err
	}
	id++
	t := types.Task{
		Id: id, GrantId: g.Id, RecordId: recordID, CapsuleIndex: capsule, Status: types.TASK_STATUS_OPEN,
		OpenedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight(), DeadlineHeight: deadline, Committee: g.Proxies,
	}
	return id, k.Tasks.Set(ctx, id, t)
}
