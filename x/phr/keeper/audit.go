package keeper

import (
	"context"
	"strconv"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// auditSuccess appends the entry for an action that took effect and returns
// its sequence. Refused transactions leave no entry: their writes, audit
// included, are discarded with the tx, and the refusal is in the tx result.
func (k *Keeper) auditSuccess(ctx context.Context, action, actor, patient, objectID string) (uint64, error) {
	return k.auditOutcome(ctx, action, actor, patient, objectID, audittypes.OUTCOME_SUCCESS)
}

// auditOutcome appends an entry with any outcome (timeouts come from the end blocker).
func (k *Keeper) auditOutcome(ctx context.Context, action, actor, patient, objectID string, outcome audittypes.Outcome) (uint64, error) {
	e, err := k.audit.Append(ctx, audittypes.Record{
		Action: action, Actor: actor, Patient: patient, ObjectID: objectID, Outcome: outcome,
	})
	return e.Sequence, err
}

func grantObject(id uint64) string  { return "grant/" + strconv.FormatUint(id, 10) }
func recordObject(id uint64) string { return "record/" + strconv.FormatUint(id, 10) }
func taskObject(id uint64) string   { return "task/" + strconv.FormatUint(id, 10) }

// auditIBC appends the entry of a cross-chain step and returns its hash,
// which travels to the peer (in the packet, or in the ack) so that each log
// holds the other's. cp names the peer and, where known, the peer's entry.
func (k *Keeper) auditIBC(ctx context.Context, action, actor, patient, objectID string, cp audittypes.Counterparty, outcome audittypes.Outcome) ([]byte, error) {
	e, err := k.audit.Append(ctx, audittypes.Record{
		Action: action, Actor: actor, Patient: patient, ObjectID: objectID, Counterparty: cp, Outcome: outcome,
	})
	return e.Hash, err
}

// originCounterparty names the sender of a received packet and its entry.
func originCounterparty(o types.PacketOrigin, senderHash []byte) audittypes.Counterparty {
	return audittypes.Counterparty{ClientId: o.ClientID, ChannelId: o.ChannelID, ChainId: o.ChainID, EntryHash: senderHash}
}
