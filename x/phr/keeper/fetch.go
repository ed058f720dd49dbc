package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/types"
)

// FetchRecords opens one re-encryption task for each of recordIDs (over all
// of its capsules) under grantID for a hospital of this chain, after
// checking every record against the grant's scope; nothing is opened unless
// all pass. A grant of a
// requester on a peer chain is fetched only over IBC (recvFetch).
func (k *Keeper) FetchRecords(ctx context.Context, requester sdk.AccAddress, grantID uint64, recordIDs []uint64) ([]uint64, error) {
	g, err := k.GetGrant(ctx, grantID)
	if err != nil {
		return nil, err
	}
	if g.Remote != nil {
		return nil, errorsmod.Wrapf(types.ErrRemoteGrant, "grant %d was requested over IBC by %s", g.Id, g.Requester)
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
	plan, err := k.planFetch(ctx, g, recordIDs, false)
	if err != nil {
		return nil, err
	}
	return k.openFetch(ctx, g, plan.open, func(recordID uint64) error {
		_, err := k.auditSuccess(ctx, types.ActionFetchRecords, g.Requester, g.Patient, shareObject(g.Id, recordID))
		return err
	})
}

// fetchPlan sorts the records of a fetch: open (never fetched, or released
// after their tasks expired: tasks open for them), complete (their share is
// complete: sent again over IBC) and pending (their tasks are still open).
type fetchPlan struct {
	open, complete, pending []uint64
}

// planFetch checks a fetch of recordIDs under the active grant g and writes
// nothing: 1 to max_records_per_fetch records, none twice, each in the
// grant's scope, and room for the new ones under max_records. With resend
// (the idempotent IBC fetch) records already fetched are sorted into
// complete and pending; without it they are refused.
func (k *Keeper) planFetch(ctx context.Context, g types.Grant, recordIDs []uint64, resend bool) (fetchPlan, error) {
	var plan fetchPlan
	params, err := k.Params.Get(ctx)
	if err != nil {
		return plan, err
	}
	if len(recordIDs) == 0 || len(recordIDs) > int(params.MaxRecordsPerFetch) {
		return plan, errorsmod.Wrapf(types.ErrTooManyRecords, "%d records, 1-%d per fetch", len(recordIDs), params.MaxRecordsPerFetch)
	}
	// a local fetch opens every record it names: refuse it before the records are read
	if !resend {
		if err := checkRoom(g, len(recordIDs)); err != nil {
			return plan, err
		}
	}
	seen := map[uint64]bool{}
	for _, id := range recordIDs {
		if seen[id] {
			return plan, errorsmod.Wrapf(types.ErrAlreadyFetched, "record %d listed twice", id)
		}
		seen[id] = true
		if err := k.checkInScope(ctx, g, id); err != nil {
			return plan, err
		}
		share, err := k.Shares.Get(ctx, collections.Join(g.Id, id))
		switch {
		case errors.Is(err, collections.ErrNotFound):
			plan.open = append(plan.open, id)
		case err != nil:
			return plan, err
		case !resend:
			return plan, errorsmod.Wrapf(types.ErrAlreadyFetched, "record %d under grant %d", id, g.Id)
		case share.Status == types.SHARE_STATUS_COMPLETE:
			plan.complete = append(plan.complete, id)
		default:
			plan.pending = append(plan.pending, id)
		}
	}
	return plan, checkRoom(g, len(plan.open))
}

// checkRoom: n more records fit under the grant's max_records.
func checkRoom(g types.Grant, n int) error {
	if uint64(g.RecordsFetched)+uint64(n) > uint64(g.Scope.MaxRecords) {
		return errorsmod.Wrapf(types.ErrScopeExhausted, "grant %d: %d of %d records fetched, %d more asked",
			g.Id, g.RecordsFetched, g.Scope.MaxRecords, n)
	}
	return nil
}

// openFetch opens the tasks and the pending share of each of recordIDs
// (checked by planFetch) under g, audits each record with audit and counts
// them against max_records. It returns the task ids.
func (k *Keeper) openFetch(ctx context.Context, g types.Grant, recordIDs []uint64, audit func(recordID uint64) error) ([]uint64, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	deadline := sdkCtx.BlockHeight() + int64(params.TaskTimeoutBlocks)
	var taskIDs []uint64
	for _, recordID := range recordIDs {
		id, err := k.openTask(ctx, g, recordID, deadline)
		if err != nil {
			return nil, err
		}
		taskIDs = append(taskIDs, id)
		if err := k.Shares.Set(ctx, collections.Join(g.Id, recordID), types.Share{
			GrantId: g.Id, RecordId: recordID, Requester: g.Requester,
			FirstLevel: make([][]byte, crf.NumCapsules), Height: sdkCtx.BlockHeight(),
			Status: types.SHARE_STATUS_PENDING, FetchedHeight: sdkCtx.BlockHeight(),
		}); err != nil {
			return nil, err
		}
		if err := audit(recordID); err != nil {
			return nil, err
		}
	}
	if len(recordIDs) == 0 {
		return taskIDs, nil
	}
	g.RecordsFetched += uint32(len(recordIDs))
	return taskIDs, k.Grants.Set(ctx, g.Id, g)
}

// checkInScope: the record belongs to the grant's patient, vault and epoch
// and lies in its time window.
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
	return nil
}

// openTask opens the task of one record; the Tasks indexes put it in every
// committee member's pending set and in the deadline queue.
func (k *Keeper) openTask(ctx context.Context, g types.Grant, recordID uint64, deadline int64) (uint64, error) {
	id, err := k.TaskSeq.Next(ctx)
	if err != nil {
		return 0, err
	}
	id++
	t := types.Task{
		Id: id, GrantId: g.Id, RecordId: recordID, Status: types.TASK_STATUS_OPEN,
		OpenedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight(), DeadlineHeight: deadline, Committee: g.Proxies,
	}
	return id, k.Tasks.Set(ctx, id, t)
}
