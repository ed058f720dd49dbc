package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// recvFetch opens tasks for a Fetch from a peer's hospital, through the same
// checks and writes as FetchRecords. The grant must be remote and obtained
// over exactly this path (client, channel) by the packet's requester; the
// peer being still admitted (OnRecvPacket's CheckPeer) takes the place of
// the local hospital membership. The fetch is idempotent: a record whose
// share is complete is sent again (a new Share entry) and listed in
// already_complete, one whose tasks are open is left to them, the others
// open tasks and count against max_records. Everything is checked before
// the first write. Each record named gets an ActionRecvFetch entry; the ack
// carries the last one's hash (which chains the others).
func (k *Keeper) recvFetch(ctx context.Context, origin types.PacketOrigin, senderHash []byte, p *types.FetchPacket) (*types.PacketAck, error) {
	g, err := k.GetGrant(ctx, p.GrantId)
	if err != nil {
		return nil, err
	}
	if g.Remote == nil {
		return nil, errorsmod.Wrapf(types.ErrLocalGrant, "grant %d was requested on this chain", g.Id)
	}
	if g.Remote.ClientId != origin.ClientID || g.Remote.ChannelId != origin.ChannelID || g.Remote.Address != p.Requester {
		return nil, errorsmod.Wrapf(types.ErrNotRequester, "grant %d was requested by %s", g.Id, g.Requester)
	}
	if err := k.activeGrant(ctx, g); err != nil {
		return nil, err
	}
	plan, err := k.planFetch(ctx, g, p.RecordIds, true)
	if err != nil {
		return nil, err
	}

	cp := originCounterparty(origin, senderHash)
	var hash []byte
	audit := func(recordID uint64) error {
		h, err := k.auditIBC(ctx, types.ActionRecvFetch, g.Requester, g.Patient, shareObject(g.Id, recordID), cp, audittypes.OUTCOME_SUCCESS)
		hash = h
		return err
	}
	taskIDs, err := k.openFetch(ctx, g, plan.open, audit)
	if err != nil {
		return nil, err
	}
	for _, id := range plan.complete {
		if err := audit(id); err != nil {
			return nil, err
		}
		if err := k.notifyShare(ctx, g, id); err != nil {
			return nil, err
		}
	}
	for _, id := range plan.pending {
		if err := audit(id); err != nil {
			return nil, err
		}
	}
	return &types.PacketAck{ReceiverAuditHash: hash, TaskIds: taskIDs, AlreadyComplete: plan.complete}, nil
}
