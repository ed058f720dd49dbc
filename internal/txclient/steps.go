package txclient

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	gogoproto "github.com/cosmos/gogoproto/proto"

	rpctypes "github.com/cometbft/cometbft/rpc/jsonrpc/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// The steps of Send, one by one, for a caller that must keep each signed tx
// before it is broadcast and find out later what became of it (the
// gateway's store-and-forward spool): it chooses the sequence, keeps the
// bytes, broadcasts them again, and asks for the tx by its hash. Client's
// own sequence bookkeeping is not involved.

// Account returns the signer's account number and committed sequence.
func (c *Client) Account(ctx context.Context) (number, sequence uint64, err error) {
	from := c.clientCtx.FromAddress
	if from.Empty() {
		return 0, 0, errors.New("no signer: --from is required")
	}
	cctx := c.clientCtx.WithCmdContext(ctx)
	number, sequence, err = cctx.AccountRetriever.GetAccountNumberSequence(cctx, from)
	if err != nil {
		return 0, 0, fmt.Errorf("reading account %s: %w", from, TransportError(err))
	}
	return number, sequence, nil
}

// Height returns the height of the node's latest committed block.
func (c *Client) Height(ctx context.Context) (int64, error) {
	node, err := c.clientCtx.GetNode()
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	info, err := node.ABCIInfo(ctx)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return info.Response.LastBlockHeight, nil
}

// Gas is the gas msgs would need when signed with account sequence
// sequence: simulated (times the adjustment, plus Options.ExtraGas) when the
// factory simulates, else the factory's fixed gas. A simulation the chain
// refuses is a *RefusedError (StageSimulation).
func (c *Client) Gas(ctx context.Context, number, sequence uint64, msgs ...sdk.Msg) (uint64, error) {
	txf := c.txf.WithAccountNumber(number).WithSequence(sequence)
	if !txf.SimulateAndExecute() {
		return txf.Gas(), nil
	}
	gas, err := c.simulate(ctx, txf, msgs)
	if err != nil {
		return 0, err
	}
	if c.opts.ExtraGas != nil {
		gas += c.opts.ExtraGas(msgs)
	}
	return gas, nil
}

// SignAt signs msgs with the given account number, sequence and gas, and
// returns the encoded tx. It never prompts.
func (c *Client) SignAt(ctx context.Context, number, sequence, gas uint64, msgs ...sdk.Msg) ([]byte, error) {
	txf := c.txf.WithAccountNumber(number).WithSequence(sequence).WithGas(gas).WithSimulateAndExecute(false)
	return c.sign(ctx, txf, msgs, false)
}

// Submit broadcasts a signed tx in sync mode and returns its hash once
// CheckTx accepted it (or the node holds these very bytes already). A
// refusal is a *RefusedError (StageCheck); a node that cannot be reached
// wraps ErrUnavailable.
func (c *Client) Submit(ctx context.Context, tx []byte) (string, error) {
	return c.submit(ctx, tx)
}

// Result is an included tx, executed successfully or not.
type Result struct {
	Height    int64
	Codespace string
	Code      uint32
	Log       string
	// Responses are the message responses of a successful tx.
	Responses [][]byte
}

// Response decodes the i-th message response into out.
func (r *Result) Response(i int, out gogoproto.Message) error {
	if r == nil || i >= len(r.Responses) {
		return fmt.Errorf("the tx carries no response %d", i)
	}
	return gogoproto.Unmarshal(r.Responses[i], out)
}

// LookupTx asks the node for an included tx by its hash (hex). It returns
// nil, nil when the node knows no such tx: not in a block yet, never, or
// lost from the node's tx index. Only a node that did not answer is an
// error (wrapping ErrUnavailable).
func (c *Client) LookupTx(ctx context.Context, txHash string) (*Result, error) {
	hash, err := hex.DecodeString(txHash)
	if err != nil {
		return nil, fmt.Errorf("tx hash %q: %w", txHash, err)
	}
	node, err := c.clientCtx.GetNode()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	res, err := node.Tx(ctx, hash, false)
	if err != nil {
		// the node answered with an RPC error: for a well-formed hash,
		// "tx not found" (or an index that is switched off)
		var rpcErr *rpctypes.RPCError
		if errors.As(err, &rpcErr) {
			return nil, nil
		}
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	r := res.TxResult
	out := &Result{Height: res.Height, Codespace: r.Codespace, Code: r.Code, Log: r.Log}
	if r.Code == 0 {
		var data sdk.TxMsgData
		if err := gogoproto.Unmarshal(r.Data, &data); err != nil {
			return nil, fmt.Errorf("tx %s: decoding its result: %w", txHash, err)
		}
		for _, a := range data.MsgResponses {
			out.Responses = append(out.Responses, a.Value)
		}
	}
	return out, nil
}
