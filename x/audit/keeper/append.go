package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/audit/types"
)

// Append adds one entry at the head of the log and returns it. Block height,
// block time and chain id come from the context, so every node computes the same
// hash.
func (k Keeper) Append(ctx context.Context, r types.Record) (types.Entry, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	head, err := k.Head(ctx)
	if err != nil && !errors.Is(err, types.ErrEmptyLog) {
		return types.Entry{}, err
	}
	e := types.Entry{
		Sequence:     1,
		Height:       sdkCtx.BlockHeight(),
		Time:         sdkCtx.BlockTime().UTC(),
		ChainId:      sdkCtx.ChainID(),
		Action:       r.Action,
		Actor:        r.Actor,
		Patient:      r.Patient,
		ObjectId:     r.ObjectID,
		Counterparty: r.Counterparty,
		Outcome:      r.Outcome,
	}
	if head != nil {
		e.Sequence, e.PrevHash = head.Sequence+1, head.Hash
	}
	if err := e.ValidateBasic(); err != nil {
		return types.Entry{}, err
	}
	e.Hash = e.ComputeHash()
	if err := k.store(ctx, e); err != nil {
		return types.Entry{}, err
	}
	return e, sdkCtx.EventManager().EmitTypedEvent(&types.EventAppended{
		Sequence: e.Sequence, Action: e.Action, Actor: e.Actor, Patient: e.Patient, ObjectId: e.ObjectId, Hash: e.Hash,
	})
}

// store writes an entry with its indexes; used by Append and genesis import.
func (k Keeper) store(ctx context.Context, e types.Entry) error {
	if err := k.Entries.Set(ctx, e.Sequence, e); err != nil {
		return err
	}
	if err := k.LastSeq.Set(ctx, e.Sequence); err != nil {
		return err
	}
	if e.Patient != "" {
		if err := k.ByPatient.Set(ctx, collections.Join(e.Patient, e.Sequence)); err != nil {
			return err
		}
	}
	return k.ByActor.Set(ctx, collections.Join(e.Actor, e.Sequence))
}

// Head returns the newest entry, or ErrEmptyLog.
func (k Keeper) Head(ctx context.Context) (*types.Entry, error) {
	seq, err := k.LastSeq.Peek(ctx)
	if err != nil {
		return nil, err
	}
	if seq == 0 {
		return nil, types.ErrEmptyLog
	}
	e, err := k.Entries.Get(ctx, seq)
	if err != nil {
		return nil, err
	}
	return &e, nil
}
