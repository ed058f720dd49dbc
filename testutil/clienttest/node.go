// Package clienttest gives a cosmos client.Context whose node is the
// in-process app harness (testutil/apptest): ABCI queries (gRPC queries,
// /app/simulate) go to the app's Query, broadcasts to its CheckTx, and the
// mempool is committed as one block when a client asks for a tx it holds.
// Client code (internal/txclient, the proxy daemon's submitter) runs against
// the real ante chain and msg servers without a CometBFT process.
package clienttest

import (
	"context"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	"github.com/cometbft/cometbft/p2p"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/medexchain/medexchain/testutil/apptest"
)

// Node is a client.CometRPC over a harness. Methods a test does not need
// panic (the embedded interface is nil).
type Node struct {
	client.CometRPC

	H *apptest.Harness

	mu      sync.Mutex
	mempool [][]byte
	results map[string]*coretypes.ResultTx
	// Manual: blocks happen only on CommitMempool, not when a client polls a tx.
	Manual bool
	// Rewrite, if set, may change every response's log before the client
	// sees it (for example to prove that a client reads codes, not text).
	Rewrite func(log string) string
}

// NewNode returns a node over h.
func NewNode(h *apptest.Harness) *Node {
	return &Node{H: h, results: map[string]*coretypes.ResultTx{}}
}

func (n *Node) rewrite(log string) string {
	if n.Rewrite != nil {
		return n.Rewrite(log)
	}
	return log
}

// ABCIQueryWithOptions implements client.CometRPC.
func (n *Node) ABCIQueryWithOptions(ctx context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions) (*coretypes.ResultABCIQuery, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	res, err := n.H.App.Query(ctx, &abci.RequestQuery{Path: path, Data: data, Height: opts.Height, Prove: opts.Prove})
	if err != nil {
		return nil, err
	}
	res.Log = n.rewrite(res.Log)
	return &coretypes.ResultABCIQuery{Response: *res}, nil
}

// ABCIQuery implements client.CometRPC.
func (n *Node) ABCIQuery(ctx context.Context, path string, data cmtbytes.HexBytes) (*coretypes.ResultABCIQuery, error) {
	return n.ABCIQueryWithOptions(ctx, path, data, rpcclient.DefaultABCIQueryOptions)
}

// BroadcastTxSync implements client.CometRPC: CheckTx, and the mempool.
func (n *Node) BroadcastTxSync(_ context.Context, bz cmttypes.Tx) (*coretypes.ResultBroadcastTx, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	res := n.H.CheckTx(bz)
	if res.Code == 0 {
		n.mempool = append(n.mempool, bz)
	}
	return &coretypes.ResultBroadcastTx{Code: res.Code, Data: res.Data, Log: n.rewrite(res.Log), Codespace: res.Codespace, Hash: bz.Hash()}, nil
}

// CommitMempool finalizes the mempool as one block.
func (n *Node) CommitMempool() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.commit()
}

func (n *Node) commit() {
	txs := n.mempool
	n.mempool = nil
	results := n.H.NextBlock(txs...)
	height := n.H.App.LastBlockHeight()
	for i, bz := range txs {
		r := *results[i]
		r.Log = n.rewrite(r.Log)
		n.results[hex.EncodeToString(cmttypes.Tx(bz).Hash())] = &coretypes.ResultTx{
			Hash: cmttypes.Tx(bz).Hash(), Height: height, Index: uint32(i), TxResult: r, Tx: bz,
		}
	}
}

// DropMempool forgets the mempool's txs, as a node that evicted them (they
// never reach a block). The check state keeps their sequences until the
// next block, as a node's does.
func (n *Node) DropMempool() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.mempool = nil
}

// Tx implements client.CometRPC. A tx still in the mempool is committed
// first (unless Manual).
func (n *Node) Tx(_ context.Context, hash []byte, _ bool) (*coretypes.ResultTx, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	key := hex.EncodeToString(hash)
	if r := n.results[key]; r != nil {
		return r, nil
	}
	if !n.Manual {
		for _, bz := range n.mempool {
			if hex.EncodeToString(cmttypes.Tx(bz).Hash()) == key {
				n.commit()
				return n.results[key], nil
			}
		}
	}
	return nil, fmt.Errorf("tx (%X) not found", hash)
}

// Status implements client.CometRPC (the chain id).
func (n *Node) Status(context.Context) (*coretypes.ResultStatus, error) {
	return &coretypes.ResultStatus{NodeInfo: p2p.DefaultNodeInfo{Network: apptest.ChainID}}, nil
}

// Context returns a client.Context for signer on node n, with an in-memory
// keyring holding signer's key under name, and a tx factory with simulated
// gas (adjustment 1.5), direct signing and the harness's chain id.
func Context(t require.TestingT, n *Node, name string, signer apptest.Account) (client.Context, tx.Factory) {
	a := n.H.App
	kr := keyring.NewInMemory(a.AppCodec())
	require.NoError(t, kr.ImportPrivKeyHex(name, hex.EncodeToString(signer.Priv.Bytes()), "secp256k1"))
	cctx := client.Context{}.
		WithCodec(a.AppCodec()).
		WithInterfaceRegistry(a.InterfaceRegistry()).
		WithTxConfig(a.TxConfig()).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithKeyring(kr).
		WithClient(n).
		WithChainID(apptest.ChainID).
		WithFromName(name).
		WithFromAddress(signer.Address).
		WithBroadcastMode(flags.BroadcastSync).
		WithSkipConfirmation(true).
		WithCmdContext(context.Background())
	txf := tx.Factory{}.
		WithTxConfig(a.TxConfig()).
		WithAccountRetriever(cctx.AccountRetriever).
		WithKeybase(kr).
		WithChainID(apptest.ChainID).
		WithSignMode(signing.SignMode_SIGN_MODE_DIRECT).
		WithFromName(name).
		WithSimulateAndExecute(true).
		WithGasAdjustment(1.5)
	return cctx, txf
}
