package apptest

import (
	"context"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/cosmos/cosmos-sdk/client"
)

// Node is a node's RPC as a client.Context uses it, served by the harness's
// app: queries (gRPC routes and baseapp's own paths) by the app's Query on the
// committed state, broadcasts by CheckTx. Calls a client does not make for
// queries and tx broadcasts (blocks, status, tx search) are not served.
type Node struct {
	client.CometRPC
	H *Harness
}

// ABCIQueryWithOptions answers from the app's committed state.
func (n Node) ABCIQueryWithOptions(ctx context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions) (*coretypes.ResultABCIQuery, error) {
	res, err := n.H.App.Query(ctx, &abci.RequestQuery{Path: path, Data: data, Height: opts.Height, Prove: opts.Prove})
	if err != nil {
		return nil, err
	}
	return &coretypes.ResultABCIQuery{Response: *res}, nil
}

// ABCIQuery is ABCIQueryWithOptions at the latest height.
func (n Node) ABCIQuery(ctx context.Context, path string, data cmtbytes.HexBytes) (*coretypes.ResultABCIQuery, error) {
	return n.ABCIQueryWithOptions(ctx, path, data, rpcclient.DefaultABCIQueryOptions)
}

// BroadcastTxSync runs the tx through CheckTx and answers as CometBFT does.
func (n Node) BroadcastTxSync(_ context.Context, tx cmttypes.Tx) (*coretypes.ResultBroadcastTx, error) {
	res := n.H.CheckTx(tx)
	return &coretypes.ResultBroadcastTx{Code: res.Code, Codespace: res.Codespace, Log: res.Log, Data: res.Data, Hash: tx.Hash()}, nil
}
