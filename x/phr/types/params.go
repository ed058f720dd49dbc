package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DefaultMaxVaultsPerPatient bounds the state one registration can create.
const DefaultMaxVaultsPerPatient = 16

// DefaultParams leave admission to governance.
func DefaultParams() Params {
	return Params{MaxVaultsPerPatient: DefaultMaxVaultsPerPatient}
}

func (p Params) Validate() error {
	if p.AdmissionAuthority != "" {
		if _, err := sdk.AccAddressFromBech32(p.AdmissionAuthority); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "admission_authority %q: %v", p.AdmissionAuthority, err)
		}
	}
	if p.MaxVaultsPerPatient == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_vaults_per_patient must be positive")
	}
	return nil
}
