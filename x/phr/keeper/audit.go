package keeper

import (
	"context"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
)

// auditSuccess appends the entry for an action that took effect. Refused
// transactions leave no entry: their state changes, audit included, are
// discarded with the tx, and the refusal itself is in the tx result.
// It returns the entry's sequence.
func (k Keeper) auditSuccess(ctx context.Context, action, actor, patient, objectID string) (uint64, error) {
	e, err := k.audit.Append(ctx, audittypes.Record{
		Action: action, Actor: actor, Patient: patient, ObjectID: objectID, Outcome: audittypes.OUTCOME_SUCCESS,
	})
	return e.Sequence, err
}
