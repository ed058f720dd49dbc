package keeper

import (
	"context"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// InitGenesis writes a validated state and rebuilds every index from it (the
// indexes are derived data and are not exported). Imported entries are not
// audited again: the audit module imports its own log alongside.
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
		if err := k.Records.Set(ctx, r.Id, r); err != nil {
			return err
		}
		if err := k.RecordsByPatient.Set(ctx, collections.Join(acc(r.Patient), r.Id)); err != nil {
			return err
		}
	}
	for _, g := range gs.Grants {
		if err := k.importGrant(ctx, g); err != nil {
			return err
		}
	}
	for _, t := range gs.Tasks {
		if err := k.Tasks.Set(ctx, t.Id, t); err != nil {
			return err
		}
		if t.Status == types.TASK_STATUS_OPEN {
			if err := k.OpenTasks.Set(ctx, t.Id); err != nil {
				return err
			}
			if err := k.OpenTasksByGrant.Set(ctx, collections.Join(t.GrantId, t.Id)); err != nil {
				return err
			}
			if err := k.TasksByDeadline.Set(ctx, collections.Join(t.DeadlineHeight, t.Id)); err != nil {
				return err
			}
		}
	}
	for _, s := range gs.Shares {
		if err := k.Shares.Set(ctx, collections.Join(s.GrantId, s.RecordId), s); err != nil {
			return err
		}
		if err := k.Fetched.Set(ctx, collections.Join(s.GrantId, s.RecordId)); err != nil {
			return err
		}
	}
	if err := k.RecordSeq.Set(ctx, gs.LastRecordId); err != nil {
		return err
	}
	if err := k.GrantSeq.Set(ctx, gs.LastGrantId); err != nil {
		return err
	}
	return k.TaskSeq.Set(ctx, gs.LastTaskId)
}

func (k *Keeper) importGrant(ctx context.Context, g types.Grant) error {
	acc := sdk.MustAccAddressFromBech32
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return err
	}
	if err := k.GrantsByPatient.Set(ctx, collections.Join(acc(g.Patient), g.Id)); err != nil {
		return err
	}
	if err := k.GrantsByRequester.Set(ctx, collections.Join(acc(g.Requester), g.Id)); err != nil {
		return err
	}
	for _, p := range g.Proxies {
		if err := k.GrantsByProxy.Set(ctx, collections.Join(acc(p), g.Id)); err != nil {
			return err
		}
	}
	if key, ok := expiryKey(g); ok {
		return k.GrantsByExpiry.Set(ctx, key)
	}
	return nil
}

// ExportGenesis writes the state in key order; indexes are rebuilt on import.
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
	if gs.Records, err = values(ctx, k.Records); err != nil {
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
	return gs, nil
}

func values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	it, err := m.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	return it.Values()
}
