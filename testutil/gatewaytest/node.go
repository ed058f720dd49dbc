// Package gatewaytest runs the gateway (internal/gateway) against the
// in-process app: a gateway.Node and a query client over an
// apptest.Harness, safe to use from the simulator's two goroutines.
package gatewaytest

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"time"

	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"google.golang.org/grpc"

	"github.com/cosmos/cosmos-sdk/baseapp"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Node is a gateway.Node over the harness: a tx CheckTx accepts is
// delivered at once, in its own block. Its Lock serializes blocks and
// queries (the harness is not safe for concurrent use); tests that touch
// the harness while a simulator runs take it too.
type Node struct {
	sync.Mutex
	H       *apptest.Harness
	Account apptest.Account

	results map[string]*gateway.TxResult
	down    bool
}

// ErrDown is what every call returns while the node is down.
var ErrDown = fmt.Errorf("%w: connection refused (gatewaytest node down)", txclient.ErrUnavailable)

// SetDown takes the node down (every call fails as a connection would) or
// brings it back.
func (n *Node) SetDown(down bool) {
	n.Lock()
	defer n.Unlock()
	n.down = down
}

// New returns the node and a query client for the gateway account acc.
func New(h *apptest.Harness, acc apptest.Account) (*Node, types.QueryClient) {
	n := &Node{H: h, Account: acc, results: map[string]*gateway.TxResult{}}
	helper := baseapp.NewQueryServerTestHelper(h.Ctx(), h.App.InterfaceRegistry())
	types.RegisterQueryServer(helper, keeper.NewQueryServerImpl(h.App.PhrKeeper))
	return n, types.NewQueryClient(&conn{n: n, helper: helper})
}

var _ gateway.Node = (*Node)(nil)

// Height implements gateway.Node.
func (n *Node) Height(context.Context) (int64, error) {
	n.Lock()
	defer n.Unlock()
	if n.down {
		return 0, ErrDown
	}
	return n.H.App.LastBlockHeight(), nil
}

// AccountSequence implements gateway.Node.
func (n *Node) AccountSequence(context.Context) (uint64, error) {
	n.Lock()
	defer n.Unlock()
	if n.down {
		return 0, ErrDown
	}
	return n.H.App.AccountKeeper.GetAccount(n.H.Ctx(), n.Account.Address).GetSequence(), nil
}

// SignUpload implements gateway.Node.
func (n *Node) SignUpload(_ context.Context, msg *types.MsgUploadRecord, seq uint64, _ float64) ([]byte, error) {
	n.Lock()
	defer n.Unlock()
	if n.down {
		return nil, ErrDown
	}
	acc := n.H.App.AccountKeeper.GetAccount(n.H.Ctx(), n.Account.Address)
	tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(int64(seq))), n.H.App.TxConfig(), []sdk.Msg{msg},
		sdk.NewCoins(), simtestutil.DefaultGenTxGas, apptest.ChainID,
		[]uint64{acc.GetAccountNumber()}, []uint64{seq}, n.Account.Priv)
	if err != nil {
		return nil, err
	}
	return n.H.App.TxConfig().TxEncoder()(tx)
}

// Broadcast implements gateway.Node.
func (n *Node) Broadcast(_ context.Context, tx []byte) (gateway.Verdict, error) {
	n.Lock()
	defer n.Unlock()
	if n.down {
		return gateway.Verdict{}, ErrDown
	}
	hash := gateway.TxHash(tx)
	if _, ok := n.results[hash]; ok {
		return gateway.Verdict{}, nil // already in a block: CometBFT's cache says so too
	}
	if res := n.H.CheckTx(tx); res.Code != 0 {
		return gateway.Verdict{Codespace: res.Codespace, Code: res.Code, Log: res.Log}, nil
	}
	r := n.H.NextBlock(tx)[0]
	out := &gateway.TxResult{Height: n.H.App.LastBlockHeight(), Verdict: gateway.Verdict{Codespace: r.Codespace, Code: r.Code, Log: r.Log}}
	if r.Code == 0 {
		var md sdk.TxMsgData
		if err := n.H.App.AppCodec().Unmarshal(r.Data, &md); err != nil {
			return gateway.Verdict{}, err
		}
		var resp types.MsgUploadRecordResponse
		if err := resp.Unmarshal(md.MsgResponses[0].Value); err != nil {
			return gateway.Verdict{}, err
		}
		out.RecordID = resp.RecordId
	}
	n.results[hash] = out
	return gateway.Verdict{}, nil
}

// Tx implements gateway.Node.
func (n *Node) Tx(_ context.Context, hash string) (*gateway.TxResult, error) {
	n.Lock()
	defer n.Unlock()
	if n.down {
		return nil, ErrDown
	}
	return n.results[hash], nil
}

// conn serves the phr Query service from the latest committed state, under
// the node's lock.
type conn struct {
	n      *Node
	helper *baseapp.QueryServiceTestHelper
}

var _ gogogrpc.ClientConn = (*conn)(nil)

func (c *conn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	c.n.Lock()
	defer c.n.Unlock()
	if c.n.down {
		return ErrDown
	}
	c.helper.Ctx = c.n.H.Ctx()
	return c.helper.Invoke(ctx, method, args, reply, opts...)
}

func (c *conn) NewStream(ctx context.Context, d *grpc.StreamDesc, m string, o ...grpc.CallOption) (grpc.ClientStream, error) {
	return c.helper.NewStream(ctx, d, m, o...)
}

// Clock is the harness's block time, read under the node's lock: the
// gateway's clock in tests.
func (n *Node) Clock() time.Time {
	n.Lock()
	defer n.Unlock()
	return n.H.Ctx().BlockTime()
}
