package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DefaultGenesis is a chain with no members, patients or records and the
// default params.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams()} }

// Validate checks addresses, keys and uniqueness so that InitGenesis cannot
// write an inconsistent registry.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	patients := map[string]bool{}
	for _, p := range gs.Patients {
		if _, err := sdk.AccAddressFromBech32(p.Address); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "patient %q: %v", p.Address, err)
		}
		if patients[p.Address] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "patient %s listed twice", p.Address)
		}
		patients[p.Address] = true
	}
	vaults := map[string]bool{}
	for _, v := range gs.Vaults {
		if !patients[v.Patient] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vault %q belongs to unlisted patient %s", v.Name, v.Patient)
		}
		if err := (VaultKey{Name: v.Name, PublicKey: v.PublicKey}).Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%v", err)
		}
		if v.Epoch == 0 {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vault %s/%s: epoch starts at 1", v.Patient, v.Name)
		}
		key := v.Patient + "/" + v.Name
		if vaults[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "vault %s listed twice", key)
		}
		vaults[key] = true
	}
	members := map[string]bool{}
	for _, m := range gs.Members {
		if _, err := sdk.AccAddressFromBech32(m.Address); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "member %q: %v", m.Address, err)
		}
		if err := ValidateRole(m.Role); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "member %s: %v", m.Address, err)
		}
		key := m.Address + "/" + m.Role.String()
		if members[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "member %s listed twice as %s", m.Address, m.Role)
		}
		members[key] = true
		if err := ValidateMemberKey(m.Role, m.PublicKey); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "member %s: %v", m.Address, err)
		}
	}
	if err := gs.validateIDs(); err != nil {
		return err
	}
	return gs.validateCrossChain()
}

// validateIDs: ids are unique and below the next id to assign, so an import
// never reuses one.
func (gs GenesisState) validateIDs() error {
	check := func(kind string, ids []uint64, next uint64) error {
		seen := make(map[uint64]bool, len(ids))
		for _, id := range ids {
			if id == 0 || id > next || seen[id] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "%s id %d is zero, repeated or above the last assigned id %d", kind, id, next)
			}
			seen[id] = true
		}
		return nil
	}
	ids := func(n int, id func(int) uint64) []uint64 {
		out := make([]uint64, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	if err := check("record", ids(len(gs.Records), func(i int) uint64 { return gs.Records[i].Id }), gs.LastRecordId); err != nil {
		return err
	}
	if err := check("grant", ids(len(gs.Grants), func(i int) uint64 { return gs.Grants[i].Id }), gs.LastGrantId); err != nil {
		return err
	}
	return check("task", ids(len(gs.Tasks), func(i int) uint64 { return gs.Tasks[i].Id }), gs.LastTaskId)
}
