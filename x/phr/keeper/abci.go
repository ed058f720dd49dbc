package keeper

import (
	"context"
	"errors"
	"math"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// EndBlock expires at most max_expiries_per_block requests, grants and tasks,
// in that budget's order: grants whose expiry passed, then tasks whose
// deadline height is reached, then requests whose requested expiry passed;
// each queue in key order (deterministic). What the budget leaves waits for
// the next block. A delay is harmless: activeGrant refuses a grant past its
// expiry by block time, AnswerTarget a task past its deadline height, and a
// request cannot be granted past its requested expiry.
func (k *Keeper) EndBlock(ctx context.Context) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	budget := int(params.MaxExpiriesPerBlock)
	now := queueTime(sdkCtx.BlockTime())
	n, err := k.expireGrants(ctx, k.Grants.Indexes.GrantQueue, now, budget)
	if err != nil {
		return err
	}
	budget -= n
	if n, err = k.expireTasks(ctx, sdkCtx.BlockHeight(), budget); err != nil {
		return err
	}
	budget -= n
	if _, err = k.expireGrants(ctx, k.Grants.Indexes.RequestQueue, now, budget); err != nil {
		return err
	}
	return k.sendPending(ctx, sdkCtx.BlockHeight(), int(params.MaxOutboxSendsPerBlock))
}

// due returns up to limit ids at the head of queue whose key is at most until.
func due(ctx context.Context, queue collections.KeySet[queueKey], until int64, limit int) ([]uint64, error) {
	if limit <= 0 {
		return nil, nil
	}
	var ids []uint64
	rng := new(collections.Range[queueKey]).EndInclusive(collections.Join(until, uint64(math.MaxUint64)))
	err := queue.Walk(ctx, rng, func(key queueKey) (bool, error) {
		ids = append(ids, key.K2())
		return len(ids) == limit, nil
	})
	return ids, err
}

// expireGrants closes up to limit requests or grants of queue whose deadline
// is not after now, and queues a GrantDecision (EXPIRED) to the requester's
// chain of each remote one; it returns how many it closed.
func (k *Keeper) expireGrants(ctx context.Context, queue *refIndex[queueKey, uint64, types.Grant], now int64, limit int) (int, error) {
	ids, err := due(ctx, queue.KeySet, now, limit)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		g, err := k.GetGrant(ctx, id)
		if err != nil {
			return 0, err
		}
		if err := k.closeGrant(ctx, g, types.GRANT_STATUS_EXPIRED, ""); err != nil {
			return 0, err
		}
		if _, err := k.auditOutcome(ctx, types.ActionExpireGrant, types.ModuleName, g.Patient, grantObject(id), audittypes.OUTCOME_TIMEOUT); err != nil {
			return 0, err
		}
		g.Status = types.GRANT_STATUS_EXPIRED
		if err := k.notifyDecision(ctx, g, types.ModuleName); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// expireTasks closes up to limit open tasks whose deadline height is reached
// and releases their records; it returns how many it closed.
func (k *Keeper) expireTasks(ctx context.Context, height int64, limit int) (int, error) {
	ids, err := due(ctx, k.Tasks.Indexes.Queue.KeySet, height, limit)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		t, err := k.Tasks.Get(ctx, id)
		if err != nil {
			return 0, err
		}
		t.Status = types.TASK_STATUS_EXPIRED
		if err := k.Tasks.Set(ctx, id, t); err != nil {
			return 0, err
		}
		g, err := k.GetGrant(ctx, t.GrantId)
		if err != nil {
			return 0, err
		}
		if err := k.releaseRecord(ctx, g, t); err != nil {
			return 0, err
		}
		if _, err := k.auditOutcome(ctx, types.ActionExpireTask, types.ModuleName, g.Patient, taskObject(id), audittypes.OUTCOME_TIMEOUT); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// releaseRecord undoes the fetch of a record whose share the proxies did not
// complete in time (the expired task t's), so that the hospital may fetch it
// again under the grant without it counting twice against max_records. A
// record has one task per fetch; a share opened by a later fetch (after this
// release) is not an older task's to release, hence the fetched-height
// check. AnswerTarget refuses tasks past their deadline, so no answer
// completes a share that is gone. A remote grant's requester chain is
// sent a Share with outcome EXPIRED.
func (k *Keeper) releaseRecord(ctx context.Context, g types.Grant, t types.Task) error {
	key := collections.Join(g.Id, t.RecordId)
	share, err := k.Shares.Get(ctx, key)
	switch {
	case errors.Is(err, collections.ErrNotFound):
		return nil
	case err != nil:
		return err
	case share.Status != types.SHARE_STATUS_PENDING || share.FetchedHeight != t.OpenedHeight:
		return nil
	}
	if err := k.Shares.Remove(ctx, key); err != nil {
		return err
	}
	g.RecordsFetched--
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return err
	}
	// a requester on a peer chain learns that it may fetch the record again
	return k.notifyShare(ctx, g, t.RecordId)
}
