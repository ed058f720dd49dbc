package keeper

// The patient chain's side of the phr packets: it receives AccessRequest
// (relay_access_request.go) and Fetch (relay_fetch.go), and sends
// GrantDecision (relay_grant_decision.go) and Share (relay_share.go) from the
// outbox. This file holds what queues the latter two: the grant and share
// paths call these for every grant, and they act on remote grants only.

import (
	"context"
	"fmt"

	"github.com/medexchain/medexchain/x/phr/types"
)

// notifyDecision queues a GrantDecision to the requester's chain when g is a
// remote grant (nothing for a local one): every decision the patient or the
// end blocker takes on a remote request reaches its hospital. The packet is
// built from the grant as it is when sent; a send that fails stays queued and
// never fails the caller.
func (k *Keeper) notifyDecision(ctx context.Context, g types.Grant, actor string) error {
	if g.Remote == nil {
		return nil
	}
	_, err := k.enqueue(ctx, types.OutboxEntry{
		Kind: types.PACKET_KIND_GRANT_DECISION, ClientId: g.Remote.ClientId, ChannelId: g.Remote.ChannelId,
		ObjectId: grantObject(g.Id), GrantId: g.Id, RequestId: g.Remote.RequestId, Actor: actor, Patient: g.Patient,
	})
	return err
}

// notifyShare queues a Share of recordID to the requester's chain when g is
// a remote grant (nothing for a local one): when the record's share is
// complete, when a fetch asks again for a complete share (the retry after a
// lost Share), and when its tasks expired and the record was released.
func (k *Keeper) notifyShare(ctx context.Context, g types.Grant, recordID uint64) error {
	if g.Remote == nil {
		return nil
	}
	_, err := k.enqueue(ctx, types.OutboxEntry{
		Kind: types.PACKET_KIND_SHARE, ClientId: g.Remote.ClientId, ChannelId: g.Remote.ChannelId,
		ObjectId: shareObject(g.Id, recordID), GrantId: g.Id, RecordId: recordID,
		Actor: types.ModuleName, Patient: g.Patient,
	})
	return err
}

func shareObject(grantID, recordID uint64) string {
	return fmt.Sprintf("%s/%s", grantObject(grantID), recordObject(recordID))
}
