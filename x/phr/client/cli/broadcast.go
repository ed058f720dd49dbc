package cli

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/input"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// Why not tx.GenerateOrBroadcastTxCLI: it exits 0 when the chain refuses a
// tx (it prints the response and returns nil), returns before the tx is in a
// block, and keeps the message responses (grant id, record id) inside hex.
// Scripts and the demo need a refusal to be an error naming the problem and
// the id the chain assigned. This sender signs with the standard tx flags,
// broadcasts, waits for the block and decodes the responses.

// maxSequenceRetries bounds re-signing after a sequence mismatch.
const maxSequenceRetries = 3

var expectedSeq = regexp.MustCompile(`expected (\d+), got \d+`)

// expectedSequence is the sequence a node's mismatch error asks for, or 0
// (re-read the committed one).
func expectedSequence(log string) uint64 {
	if m := expectedSeq.FindStringSubmatch(log); m != nil {
		if n, err := strconv.ParseUint(m[1], 10, 64); err == nil {
			return n
		}
	}
	return 0
}

// errWrongSequence: the simulation saw another sequence than ours.
var errWrongSequence = errors.New("account sequence mismatch")

// defaultGasAdjustment scales simulated gas when --gas is not given.
const defaultGasAdjustment = 1.5

const (
	flagWait    = "wait"
	flagTimeout = "wait-timeout"
)

func addWaitFlags(cmd *cobra.Command) {
	cmd.Flags().Bool(flagWait, true, "wait until the tx is in a block and report its result (false: return after CheckTx)")
	cmd.Flags().Duration(flagTimeout, time.Minute, "how long to wait for the tx to be included")
}

// Sender signs and broadcasts txs from one account, keeping the sequence
// locally so that a loop (the device simulator) need not wait for a block
// between txs.
type Sender struct {
	clientCtx client.Context
	txf       tx.Factory
	wait      bool
	timeout   time.Duration
	prompt    bool
}

// Included is a tx the chain executed successfully.
type Included struct {
	TxHash    string
	Height    int64 // 0 when not waited for
	Responses [][]byte
}

// NewSender builds a sender from the standard tx flags. prompt: ask before
// signing unless --yes (interactive commands); the simulator never asks.
func NewSender(clientCtx client.Context, fs *pflag.FlagSet, prompt bool) (*Sender, error) {
	if clientCtx.FromAddress.Empty() && !clientCtx.GenerateOnly {
		return nil, errors.New("--from is required: the account that signs")
	}
	txf, err := tx.NewFactoryCLI(clientCtx, fs)
	if err != nil {
		return nil, err
	}
	// The chain charges gas for the crypto it verifies (a grant, an upload),
	// so the SDK's fixed default of 200000 is a guess that fails; simulate
	// unless --gas is given, like the proxy daemon does.
	if !fs.Changed(flags.FlagGas) {
		txf = txf.WithSimulateAndExecute(true)
		if !fs.Changed(flags.FlagGasAdjustment) {
			txf = txf.WithGasAdjustment(defaultGasAdjustment)
		}
	}
	wait, _ := fs.GetBool(flagWait)
	timeout, _ := fs.GetDuration(flagTimeout)
	if timeout <= 0 {
		timeout = time.Minute
	}
	return &Sender{clientCtx: clientCtx, txf: txf, wait: wait, timeout: timeout, prompt: prompt && !clientCtx.SkipConfirm}, nil
}

// Send signs, broadcasts and (with --wait) waits for msgs. With
// --generate-only it prints the unsigned tx and returns nil, nil.
func (s *Sender) Send(msgs ...sdk.Msg) (*Included, error) {
	for _, m := range msgs {
		if v, ok := m.(sdk.HasValidateBasic); ok {
			if err := v.ValidateBasic(); err != nil {
				return nil, err
			}
		}
	}
	if s.clientCtx.GenerateOnly {
		if err := s.txf.PrintUnsignedTx(s.clientCtx, msgs...); err != nil {
			return nil, errors.New(CleanChainError(err.Error()))
		}
		return nil, nil
	}
	ctx := s.clientCtx.GetCmdContextWithFallback()
	for attempt := 0; ; attempt++ {
		txf, res, err := s.broadcast(ctx, msgs, attempt == 0 && s.prompt)
		wrongSeq := errors.Is(err, errWrongSequence) ||
			(err == nil && res.Code == sdkerrors.ErrWrongSequence.ABCICode() && res.Codespace == sdkerrors.RootCodespace)
		if wrongSeq && attempt < maxSequenceRetries {
			// another tx of this account got in first (a second process
			// signing for it, or a tx refused in a block): take the
			// sequence the node expects (its mempool's, ahead of the
			// committed one), or re-read it
			text := ""
			if err != nil {
				text = err.Error()
			} else {
				text = res.RawLog
			}
			s.txf = s.txf.WithSequence(expectedSequence(text))
			continue
		}
		if err != nil {
			return nil, err
		}
		if res.Code != 0 {
			// the account's sequence did not advance: re-read it next time
			s.txf = s.txf.WithSequence(0)
			return nil, fmt.Errorf("the chain refused the tx (%s code %d): %s", res.Codespace, res.Code, CleanChainError(res.RawLog))
		}
		s.txf = txf.WithSequence(txf.Sequence() + 1)
		if !s.wait {
			return &Included{TxHash: res.TxHash}, nil
		}
		in, err := s.awaitTx(ctx, res.TxHash)
		if err != nil {
			// refused in the block: by the ante chain (sequence not used)
			// or by the message (used); the committed state knows which
			s.txf = s.txf.WithSequence(0)
		}
		return in, err
	}
}

