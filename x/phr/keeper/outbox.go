package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// maxRetryBackoffBlocks caps the wait between two sends of a queued packet.
const maxRetryBackoffBlocks = 64

// EventTypeOutboxSendFailed is emitted when a queued packet could not be
// sent; it stays queued.
const EventTypeOutboxSendFailed = "phr_outbox_send_failed"

// enqueue stores e as pending and tries to send it at once. An IBC problem
// (closed channel, expired client, removed peer) leaves it queued for the end
// blocker and never fails the caller: a patient's, a proxy's or a hospital's
// tx does not depend on the health of a path.
func (k *Keeper) enqueue(ctx context.Context, e types.OutboxEntry) (uint64, error) {
	id, err := k.OutboxSeq.Next(ctx)
	if err != nil {
		return 0, err
	}
	e.Id = id + 1
	e.Status = types.OUTBOX_STATUS_PENDING
	e.CreatedHeight = sdk.UnwrapSDKContext(ctx).BlockHeight()
	return e.Id, k.trySend(ctx, e)
}

// trySend sends e inside a cache context: the send's audit entry, the packet
// commitment and e's new state are written together or not at all. On
// failure e is queued again after a backoff that doubles per attempt.
func (k *Keeper) trySend(ctx context.Context, e types.OutboxEntry) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	cache, write := sdkCtx.CacheContext()
	sendErr := k.send(cache, e)
	if sendErr == nil {
		write()
		return nil
	}
	e.Attempts++
	backoff := int64(1) << min(e.Attempts, 6)
	e.RetryHeight = sdkCtx.BlockHeight() + min(backoff, maxRetryBackoffBlocks)
	sdkCtx.EventManager().EmitEvent(sdk.NewEvent(EventTypeOutboxSendFailed,
		sdk.NewAttribute("outbox_id", fmt.Sprint(e.Id)),
		sdk.NewAttribute("kind", e.Kind.String()),
		sdk.NewAttribute("retry_height", fmt.Sprint(e.RetryHeight)),
		sdk.NewAttribute("error", sendErr.Error()),
	))
	if err := k.OutboxPending.Set(ctx, collections.Join(e.RetryHeight, e.Id)); err != nil {
		return err
	}
	return k.Outbox.Set(ctx, e.Id, e)
}

// send builds e's packet from state, audits the send, sends it and marks e in
// flight; the packet carries the send entry's hash.
func (k *Keeper) send(ctx sdk.Context, e types.OutboxEntry) error {
	peer, err := k.CheckPeer(ctx, e.ClientId)
	if err != nil {
		return err
	}
	data, err := k.buildPacket(ctx, &e)
	if err != nil {
		return err
	}
	cp := audittypes.Counterparty{ClientId: e.ClientId, ChannelId: e.ChannelId, ChainId: peer.ChainId}
	hash, err := k.auditIBC(ctx, types.ActionIBCSend, e.Actor, e.Patient, outboxObject(&e), cp, audittypes.OUTCOME_SUCCESS)
	if err != nil {
		return err
	}
	data.SenderAuditHash = hash
	bz, err := types.EncodePacketData(data)
	if err != nil {
		return err
	}
	seq, err := k.sendPacket(ctx, &e, bz)
	if err != nil {
		return err
	}
	e.Status, e.Sequence, e.SentHeight, e.SenderAuditHash = types.OUTBOX_STATUS_IN_FLIGHT, seq, ctx.BlockHeight(), hash
	e.Attempts++
	e.RetryHeight = 0
	if err := k.OutboxInFlight.Set(ctx, collections.Join(e.Path(), seq), e.Id); err != nil {
		return err
	}
	return k.Outbox.Set(ctx, e.Id, e)
}

// buildPacket is the body of e's packet, built from state when it is sent
// (a Share from the share and record as they are then).
func (k *Keeper) buildPacket(ctx context.Context, e *types.OutboxEntry) (*types.PacketData, error) {
	switch e.Kind {
	case types.PACKET_KIND_ACCESS_REQUEST:
		return k.accessRequestPacket(ctx, e)
	case types.PACKET_KIND_GRANT_DECISION:
		return k.grantDecisionPacket(ctx, e)
	case types.PACKET_KIND_FETCH:
		return k.fetchPacket(ctx, e)
	case types.PACKET_KIND_SHARE:
		return k.sharePacket(ctx, e)
	}
	return nil, errorsmod.Wrapf(types.ErrInvalidPacket, "outbox entry %d of kind %s", e.Id, e.Kind)
}

