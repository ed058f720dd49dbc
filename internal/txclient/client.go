// Package txclient signs, broadcasts and waits for medexchain transactions:
// the one tx client of the hand-written CLI commands, the device simulator
// and the proxy daemon.
//
// Why not tx.GenerateOrBroadcastTxCLI: it exits 0 when the chain refuses a
// tx (it prints the response and returns nil), returns before the tx is in
// a block, and keeps the message responses (grant id, record id) inside hex.
// Callers need a refusal to be an error naming the registered error, and the
// ids the chain assigned. Client does the steps of tx.BroadcastTx one by one:
// read the account, simulate for gas (through the /app/simulate ABCI query,
// which keeps the refusal's codespace and code), sign, broadcast in sync
// mode, and poll the node until the tx is in a block.
//
// Sequence numbers: Client remembers the sequence after its last accepted
// tx, so a loop need not wait for a block between txs. A refusal with
// sdkerrors.ErrWrongSequence (codespace "sdk", code 32: another process used
// the key, or a tx of ours left the mempool) is recognised by its code, never
// by its text; the client then forgets its sequence, reads the account again
// and re-signs, waiting a poll interval between attempts while the committed
// sequence has not moved (a tx of ours still in the mempool).
package txclient

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	gogoproto "github.com/cosmos/gogoproto/proto"

	rpcclient "github.com/cometbft/cometbft/rpc/client"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/input"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/medexchain/medexchain/internal/cliutil"
)

// ErrUnavailable marks a failure to reach the node (connection refused, node
// restarting, a broadcast whose inclusion could not be observed). Everything
// else Client returns is an answer from the chain (a *RefusedError) or a
// local problem (building or signing the tx).
var ErrUnavailable = errors.New("node unreachable")

// Defaults of Options.
const (
	DefaultTimeout = time.Minute
	DefaultPoll    = 500 * time.Millisecond
	// MaxSequenceRetries bounds re-signing after sequence mismatches.
	MaxSequenceRetries = 5
)

// Options tune a Client.
type Options struct {
	// Wait: wait until the tx is in a block (otherwise return after CheckTx).
	Wait bool
	// Timeout bounds the wait for inclusion (DefaultTimeout if 0).
	Timeout time.Duration
	// Poll is the interval of inclusion and sequence polls (DefaultPoll if 0).
	Poll time.Duration
	// Prompt: print the tx and ask before signing (the first attempt only).
	Prompt bool
	// ExtraGas, if set, is added to the simulated (and adjusted) gas: for a
	// tx whose cost depends on what lands before it (see the proxy daemon).
	ExtraGas func(msgs []sdk.Msg) uint64
}

// Client signs txs from one account (clientCtx.FromName, FromAddress) and
// broadcasts them to clientCtx's node. It is not safe for concurrent use.
type Client struct {
	clientCtx client.Context
	txf       tx.Factory
	opts      Options

	nextSeq uint64 // the sequence after our last accepted tx, if haveSeq
	haveSeq bool
}

// New returns a client over clientCtx (node, keyring, FromName and
// FromAddress set) and the factory txf (fees, gas, chain id; simulated gas
// when txf.SimulateAndExecute()).
func New(clientCtx client.Context, txf tx.Factory, opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	return &Client{clientCtx: clientCtx, txf: txf, opts: opts}
}

// Included is a tx the chain accepted: executed successfully in a block, or
// (Height 0, without Options.Wait) accepted by CheckTx.
type Included struct {
	TxHash string
	Height int64
	// Responses are the message responses (Any values, in message order).
	Responses [][]byte
}

// Response decodes the i-th message response into out.
func (in *Included) Response(i int, out gogoproto.Message) error {
	if in == nil || i >= len(in.Responses) {
		hash := ""
		if in != nil {
			hash = in.TxHash
		}
		return fmt.Errorf("tx %s carries no response %d (was it waited for?)", hash, i)
	}
	return gogoproto.Unmarshal(in.Responses[i], out)
}

