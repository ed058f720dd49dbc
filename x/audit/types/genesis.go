package types

import errorsmod "cosmossdk.io/errors"

// DefaultGenesis is an empty log with the default params.
func DefaultGenesis() *GenesisState { return &GenesisState{Params: DefaultParams()} }

// Validate refuses a genesis whose log is not one intact chain from sequence 1.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	for i := range gs.Entries {
		if err := gs.Entries[i].ValidateBasic(); err != nil {
			return errorsmod.Wrapf(err, "genesis entry %d", gs.Entries[i].Sequence)
		}
	}
	return VerifyChain(nil, gs.Entries)
}
