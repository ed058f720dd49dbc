package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// EndBlock expires grants whose expiry has passed and tasks whose deadline
// height is reached, in key order (deterministic).
func (k *Keeper) EndBlock(ctx context.Context) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if err := k.expireGrants(ctx, sdkCtx.BlockTime()); err != nil {
		return err
	}
	return k.expireTasks(ctx, sdkCtx.BlockHeight())
}

func (k *Keeper) expireTasks(ctx context.Context, height int64) error {
	var due []uint64
	rng := new(collections.Range[collections.Pair[int64, uint64]]).EndInclusive(collections.Join(height, uint64(1<<63)))
	err := k.TasksByDeadline.Walk(ctx, rng, func(key collections.Pair[int64, uint64]) (bool, error) {
		due = append(due, key.K2())
		return false, nil
	})
	if err != nil {
		return err
	}
	for _, id := range due {
		t, err := k.Tasks.Get(ctx, id)
		if err != nil {
			return err
		}
		if err := k.closeTask(ctx, t, types.TASK_STATUS_EXPIRED); err != nil {
			return err
		}
		g, err := k.GetGrant(ctx, t.GrantId)
		if err != nil {
			return err
		}
		if err := k.releaseRecord(ctx, g, t.RecordId); err != nil {
			return err
		}
		if _, err := k.auditOutcome(ctx, types.ActionExpireTask, types.ModuleName, g.Patient, taskObject(id), audittypes.OUTCOME_TIMEOUT); err != nil {
			return err
		}
	}
	return nil
}

// releaseRecord undoes the fetch of a record whose share the proxies did not
// complete in time, so that the hospital may fetch it again under the grant
// without it counting twice against max_records. A record's tasks share one
// deadline; the first of them to expire releases it, its sibling finds nothing.
func (k *Keeper) releaseRecord(ctx context.Context, g types.Grant, recordID uint64) error {
	key := collections.Join(g.Id, recordID)
	share, err := k.Shares.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) || err == nil && share.Complete {
		return nil
	} else if err != nil {
		return err
	}
	if err := k.Shares.Remove(ctx, key); err != nil {
		return err
	}
	if err := k.Fetched.Remove(ctx, key); err != nil {
		return err
	}
	g.RecordsFetched--
	return k.Grants.Set(ctx, g.Id, g)
}
