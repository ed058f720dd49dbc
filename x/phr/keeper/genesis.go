package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// InitGenesis writes a validated state; the IndexedMaps rebuild every index
// and expiry queue from it, importCrossChain the outbox's queue and in-flight
// map (all derived data, not exported). Imported entries are not audited
// again: the audit module imports its own log alongside.
func (k *Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	acc := sdk.MustAccAddressFromBech32
	for _, p := range gs.Patients {
		if err := k.Patients.Set(ctx, acc(p.Address), p); err != nil {
			return err
		}
	}
	for _, v := range gs.Vaults {
		if err := k.Vaults.Set(ctx, collections.Join(acc(v.Patient), v.Name), v); err != nil {
			return err
		}
	}
	for _, e := range gs.VaultEpochs {
		if err := k.VaultEpochs.Set(ctx, collections.Join3(acc(e.Patient), e.Vault, e.Epoch), e); err != nil {
			return err
		}
	}
	for _, m := range gs.Members {
		if err := k.Members.Set(ctx, collections.Join(acc(m.Address), int32(m.Role)), m); err != nil {
			return err
		}
	}
	for _, d := range gs.Devices {
		if err := k.Devices.Set(ctx, d.Id, d); err != nil {
			return err
		}
		if err := k.DevicesByPatient.Set(ctx, collections.Join(acc(d.Patient), d.Id)); err != nil {
			return err
		}
	}
	for _, r := range gs.Records {
		if err := k.setRecord(ctx, r); err != nil {
			return err
		}
	}
	for _, g := range gs.Grants {
		if err := k.Grants.Set(ctx, g.Id, g); err != nil {
			return err
		}
	}
	for _, t := range gs.Tasks {
		if err := k.importTask(ctx, t); err != nil {
			return err
		}
	}
	for _, s := range gs.Shares {
		if s.Status == types.SHARE_STATUS_UNSPECIFIED {
			s.Status = shareStatus(s)
		}
		if err := k.Shares.Set(ctx, collections.Join(s.GrantId, s.RecordId), s); err != nil {
			return err
		}
	}
	if err := k.RecordSeq.Set(ctx, gs.LastRecordId); err != nil {
		return err
	}
	if err := k.GrantSeq.Set(ctx, gs.LastGrantId); err != nil {
		return err
	}
	if err := k.TaskSeq.Set(ctx, gs.LastTaskId); err != nil {
		return err
	}
	return k.importCrossChain(ctx, gs)
}

// importCrossChain writes the peers, the outbox with its pending queue and
// in-flight map (rebuilt from the entries' status), the hospital side's
// requests, grant mirrors and inbox (the IndexedMaps rebuild their indexes),
// and the last ids. Pending entries keep their retry height: one already
// passed is due in the first block.
func (k *Keeper) importCrossChain(ctx context.Context, gs types.GenesisState) error {
	for _, p := range gs.Peers {
		if err := k.Peers.Set(ctx, p.ClientId, p); err != nil {
			return err
		}
	}
	for _, e := range gs.Outbox {
		if err := k.Outbox.Set(ctx, e.Id, e); err != nil {
			return err
		}
		switch e.Status {
		case types.OUTBOX_STATUS_PENDING:
			if err := k.OutboxPending.Set(ctx, collections.Join(e.RetryHeight, e.Id)); err != nil {
				return err
			}
		case types.OUTBOX_STATUS_IN_FLIGHT:
			if err := k.OutboxInFlight.Set(ctx, collections.Join(e.Path(), e.Sequence), e.Id); err != nil {
				return err
			}
		}
	}
	for _, r := range gs.RemoteRequests {
		if err := k.RemoteRequests.Set(ctx, r.Id, r); err != nil {
			return err
		}
	}
	for _, g := range gs.RemoteGrants {
		if err := k.RemoteGrants.Set(ctx, collections.Join(g.ClientId, g.GrantId), g); err != nil {
			return err
		}
	}
	for _, s := range gs.Inbox {
		if err := k.Inbox.Set(ctx, collections.Join3(s.ClientId, s.GrantId, s.RecordId), s); err != nil {
			return err
		}
	}
	if err := k.OutboxSeq.Set(ctx, gs.LastOutboxId); err != nil {
		return err
	}
	return k.RemoteRequestSeq.Set(ctx, gs.LastRemoteRequestId)
}

