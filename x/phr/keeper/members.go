package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// IsMember reports whether addr is admitted in role.
func (k *Keeper) IsMember(ctx context.Context, addr sdk.AccAddress, role types.Role) (bool, error) {
	return k.Members.Has(ctx, collections.Join(addr, int32(role)))
}

// GetMember returns addr's admission in role, or ErrMemberNotFound.
func (k *Keeper) GetMember(ctx context.Context, addr sdk.AccAddress, role types.Role) (types.Member, error) {
	m, err := k.Members.Get(ctx, collections.Join(addr, int32(role)))
	if errors.Is(err, collections.ErrNotFound) {
		return m, errorsmod.Wrapf(types.ErrMemberNotFound, "%s as %s", addr, role)
	}
	return m, err
}

// AdmitMember records an admission with the role's key and its audit entry;
// actor is who admitted (the authority, or the operator itself for genesis gentxs).
func (k *Keeper) AdmitMember(ctx context.Context, actor string, addr sdk.AccAddress, role types.Role, key []byte) error {
	if err := types.ValidateRole(role); err != nil {
		return err
	}
	if err := types.ValidateMemberKey(role, key); err != nil {
		return err
	}
	mkey := collections.Join(addr, int32(role))
	if has, err := k.Members.Has(ctx, mkey); err != nil {
		return err
	} else if has {
		return errorsmod.Wrapf(types.ErrMemberExists, "%s as %s", addr, role)
	}
	m := types.Member{Address: addr.String(), Role: role, AdmittedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight(), PublicKey: key}
	if err := k.Members.Set(ctx, mkey, m); err != nil {
		return err
	}
	_, err := k.auditSuccess(ctx, types.ActionAdmitMember, actor, "", memberObjectID(m.Address, role))
	return err
}

// UpdateMemberKey rotates the key of the signer's own admission.
func (k *Keeper) UpdateMemberKey(ctx context.Context, addr sdk.AccAddress, role types.Role, key []byte) error {
	m, err := k.GetMember(ctx, addr, role)
	if err != nil {
		return err
	}
	if err := types.ValidateMemberKey(role, key); err != nil {
		return err
	}
	m.PublicKey = key
	if err := k.Members.Set(ctx, collections.Join(addr, int32(role)), m); err != nil {
		return err
	}
	_, err = k.auditSuccess(ctx, types.ActionUpdateMemberKey, addr.String(), "", memberObjectID(m.Address, role))
	return err
}

// RemoveMember withdraws an admission.
func (k *Keeper) RemoveMember(ctx context.Context, actor string, addr sdk.AccAddress, role types.Role) error {
	if _, err := k.GetMember(ctx, addr, role); err != nil {
		return err
	}
	if err := k.Members.Remove(ctx, collections.Join(addr, int32(role))); err != nil {
		return err
	}
	_, err := k.auditSuccess(ctx, types.ActionRemoveMember, actor, "", memberObjectID(addr.String(), role))
	return err
}

// Committee is every admitted proxy, in address order: the set a new grant
// must seal fragments to.
func (k *Keeper) Committee(ctx context.Context) ([]types.Member, error) {
	var out []types.Member
	err := k.Members.Walk(ctx, nil, func(_ collections.Pair[sdk.AccAddress, int32], m types.Member) (bool, error) {
		if m.Role == types.ROLE_PROXY {
			out = append(out, m)
		}
		return false, nil
	})
	return out, err
}

func memberObjectID(addr string, role types.Role) string { return addr + "/" + role.String() }

// checkAdmissionAuthority accepts the governance account and, when the params
// name one, the local network's admission authority.
func (k *Keeper) checkAdmissionAuthority(ctx context.Context, signer string) error {
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
