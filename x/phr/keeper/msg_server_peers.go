package keeper

import (
	"context"

	"github.com/medexchain/medexchain/x/phr/types"
)

func (m msgServer) AdmitPeer(ctx context.Context, msg *types.MsgAdmitPeer) (*types.MsgAdmitPeerResponse, error) {
	return &types.MsgAdmitPeerResponse{}, m.Keeper.AdmitPeer(ctx, msg.Authority, msg.ClientId, msg.ChainId, msg.Name)
}

func (m msgServer) RemovePeer(ctx context.Context, msg *types.MsgRemovePeer) (*types.MsgRemovePeerResponse, error) {
	return &types.MsgRemovePeerResponse{}, m.Keeper.RemovePeer(ctx, msg.Authority, msg.ClientId)
}
