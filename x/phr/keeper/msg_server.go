package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

type msgServer struct{ Keeper }

// NewMsgServerImpl returns the phr Msg service.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k} }

func (m msgServer) RegisterPatient(ctx context.Context, msg *types.MsgRegisterPatient) (*types.MsgRegisterPatientResponse, error) {
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	seq, err := m.Keeper.RegisterPatient(ctx, patient, msg.Vaults)
	if err != nil {
		return nil, err
	}
	return &types.MsgRegisterPatientResponse{AuditSequence: seq}, nil
}

func (m msgServer) AdmitMember(ctx context.Context, msg *types.MsgAdmitMember) (*types.MsgAdmitMemberResponse, error) {
	if err := m.checkAdmissionAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	member, err := m.parseAddress("member", msg.Member)
	if err != nil {
		return nil, err
	}
	return &types.MsgAdmitMemberResponse{}, m.Keeper.AdmitMember(ctx, msg.Authority, member, msg.Role)
}

func (m msgServer) RemoveMember(ctx context.Context, msg *types.MsgRemoveMember) (*types.MsgRemoveMemberResponse, error) {
	if err := m.checkAdmissionAuthority(ctx, msg.Authority); err != nil {
		return nil, err
	}
	member, err := m.parseAddress("member", msg.Member)
	if err != nil {
		return nil, err
	}
	return &types.MsgRemoveMemberResponse{}, m.Keeper.RemoveMember(ctx, msg.Authority, member, msg.Role)
}

func (m msgServer) UpdateParams(ctx context.Context, msg *types.MsgUpdateParams) (*types.MsgUpdateParamsResponse, error) {
	if msg.Authority != m.authority {
		return nil, errorsmod.Wrapf(types.ErrInvalidAuthority, "expected %s, got %s", m.authority, msg.Authority)
	}
	if err := msg.Params.Validate(); err != nil {
		return nil, err
	}
	return &types.MsgUpdateParamsResponse{}, m.Params.Set(ctx, msg.Params)
}

func (k Keeper) parseAddress(field, bech32 string) (sdk.AccAddress, error) {
	bz, err := k.addressCodec.StringToBytes(bech32)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%s %q: %v", field, bech32, err)
	}
	return bz, nil
}