// broadcast prepares (account number, sequence, gas), signs and broadcasts
// msgs once, returning the factory it signed with and the CheckTx result.
func (s *Sender) broadcast(ctx context.Context, msgs []sdk.Msg, prompt bool) (tx.Factory, *sdk.TxResponse, error) {
	txf, err := s.txf.Prepare(s.clientCtx)
	if err != nil {
		return txf, nil, fmt.Errorf("reading account %s: %w", s.clientCtx.FromAddress, err)
	}
	if txf.SimulateAndExecute() {
		_, gas, err := tx.CalculateGas(s.clientCtx, txf, msgs...)
		if err != nil {
			if strings.Contains(err.Error(), "account sequence mismatch") {
				return txf, nil, fmt.Errorf("%w: %s", errWrongSequence, CleanChainError(err.Error()))
			}
			return txf, nil, fmt.Errorf("the chain would refuse the tx: %s", CleanChainError(err.Error()))
		}
		txf = txf.WithGas(gas)
	}
	builder, err := txf.BuildUnsignedTx(msgs...)
	if err != nil {
		return txf, nil, err
	}
	if prompt {
		ok, err := s.confirm(builder)
		if err != nil || !ok {
			return txf, nil, errors.Join(errors.New("canceled"), err)
		}
	}
	if err := tx.Sign(ctx, txf, s.clientCtx.FromName, builder, true); err != nil {
		return txf, nil, err
	}
	bz, err := s.clientCtx.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return txf, nil, err
	}
	res, err := s.clientCtx.BroadcastTx(bz)
	if err != nil {
		return txf, nil, fmt.Errorf("broadcasting: %w", err)
	}
	return txf, res, nil
}

func (s *Sender) confirm(builder client.TxBuilder) (bool, error) {
	bz, err := s.clientCtx.TxConfig.TxJSONEncoder()(builder.GetTx())
	if err != nil {
		return false, err
	}
	if err := s.clientCtx.PrintRaw(json.RawMessage(bz)); err != nil {
		return false, err
	}
	return input.GetConfirmation("confirm transaction before signing and broadcasting", bufio.NewReader(os.Stdin), os.Stderr)
}

// awaitTx polls the node until the tx is in a block.
func (s *Sender) awaitTx(ctx context.Context, txHash string) (*Included, error) {
	hash, err := hex.DecodeString(txHash)
	if err != nil {
		return nil, err
	}
	node, err := s.clientCtx.GetNode()
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(s.timeout)
	for {
		res, err := node.Tx(ctx, hash, false)
		if err == nil {
			r := res.TxResult
			if r.Code != 0 {
				return nil, fmt.Errorf("tx %s failed at height %d (%s code %d): %s", txHash, res.Height, r.Codespace, r.Code, CleanChainError(r.Log))
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
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("tx %s was not included within %s (last: %s)", txHash, s.timeout, oneLine(err.Error()))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// Response decodes the i-th message response of an included tx into out.
func (in *Included) Response(i int, out gogoproto.Message) error {
	if in == nil || i >= len(in.Responses) {
		return fmt.Errorf("tx %s carries no response %d", in.TxHash, i)
	}
	return gogoproto.Unmarshal(in.Responses[i], out)
}

// oneLine keeps the first line of a multi-line log.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// report prints a one-line summary, or with --output json the fields.
func report(clientCtx client.Context, in *Included, summary string, fields map[string]any) error {
	if in == nil { // --generate-only printed the tx already
		return nil
	}
	if clientCtx.OutputFormat == flags.OutputFormatJSON {
		out := map[string]any{"txhash": in.TxHash, "height": in.Height}
		for k, v := range fields {
			out[k] = v
		}
		bz, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return clientCtx.PrintRaw(bz)
	}
	where := "submitted"
	if in.Height > 0 {
		where = fmt.Sprintf("height %d", in.Height)
	}
	return clientCtx.PrintString(fmt.Sprintf("%s (tx %s, %s)\n", summary, in.TxHash, where))
}
