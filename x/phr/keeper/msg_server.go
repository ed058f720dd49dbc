package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// msgServer parses each message into domain values, takes what the chain
// firewall produced for it from the context, and hands both to the keeper
// method of the same name; the rules live in the keeper.
type msgServer struct{ *Keeper }

// NewMsgServerImpl returns the phr Msg service.
func NewMsgServerImpl(k *Keeper) types.MsgServer { return msgServer{k} }

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
	return &types.MsgAdmitMemberResponse{}, m.Keeper.AdmitMember(ctx, msg.Authority, member, msg.Role, msg.PublicKey)
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

func (m msgServer) UpdateMemberKey(ctx context.Context, msg *types.MsgUpdateMemberKey) (*types.MsgUpdateMemberKeyResponse, error) {
	member, err := m.parseAddress("member", msg.Member)
	if err != nil {
		return nil, err
	}
	return &types.MsgUpdateMemberKeyResponse{}, m.Keeper.UpdateMemberKey(ctx, member, msg.Role, msg.PublicKey)
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

func (m msgServer) RotateVaultKey(ctx context.Context, msg *types.MsgRotateVaultKey) (*types.MsgRotateVaultKeyResponse, error) {
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	epoch, err := m.Keeper.RotateVaultKey(ctx, patient, msg.Vault, msg.PublicKey)
	if err != nil {
		return nil, err
	}
	return &types.MsgRotateVaultKeyResponse{Epoch: epoch}, nil
}

func (m msgServer) RegisterDevice(ctx context.Context, msg *types.MsgRegisterDevice) (*types.MsgRegisterDeviceResponse, error) {
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	gateway, err := m.parseAddress("gateway", msg.Gateway)
	if err != nil {
		return nil, err
	}
	return &types.MsgRegisterDeviceResponse{}, m.Keeper.RegisterDevice(ctx, patient, msg.DeviceId, msg.Vault, msg.PublicKey, gateway)
}

func (m msgServer) DeactivateDevice(ctx context.Context, msg *types.MsgDeactivateDevice) (*types.MsgDeactivateDeviceResponse, error) {
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	return &types.MsgDeactivateDeviceResponse{}, m.Keeper.DeactivateDevice(ctx, patient, msg.DeviceId)
}

func (m msgServer) UploadRecord(ctx context.Context, msg *types.MsgUploadRecord) (*types.MsgUploadRecordResponse, error) {
	gateway, err := m.parseAddress("gateway", msg.Gateway)
	if err != nil {
		return nil, err
	}
	fw, _ := types.TakeFirewalled(ctx, msg)
	if fw.Refusal != nil {
		return nil, fw.Refusal
	}
	id, err := m.Keeper.UploadRecord(ctx, gateway, msg.RecordUpload(), fw.Capsules)
	if err != nil {
		return nil, err
	}
	return &types.MsgUploadRecordResponse{RecordId: id}, nil
}

func (m msgServer) RequestAccess(ctx context.Context, msg *types.MsgRequestAccess) (*types.MsgRequestAccessResponse, error) {
	requester, err := m.parseAddress("requester", msg.Requester)
	if err != nil {
		return nil, err
	}
	hospital, err := m.HospitalRequester(ctx, requester)
	if err != nil {
		return nil, err
	}
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	id, err := m.Keeper.RequestAccess(ctx, hospital, msg.AccessRequest(patient))
	if err != nil {
		return nil, err
	}
	return &types.MsgRequestAccessResponse{GrantId: id}, nil
}

func (m msgServer) GrantAccess(ctx context.Context, msg *types.MsgGrantAccess) (*types.MsgGrantAccessResponse, error) {
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	fw, _ := types.TakeFirewalled(ctx, msg)
	if fw.Refusal != nil {
		return nil, fw.Refusal
	}
	return &types.MsgGrantAccessResponse{}, m.Keeper.GrantAccess(ctx, patient, msg.GrantId, fw.Grant, msg.KeyGrant, msg.Expiry)
}

func (m msgServer) DenyAccess(ctx context.Context, msg *types.MsgDenyAccess) (*types.MsgDenyAccessResponse, error) {
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	return &types.MsgDenyAccessResponse{}, m.Keeper.DenyAccess(ctx, patient, msg.GrantId, msg.Note)
}

func (m msgServer) RevokeAccess(ctx context.Context, msg *types.MsgRevokeAccess) (*types.MsgRevokeAccessResponse, error) {
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	return &types.MsgRevokeAccessResponse{}, m.Keeper.RevokeAccess(ctx, patient, msg.GrantId, msg.Note)
}

func (m msgServer) FetchRecords(ctx context.Context, msg *types.MsgFetchRecords) (*types.MsgFetchRecordsResponse, error) {
	requester, err := m.parseAddress("requester", msg.Requester)
	if err != nil {
		return nil, err
	}
	ids, err := m.Keeper.FetchRecords(ctx, requester, msg.GrantId, msg.RecordIds)
	if err != nil {
		return nil, err
	}
	return &types.MsgFetchRecordsResponse{TaskIds: ids}, nil
}

func (m msgServer) SubmitAnswers(ctx context.Context, msg *types.MsgSubmitAnswers) (*types.MsgSubmitAnswersResponse, error) {
	proxy, err := m.parseAddress("proxy", msg.Proxy)
	if err != nil {
		return nil, err
	}
	fw, _ := types.TakeFirewalled(ctx, msg)
	if fw.Refusal != nil {
		return nil, fw.Refusal
	}
	answers := fw.Answers
	if len(answers) != len(msg.Answers) { // not firewalled: SubmitAnswers refuses what it would store
		answers = make([]types.AnswerEI, len(msg.Answers))
		for i, a := range msg.Answers {
			answers[i].TaskID = a.TaskId
		}
	}
	done, err := m.Keeper.SubmitAnswers(ctx, proxy, answers)
	if err != nil {
		return nil, err
	}
	return &types.MsgSubmitAnswersResponse{CompletedTasks: done}, nil
}

func (k *Keeper) parseAddress(field, bech32 string) (sdk.AccAddress, error) {
	bz, err := k.addressCodec.StringToBytes(bech32)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidAddress, "%s %q: %v", field, bech32, err)
	}
	return bz, nil
}
