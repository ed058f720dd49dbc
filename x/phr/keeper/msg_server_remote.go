package keeper

import (
	"context"

	"github.com/medexchain/medexchain/x/phr/types"
)

func (m msgServer) RequestRemoteAccess(ctx context.Context, msg *types.MsgRequestRemoteAccess) (*types.MsgRequestRemoteAccessResponse, error) {
	signer, err := m.parseAddress("hospital", msg.Hospital)
	if err != nil {
		return nil, err
	}
	hospital, err := m.HospitalRequester(ctx, signer)
	if err != nil {
		return nil, err
	}
	// the patient lives on the peer chain, which shares this chain's address prefix
	patient, err := m.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	req := types.AccessRequest{Patient: patient, Vault: msg.Vault, Scope: msg.Scope, Purpose: msg.Purpose, Expiry: msg.Expiry}
	id, outboxID, err := m.Keeper.RequestRemoteAccess(ctx, hospital, msg.ChannelId, req)
	if err != nil {
		return nil, err
	}
	return &types.MsgRequestRemoteAccessResponse{RequestId: id, OutboxId: outboxID}, nil
}

func (m msgServer) FetchRemote(ctx context.Context, msg *types.MsgFetchRemote) (*types.MsgFetchRemoteResponse, error) {
	signer, err := m.parseAddress("hospital", msg.Hospital)
	if err != nil {
		return nil, err
	}
	id, err := m.Keeper.FetchRemote(ctx, signer, msg.ClientId, msg.GrantId, msg.RecordIds)
	if err != nil {
		return nil, err
	}
	return &types.MsgFetchRemoteResponse{OutboxId: id}, nil
}