// importTask stores a task; an open task written without its committee (an
// older export) gets its grant's, so that it reaches the proxies' pending sets.
func (k *Keeper) importTask(ctx context.Context, t types.Task) error {
	if t.Status == types.TASK_STATUS_OPEN && len(t.Committee) == 0 {
		g, err := k.GetGrant(ctx, t.GrantId)
		if err != nil {
			return err
		}
		t.Committee = g.Proxies
	}
	return k.Tasks.Set(ctx, t.Id, t)
}

// shareStatus derives a share's status from its first-level capsules.
func shareStatus(s types.Share) types.ShareStatus {
	for _, fl := range s.FirstLevel {
		if len(fl) == 0 {
			return types.SHARE_STATUS_PENDING
		}
	}
	return types.SHARE_STATUS_COMPLETE
}

// ExportGenesis writes the state in key order, records with their bodies;
// indexes and queues are rebuilt on import.
func (k *Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: params}
	if gs.Patients, err = values(ctx, k.Patients); err != nil {
		return nil, err
	}
	if gs.Vaults, err = values(ctx, k.Vaults); err != nil {
		return nil, err
	}
	if gs.VaultEpochs, err = values(ctx, k.VaultEpochs); err != nil {
		return nil, err
	}
	if gs.Members, err = values(ctx, k.Members); err != nil {
		return nil, err
	}
	if gs.Devices, err = values(ctx, k.Devices); err != nil {
		return nil, err
	}
	if gs.Records, err = k.exportRecords(ctx); err != nil {
		return nil, err
	}
	if gs.Grants, err = values(ctx, k.Grants); err != nil {
		return nil, err
	}
	if gs.Tasks, err = values(ctx, k.Tasks); err != nil {
		return nil, err
	}
	if gs.Shares, err = values(ctx, k.Shares); err != nil {
		return nil, err
	}
	if gs.LastRecordId, err = k.RecordSeq.Peek(ctx); err != nil {
		return nil, err
	}
	if gs.LastGrantId, err = k.GrantSeq.Peek(ctx); err != nil {
		return nil, err
	}
	if gs.LastTaskId, err = k.TaskSeq.Peek(ctx); err != nil {
		return nil, err
	}
	return gs, k.exportCrossChain(ctx, gs)
}

// exportCrossChain adds the cross-chain state; the outbox's pending queue
// and in-flight map are derived from the entries and rebuilt on import.
func (k *Keeper) exportCrossChain(ctx context.Context, gs *types.GenesisState) error {
	var err error
	if gs.Peers, err = values(ctx, k.Peers); err != nil {
		return err
	}
	if gs.Outbox, err = values(ctx, k.Outbox); err != nil {
		return err
	}
	if gs.RemoteRequests, err = values(ctx, k.RemoteRequests); err != nil {
		return err
	}
	if gs.RemoteGrants, err = values(ctx, k.RemoteGrants); err != nil {
		return err
	}
	if gs.Inbox, err = values(ctx, k.Inbox); err != nil {
		return err
	}
	if gs.LastOutboxId, err = k.OutboxSeq.Peek(ctx); err != nil {
		return err
	}
	gs.LastRemoteRequestId, err = k.RemoteRequestSeq.Peek(ctx)
	return err
}

// exportRecords returns every record with its body, in id order.
func (k *Keeper) exportRecords(ctx context.Context) ([]types.Record, error) {
	heads, err := values(ctx, k.Records)
	if err != nil {
		return nil, err
	}
	for i := range heads {
		if heads[i].Body, err = k.RecordBodies.Get(ctx, heads[i].Id); err != nil {
			return nil, err
		}
	}
	return heads, nil
}

func values[K, V any](ctx context.Context, m interface {
	Iterate(context.Context, collections.Ranger[K]) (collections.Iterator[K, V], error)
}) ([]V, error) {
	it, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return it.Values()
}
