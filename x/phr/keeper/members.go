package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// IsMember reports whether addr is admitted in role.
func (k Keeper) IsMember(ctx context.Context, addr sdk.AccAddress, role types.Role) (bool, error) {
	return k.Members.Has(ctx, collections.Join(addr, int32(role)))
}

// AdmitMember records an admission and its audit entry; actor is who admitted
// (the authority, or the operator itself for genesis gentxs).
func (k Keeper) AdmitMember(ctx context.Context, actor string, addr sdk.AccAddress, role types.Role) error {
	if err := types.ValidateRole(role); err != nil {
		return err
	}
	key := collections.Join(addr, int32(role))
	if has, err := k.Members.Has(ctx, key); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrMemberExists, "%s as %s", addr, role)
	}
	m := types.Member{Address: addr.String(), Role: role, AdmittedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight()}
	if err := k.Members.Set(ctx, key, m); err != nil {
		return err
	}
	_, err := k.auditSuccess(ctx, types.ActionAdmitMember, actor, "", memberObjectID(m.Address, role))
	return err
}

// RemoveMember withdraws an admission.
func (k Keeper) RemoveMember(ctx context.Context, actor string, addr sdk.AccAddress, role types.Role) error {
	key := collections.Join(addr, int32(role))
	if has, err := k.Members.Has(ctx, key); err != nil {
		return err
	} else if !has {
		return errorsmod.Wrapf(types.ErrMemberNotFound, "%s as %s", addr, role)
	}
	if err := k.Members.Remove(ctx, key); err != nil {
		return err
	}
	_, err := k.auditSuccess(ctx, types.ActionRemoveMember, actor, "", memberObjectID(addr.String(), role))
	return err
}

func memberObjectID(addr string, role types.Role) string { return addr + "/" + role.String() }

// checkAdmissionAuthority accepts the governance account and, when the params
// name one, the local network's admission authority.
func (k Keeper) checkAdmissionAuthority(ctx context.Context, signer string) error {
	if signer == k.authority {
		return nil
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if params.AdmissionAuthority != "" && signer == params.AdmissionAuthority {
		return nil
	}
	return errorsmod.Wrapf(types.ErrInvalidAuthority, "%s may not admit members", signer)
}
