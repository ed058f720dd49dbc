package benchkit

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"strings"
	"time"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Chain is a running chain as a driver talks to it: one node's RPC, the
// app's codecs and the fee settings every tx is signed with.
type Chain struct {
	ChainID  string
	Denom    string
	GasPrice float64
	TxCfg    client.TxConfig
	Cctx     client.Context
	RPC      *rpchttp.HTTP
	Q        types.QueryClient

	app *app.App
}

// NewRPC is a CometBFT RPC client of node (tcp://host:port) that keeps
// enough idle connections for many broadcasting goroutines.
func NewRPC(node string) (*rpchttp.HTTP, error) {
	remote := strings.Replace(node, "tcp://", "http://", 1)
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}}
	return rpchttp.NewWithClient(remote, "/websocket", httpClient)
}

// Connect opens node and checks that it is on chainID. The app's codecs and
// tx config come from a throw-away in-memory app (as cmd/medexchaind does).
func Connect(node, chainID, denom string, gasPrice float64) (*Chain, error) {
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.EmptyAppOptions{})
	rpc, err := NewRPC(node)
	if err != nil {
		return nil, err
	}
	c := &Chain{ChainID: chainID, Denom: denom, GasPrice: gasPrice, TxCfg: a.TxConfig(), RPC: rpc, app: a}
	c.Cctx = client.Context{}.WithClient(rpc).WithCodec(a.AppCodec()).WithInterfaceRegistry(a.InterfaceRegistry()).
		WithTxConfig(a.TxConfig()).WithChainID(chainID).WithAccountRetriever(authtypes.AccountRetriever{})
	c.Q = types.NewQueryClient(c.Cctx)
	st, err := rpc.Status(context.Background())
	if err != nil {
		return nil, fmt.Errorf("node %s: %w", node, err)
	}
	if st.NodeInfo.Network != chainID {
		return nil, fmt.Errorf("node %s is on chain %q, not %q", node, st.NodeInfo.Network, chainID)
	}
	return c, nil
}

// KeyringAccount is key name of the keyring (backend) in home, as an
// Account (number and sequence not yet read: Refresh).
func (c *Chain) KeyringAccount(home, backend, name string) (*Account, error) {
	kr, err := keyring.New(sdk.KeyringServiceName(), backend, home, os.Stdin, c.app.AppCodec())
	if err != nil {
		return nil, err
	}
	rec, err := kr.Key(name)
	if err != nil {
		return nil, fmt.Errorf("key %q in %s: %w", name, home, err)
	}
	priv, ok := rec.GetLocal().PrivKey.GetCachedValue().(cryptotypes.PrivKey)
	if !ok {
		return nil, fmt.Errorf("key %q: no local private key", name)
	}
	return &Account{Name: name, Priv: priv, Addr: sdk.AccAddress(priv.PubKey().Address())}, nil
}

// Sign builds and signs a tx of msgs by a with a's next sequence.
func (c *Chain) Sign(a *Account, gas uint64, msgs ...sdk.Msg) ([]byte, error) {
	const mode = signing.SignMode_SIGN_MODE_DIRECT
	txb := c.TxCfg.NewTxBuilder()
	if err := txb.SetMsgs(msgs...); err != nil {
		return nil, err
	}
	txb.SetGasLimit(gas)
	fee := int64(math.Ceil(float64(gas) * c.GasPrice))
	txb.SetFeeAmount(sdk.NewCoins(sdk.NewCoin(c.Denom, sdkmath.NewInt(fee))))
	sig := signing.SignatureV2{PubKey: a.Priv.PubKey(), Data: &signing.SingleSignatureData{SignMode: mode}, Sequence: a.Seq}
	if err := txb.SetSignatures(sig); err != nil {
		return nil, err
	}
	sd := authsigning.SignerData{Address: a.String(), ChainID: c.ChainID, AccountNumber: a.Num, Sequence: a.Seq,
		PubKey: a.Priv.PubKey()}
	sig, err := clienttx.SignWithPrivKey(context.Background(), mode, sd, txb, a.Priv, c.TxCfg, a.Seq)
	if err != nil {
		return nil, err
	}
	if err := txb.SetSignatures(sig); err != nil {
		return nil, err
	}
	a.Seq++
	return c.TxCfg.TxEncoder()(txb.GetTx())
}

// Refresh reads a's account number and sequence from the node.
func (c *Chain) Refresh(a *Account) error {
	num, seq, err := c.Cctx.AccountRetriever.GetAccountNumberSequence(c.Cctx, a.Addr)
	if err != nil {
		return fmt.Errorf("account %s (%s): %w", a.Name, a.Addr, err)
	}
	a.Num, a.Seq = num, seq
	return nil
}

// TxResult is a committed tx's result.
type TxResult struct {
	Code uint32
	Log  string
	Data []byte
}

// Deliver signs, broadcasts and waits for one setup tx; it fails unless the
// tx succeeds.
func (c *Chain) Deliver(a *Account, gas uint64, msgs ...sdk.Msg) (*TxResult, error) {
	tx, err := c.Sign(a, gas, msgs...)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	res, err := Broadcast(ctx, c.RPC, tx, nil)
	if err != nil {
		if res != nil { // refused by CheckTx: the sequence is not used
			a.Seq--
		}
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		r, err := c.RPC.Tx(ctx, res.Hash, false)
		if err == nil {
			if r.TxResult.Code != 0 {
				return nil, fmt.Errorf("tx %X failed (code %d): %s", res.Hash, r.TxResult.Code, r.TxResult.Log)
			}
			return &TxResult{Code: r.TxResult.Code, Log: r.TxResult.Log, Data: r.TxResult.Data}, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, fmt.Errorf("tx %X not committed within 30 s", res.Hash)
}

// MsgResponse decodes the single message response of a tx's data.
func MsgResponse(data []byte, resp interface{ Unmarshal([]byte) error }) error {
	var md sdk.TxMsgData
	if err := md.Unmarshal(data); err != nil {
		return err
	}
	if len(md.MsgResponses) != 1 {
		return fmt.Errorf("%d message responses, want 1", len(md.MsgResponses))
	}
	return resp.Unmarshal(md.MsgResponses[0].Value)
}