// Send signs, broadcasts and (with Options.Wait) waits for msgs. With
// clientCtx.GenerateOnly it prints the unsigned tx and returns nil, nil.
// A refusal by the chain is a *RefusedError (errors.Is matches the
// registered error); a node that cannot be reached wraps ErrUnavailable.
func (c *Client) Send(ctx context.Context, msgs ...sdk.Msg) (*Included, error) {
	for _, m := range msgs {
		if v, ok := m.(sdk.HasValidateBasic); ok {
			if err := v.ValidateBasic(); err != nil {
				return nil, err
			}
		}
	}
	if c.clientCtx.GenerateOnly {
		if err := c.txf.PrintUnsignedTx(c.clientCtx, msgs...); err != nil {
			return nil, errors.New(cliutil.ErrorLine(err.Error()))
		}
		return nil, nil
	}
	var refused uint64 // the sequence of the last mismatch, to see the chain move
	for attempt := 0; ; attempt++ {
		txf, err := c.prepare(ctx)
		if err != nil {
			return nil, err
		}
		if attempt > 0 && txf.Sequence() == refused {
			// The chain still counts the sequence it just refused: a tx of
			// ours is in the mempool ahead of the committed state. Give it a
			// block.
			if err := sleep(ctx, c.opts.Poll); err != nil {
				return nil, err
			}
			if txf, err = c.prepare(ctx); err != nil {
				return nil, err
			}
		}
		hash, err := c.broadcast(ctx, txf, msgs, attempt == 0 && c.opts.Prompt)
		if errors.Is(err, sdkerrors.ErrWrongSequence) && attempt < MaxSequenceRetries {
			c.haveSeq, refused = false, txf.Sequence()
			continue
		}
		if err != nil {
			return nil, err
		}
		if !c.opts.Wait {
			return &Included{TxHash: hash}, nil
		}
		return c.await(ctx, hash)
	}
}

// prepare returns the factory with the account number and the sequence to
// use: the chain's, or ours if a tx of ours is still ahead of it.
func (c *Client) prepare(ctx context.Context) (tx.Factory, error) {
	from := c.clientCtx.FromAddress
	if from.Empty() {
		return c.txf, errors.New("no signer: --from is required")
	}
	cctx := c.clientCtx.WithCmdContext(ctx)
	num, seq, err := cctx.AccountRetriever.GetAccountNumberSequence(cctx, from)
	if err != nil {
		return c.txf, fmt.Errorf("reading account %s: %w", from, TransportError(err))
	}
	if c.haveSeq && c.nextSeq > seq {
		seq = c.nextSeq
	}
	return c.txf.WithAccountNumber(num).WithSequence(seq), nil
}

// broadcast simulates (when the factory asks), signs and broadcasts msgs
// once; it returns the hash of a tx CheckTx accepted.
func (c *Client) broadcast(ctx context.Context, txf tx.Factory, msgs []sdk.Msg, prompt bool) (string, error) {
	if txf.SimulateAndExecute() {
		gas, err := c.simulate(ctx, txf, msgs)
		if err != nil {
			return "", err
		}
		if c.opts.ExtraGas != nil {
			gas += c.opts.ExtraGas(msgs)
		}
		txf = txf.WithGas(gas)
	}
	bz, err := c.sign(ctx, txf, msgs, prompt)
	if err != nil {
		return "", err
	}
	hash, err := c.submit(ctx, bz)
	if err != nil {
		return "", err
	}
	// In the mempool (or these very bytes already were, a retry of ours):
	// until it is in a block, the node's committed sequence is behind it.
	c.nextSeq, c.haveSeq = txf.Sequence()+1, true
	return hash, nil
}

// sign builds msgs with txf (account number, sequence and gas set), asks
// when prompt is set, signs and encodes the tx.
func (c *Client) sign(ctx context.Context, txf tx.Factory, msgs []sdk.Msg, prompt bool) ([]byte, error) {
	builder, err := txf.BuildUnsignedTx(msgs...)
	if err != nil {
		return nil, fmt.Errorf("building the tx: %w", err)
	}
	if prompt {
		ok, err := c.confirm(builder)
		if err != nil || !ok {
			return nil, errors.Join(errors.New("canceled"), err)
		}
	}
	if err := tx.Sign(ctx, txf, c.clientCtx.FromName, builder, true); err != nil {
		return nil, fmt.Errorf("signing the tx: %w", err)
	}
	bz, err := c.clientCtx.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return nil, fmt.Errorf("encoding the tx: %w", err)
	}
	return bz, nil
}

