package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/types"
)

// Placeholder until the hospital chain's side lands.

func (m msgServer) RequestRemoteAccess(context.Context, *types.MsgRequestRemoteAccess) (*types.MsgRequestRemoteAccessResponse, error) {
	return nil, errorsmod.Wrap(types.ErrNoChannel, "not handled yet")
}

func (m msgServer) FetchRemote(context.Context, *types.MsgFetchRemote) (*types.MsgFetchRemoteResponse, error) {
	return nil, errorsmod.Wrap(types.ErrNoChannel, "not handled yet")
}
