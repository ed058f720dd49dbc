// Package ante holds medexchain's own ante decorators.
package ante

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	phrtypes "github.com/medexchain/medexchain/x/phr/types"
)

// MembershipKeeper is the part of x/phr the admission decorator needs.
type MembershipKeeper interface {
	IsMember(ctx context.Context, addr sdk.AccAddress, role phrtypes.Role) (bool, error)
	AdmitMember(ctx context.Context, actor string, addr sdk.AccAddress, role phrtypes.Role, key []byte) error
}

// ValidatorAdmissionDecorator refuses MsgCreateValidator unless the operator has
// been admitted as ROLE_VALIDATOR. At genesis (block height 0, where genutil
// delivers the gentxs) the operator is admitted instead, so the standard
// gentx flow needs no extra step: whoever the genesis file's gentxs name is a
// member by construction, and the admission is in the audit log.
//
// Only top-level messages are inspected: this app has no authz, group or ICA
// host module through which a nested MsgCreateValidator could arrive.
type ValidatorAdmissionDecorator struct {
	members MembershipKeeper
}

// NewValidatorAdmissionDecorator checks validator creation against k's members.
func NewValidatorAdmissionDecorator(k MembershipKeeper) ValidatorAdmissionDecorator {
	return ValidatorAdmissionDecorator{members: k}
}

// AnteHandle refuses a MsgCreateValidator from an operator not admitted as a
// validator (admitting gentx operators at genesis, see the type's doc).
func (d ValidatorAdmissionDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	for _, msg := range tx.GetMsgs() {
		create, ok := msg.(*stakingtypes.MsgCreateValidator)
		if !ok {
			continue
		}
		valAddr, err := sdk.ValAddressFromBech32(create.ValidatorAddress)
		if err != nil {
			return ctx, errorsmod.Wrapf(phrtypes.ErrInvalidAddress, "validator address %q: %v", create.ValidatorAddress, err)
		}
		operator := sdk.AccAddress(valAddr)
		if ctx.BlockHeight() == 0 {
			if err := d.admitAtGenesis(ctx, operator); err != nil {
				return ctx, err
			}
			continue
		}
		admitted, err := d.members.IsMember(ctx, operator, phrtypes.ROLE_VALIDATOR)
		if err != nil {
			return ctx, err
		}
		if !admitted {
			return ctx, errorsmod.Wrapf(phrtypes.ErrValidatorNotAdmitted,
				"%s: ask the admission authority to run `tx phr admit-member %s validator`", operator, operator)
		}
	}
	return next(ctx, tx, simulate)
}

func (d ValidatorAdmissionDecorator) admitAtGenesis(ctx sdk.Context, operator sdk.AccAddress) error {
	admitted, err := d.members.IsMember(ctx, operator, phrtypes.ROLE_VALIDATOR)
	if err != nil || admitted {
		return err
	}
	return d.members.AdmitMember(ctx, operator.String(), operator, phrtypes.ROLE_VALIDATOR, nil)
}