// submit broadcasts a signed tx in sync mode and returns its hash once
// CheckTx accepted it, or found these very bytes in the mempool already.
func (c *Client) submit(ctx context.Context, bz []byte) (string, error) {
	node, err := c.clientCtx.GetNode()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	res, err := node.BroadcastTxSync(ctx, bz)
	if r := client.CheckCometError(err, bz); r != nil {
		if r.Code == sdkerrors.ErrTxInMempoolCache.ABCICode() && r.Codespace == sdkerrors.ErrTxInMempoolCache.Codespace() {
			return r.TxHash, nil // wait for them like for a fresh broadcast
		}
		return "", &RefusedError{Stage: StageCheck, TxHash: r.TxHash, Codespace: r.Codespace, Code: r.Code, Log: cliutil.ErrorLine(err.Error())}
	}
	if err != nil {
		return "", fmt.Errorf("%w: broadcasting: %v", ErrUnavailable, err)
	}
	hash := res.Hash.String()
	if res.Code != 0 { // refused by CheckTx: the sequence did not move
		return "", &RefusedError{Stage: StageCheck, TxHash: hash, Codespace: res.Codespace, Code: res.Code, Log: cliutil.ErrorLine(res.Log)}
	}
	return hash, nil
}

// simulate runs msgs through the /app/simulate ABCI query and returns the gas
// used times the factory's adjustment. Unlike the Simulate gRPC service,
// which returns a refusal as text only, the ABCI query keeps its codespace
// and code.
func (c *Client) simulate(ctx context.Context, txf tx.Factory, msgs []sdk.Msg) (uint64, error) {
	bz, err := txf.BuildSimTx(msgs...)
	if err != nil {
		return 0, fmt.Errorf("building the simulation tx: %w", err)
	}
	node, err := c.clientCtx.GetNode()
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	res, err := node.ABCIQueryWithOptions(ctx, "/app/simulate", bz, rpcclient.ABCIQueryOptions{})
	if err != nil {
		return 0, fmt.Errorf("%w: simulating: %v", ErrUnavailable, err)
	}
	if r := res.Response; r.Code != 0 {
		return 0, &RefusedError{Stage: StageSimulation, Codespace: r.Codespace, Code: r.Code, Log: cliutil.ErrorLine(r.Log)}
	}
	var sim sdk.SimulationResponse
	if err := c.clientCtx.Codec.UnmarshalJSON(res.Response.Value, &sim); err != nil {
		return 0, fmt.Errorf("decoding the simulation result: %w", err)
	}
	adj := txf.GasAdjustment()
	if adj <= 0 {
		adj = 1
	}
	return uint64(adj * float64(sim.GasUsed)), nil
}

func (c *Client) confirm(builder client.TxBuilder) (bool, error) {
	bz, err := c.clientCtx.TxConfig.TxJSONEncoder()(builder.GetTx())
	if err != nil {
		return false, err
	}
	if err := c.clientCtx.PrintRaw(json.RawMessage(bz)); err != nil {
		return false, err
	}
	return input.GetConfirmation("confirm transaction before signing and broadcasting", bufio.NewReader(os.Stdin), os.Stderr)
}

// await polls the node until the tx is in a block and returns its result.
func (c *Client) await(ctx context.Context, txHash string) (*Included, error) {
	hash, err := hex.DecodeString(txHash)
	if err != nil {
		return nil, err
	}
	node, err := c.clientCtx.GetNode()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	deadline := time.Now().Add(c.opts.Timeout)
	for {
		res, err := node.Tx(ctx, hash, false)
		if err == nil {
			// In a block: the committed account sequence is exact again (a
			// tx refused by the ante handler in the block did not consume
			// its sequence; one refused by a message did).
			c.haveSeq = false
			r := res.TxResult
			if r.Code != 0 {
				return nil, &RefusedError{Stage: StageBlock, TxHash: txHash, Height: res.Height, Codespace: r.Codespace, Code: r.Code, Log: cliutil.ErrorLine(r.Log)}
			}
			var data sdk.TxMsgData
			if err := gogoproto.Unmarshal(r.Data, &data); err != nil {
				return nil, fmt.Errorf("tx %s: decoding its result: %w", txHash, err)
			}
			out := &Included{TxHash: txHash, Height: res.Height}
			for _, a := range data.MsgResponses {
				out.Responses = append(out.Responses, a.Value)
			}
			return out, nil
		}
		// "not found" until the block is committed and indexed
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w: tx %s not seen in a block within %s (last: %s)", ErrUnavailable, txHash, c.opts.Timeout, cliutil.ErrorLine(err.Error()))
		}
		if err := sleep(ctx, c.opts.Poll); err != nil {
			return nil, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