// sendPending (re)sends at most limit queued entries that are due; each
// failure queues its entry again further on, so a broken path cannot hold
// the queue's head.
func (k *Keeper) sendPending(ctx context.Context, height int64, limit int) error {
	if limit <= 0 {
		return nil
	}
	rng := new(collections.Range[collections.Pair[int64, uint64]]).
		EndInclusive(collections.Join(height, ^uint64(0)))
	iter, err := k.OutboxPending.Iterate(ctx, rng)
	if err != nil {
		return err
	}
	keys, err := iter.Keys()
	if err != nil {
		return err
	}
	if len(keys) > limit {
		keys = keys[:limit]
	}
	for _, key := range keys {
		if err := k.OutboxPending.Remove(ctx, key); err != nil {
			return err
		}
		e, err := k.Outbox.Get(ctx, key.K2())
		if err != nil {
			return err
		}
		if e.Status != types.OUTBOX_STATUS_PENDING {
			continue
		}
		if err := k.trySend(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// OnPacketOutcome records what became of the packet sent over path with
// sequence: it audits the receipt (with the receiver's entry hash), the
// error ack or the timeout, and lets the packet's kind react (a request
// accepted, a decision re-queued...). It never returns an error for an
// application-level condition (an unknown packet, a kind's reaction that
// fails): an error would revert the relayer's tx and strand the packet.
func (k *Keeper) OnPacketOutcome(ctx context.Context, path string, sequence uint64, out types.PacketOutcome) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	id, err := k.OutboxInFlight.Get(ctx, collections.Join(path, sequence))
	if errors.Is(err, collections.ErrNotFound) {
		sdkCtx.Logger().Info("phr: outcome of a packet not in the outbox", "path", path, "sequence", sequence)
		return nil
	} else if err != nil {
		return err
	}
	if err := k.OutboxInFlight.Remove(ctx, collections.Join(path, sequence)); err != nil {
		return err
	}
	e, err := k.Outbox.Get(ctx, id)
	if err != nil {
		return err
	}
	cp := audittypes.Counterparty{ClientId: e.ClientId, ChannelId: e.ChannelId}
	if peer, err := k.GetPeer(ctx, e.ClientId); err == nil {
		cp.ChainId = peer.ChainId
	}
	action, outcome, object := types.ActionIBCReceipt, audittypes.OUTCOME_SUCCESS, outboxObject(&e)
	switch {
	case out.Timeout:
		e.Status = types.OUTBOX_STATUS_TIMED_OUT
		action, outcome = types.ActionIBCTimeout, audittypes.OUTCOME_TIMEOUT
	case out.Ack == nil:
		e.Status, e.Error = types.OUTBOX_STATUS_ERROR_ACK, out.Error
		action, outcome = types.ActionIBCErrorAck, audittypes.OUTCOME_ERROR_ACK
		object += "/" + out.Error
	default:
		e.Status, e.ReceiverAuditHash = types.OUTBOX_STATUS_ACKED, out.Ack.ReceiverAuditHash
		cp.EntryHash = out.Ack.ReceiverAuditHash
	}
	if _, err := k.auditIBC(ctx, action, e.Actor, e.Patient, object, cp, outcome); err != nil {
		return err
	}
	if err := k.Outbox.Set(ctx, e.Id, e); err != nil {
		return err
	}
	cache, write := sdkCtx.CacheContext()
	if err := k.onOutcome(cache, e, out); err != nil {
		sdkCtx.Logger().Error("phr: reacting to a packet outcome", "outbox_id", e.Id, "kind", e.Kind.String(), "error", err)
		return nil
	}
	write()
	return nil
}

// onOutcome is the reaction of each packet kind to its outcome.
func (k *Keeper) onOutcome(ctx context.Context, e types.OutboxEntry, out types.PacketOutcome) error {
	switch e.Kind {
	case types.PACKET_KIND_ACCESS_REQUEST:
		return k.onAccessRequestOutcome(ctx, e, out)
	case types.PACKET_KIND_GRANT_DECISION:
		return k.onGrantDecisionOutcome(ctx, e, out)
	case types.PACKET_KIND_FETCH:
		return k.onFetchOutcome(ctx, e, out)
	case types.PACKET_KIND_SHARE:
		return k.onShareOutcome(ctx, e, out)
	}
	return nil
}

// outboxObject names a sent packet in the audit log: its kind and object.
func outboxObject(e *types.OutboxEntry) string {
	return e.Kind.String() + "/" + e.ObjectId
}
