package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/types"
)

// setRecord stores r with its body apart from the rest, so that reading the
// capsules never reads the body.
func (k *Keeper) setRecord(ctx context.Context, r types.Record) error {
	if err := k.RecordBodies.Set(ctx, r.Id, r.Body); err != nil {
		return err
	}
	r.Body = nil
	return k.Records.Set(ctx, r.Id, r)
}

// GetRecord returns a whole record, body included, or ErrRecordNotFound.
func (k *Keeper) GetRecord(ctx context.Context, id uint64) (types.Record, error) {
	r, err := k.recordHead(ctx, id)
	if err != nil {
		return r, err
	}
	if r.Body, err = k.RecordBodies.Get(ctx, id); err != nil {
		return r, errorsmod.Wrapf(err, "body of record %d", id)
	}
	return r, nil
}

// recordHead returns a record without its body (metadata and capsules), or
// ErrRecordNotFound: what a fetch, an answer and a combination read.
func (k *Keeper) recordHead(ctx context.Context, id uint64) (types.Record, error) {
	r, err := k.Records.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return r, errorsmod.Wrapf(types.ErrRecordNotFound, "%d", id)
	}
	return r, err
}
