package proxy

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cosmos/gogoproto/proto"

	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"

	"github.com/medexchain/medexchain/x/phr/types"
)

// Defaults of TxSubmitter.
const (
	DefaultInclusionTimeout = 60 * time.Second
	DefaultInclusionPoll    = 500 * time.Millisecond
	// DefaultCompletionGas is added per answer to the simulated gas. The
	// simulation runs on the state before the tx; by the time it executes,
	// other proxies' answers may have landed, and then this tx is the one
	// that brings tasks to t answers and pays for combining them and
	// storing the share and its audit entry (measured on the app harness:
	// about 27k gas for one task, 38k per task in a batch of 4).
	DefaultCompletionGas = 50_000
)

// TxSubmitter signs MsgSubmitAnswers with the key of clientCtx.FromName and
// broadcasts it to a real node: the steps of tx.BroadcastTx (prepare,
// simulate for gas when the factory asks, build, sign, encode, broadcast),
// done one by one so that it can broadcast in sync mode, read the hash and
// then poll the node until the tx is in a block. Waiting for inclusion
// before returning is what keeps consecutive batches off each other's
// sequence numbers; the sequence it used last is also remembered, in case a
// tx stays in the mempool longer than InclusionTimeout.
type TxSubmitter struct {
	clientCtx client.Context
	factory   tx.Factory
	// InclusionTimeout bounds the wait for a broadcast tx to be in a block.
	InclusionTimeout time.Duration
	// InclusionPoll is the interval of the inclusion polls.
	InclusionPoll time.Duration
	// CompletionGas is added per answer to the simulated gas (see
	// DefaultCompletionGas); ignored when the factory has a fixed gas.
	CompletionGas uint64

	nextSeq uint64 // the sequence after our last accepted tx, if haveSeq
	haveSeq bool
}

// NewTxSubmitter returns a submitter over clientCtx (node, keyring,
// FromName and FromAddress set) and a tx factory (fees, gas, chain id).
func NewTxSubmitter(clientCtx client.Context, txf tx.Factory) *TxSubmitter {
	return &TxSubmitter{
		clientCtx:        clientCtx.WithBroadcastMode(flags.BroadcastSync),
		factory:          txf,
		InclusionTimeout: DefaultInclusionTimeout,
		InclusionPoll:    DefaultInclusionPoll,
		CompletionGas:    DefaultCompletionGas,
	}
}

// Submit implements Submitter. A sequence mismatch before broadcast (someone
// else used the key, or a tx of ours left the mempool) is retried once with
// the corrected sequence.
func (s *TxSubmitter) Submit(ctx context.Context, msg *types.MsgSubmitAnswers) (*SubmitResult, error) {
	res, err := s.broadcast(ctx, msg)
	if errors.Is(err, sdkerrors.ErrWrongSequence) {
		res, err = s.broadcast(ctx, msg)
	}
	if err != nil {
		return nil, err
	}
	return s.await(ctx, res.TxHash)
}

// broadcast simulates (when asked), signs and broadcasts msg; it returns the
// CheckTx result of an accepted tx.
func (s *TxSubmitter) broadcast(ctx context.Context, msg *types.MsgSubmitAnswers) (*sdk.TxResponse, error) {
	txf, err := s.prepare()
	if err != nil {
		return nil, err
	}
	if txf.SimulateAndExecute() {
		_, gas, err := tx.CalculateGas(s.clientCtx, txf, msg)
		if err != nil {
			return nil, s.chainError(simulationError(err))
		}
		txf = txf.WithGas(gas + s.CompletionGas*uint64(len(msg.Answers)))
	}
	builder, err := txf.BuildUnsignedTx(msg)
	if err != nil {
		return nil, fmt.Errorf("building tx: %w", err)
	}
	if err := tx.Sign(ctx, txf, s.clientCtx.FromName, builder, true); err != nil {
		return nil, fmt.Errorf("signing tx: %w", err)
	}
	bz, err := s.clientCtx.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return nil, fmt.Errorf("encoding tx: %w", err)
	}
	res, err := s.clientCtx.BroadcastTx(bz)
	if err != nil {
		return nil, fmt.Errorf("%w: broadcast: %v", ErrUnavailable, err)
	}
	if res.Code != 0 { // refused by CheckTx: the sequence did not move
		return nil, s.chainError(errorsmod.ABCIError(res.Codespace, res.Code, res.RawLog))
	}
	// In the mempool: until it is in a block, the node's committed sequence
	// is behind it.
	s.nextSeq, s.haveSeq = txf.Sequence()+1, true
	return res, nil
}

// prepare returns the factory with the account number and the sequence to
// use: the chain's, or ours if a tx of ours is still ahead of it.
func (s *TxSubmitter) prepare() (tx.Factory, error) {
	num, seq, err := s.clientCtx.AccountRetriever.GetAccountNumberSequence(s.clientCtx, s.clientCtx.FromAddress)
	if err != nil {
		return s.factory, fmt.Errorf("account %s: %w", s.clientCtx.FromAddress, transportError(err))
	}
	if s.haveSeq && s.nextSeq > seq {
		seq = s.nextSeq
	}
	return s.factory.WithAccountNumber(num).WithSequence(seq), nil
}

// await polls the node until the tx is in a block and returns its result.
func (s *TxSubmitter) await(ctx context.Context, hash string) (*SubmitResult, error) {
	deadline := time.Now().Add(s.InclusionTimeout)
	var last error
	for {
		res, err := authtx.QueryTx(s.clientCtx, hash)
		if err == nil {
			// In a block: the committed account sequence is exact again
			// (a tx refused by the ante handler in the block did not
			// consume its sequence; one refused by a message did).
			s.haveSeq = false
			if res.Code != 0 {
				return nil, s.chainError(errorsmod.ABCIError(res.Codespace, res.Code, fmt.Sprintf("tx %s: %s", hash, res.RawLog)))
			}
			return &SubmitResult{TxHash: hash, Height: res.Height, Completed: completedTasks(res.Data)}, nil
		}
		last = err // "not found" until the block is committed and indexed
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%w: tx %s not seen in a block within %s (last error: %v)", ErrUnavailable, hash, s.InclusionTimeout, last)
		}
		t := time.NewTimer(s.InclusionPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

var expectedSeq = regexp.MustCompile(`expected (\d+), got (\d+)`)

// chainError updates the sequence bookkeeping on a sequence mismatch (a tx of
// ours left the mempool, or another client used the key) and returns err.
func (s *TxSubmitter) chainError(err error) error {
	if errors.Is(err, sdkerrors.ErrWrongSequence) {
		s.haveSeq = false
		if m := expectedSeq.FindStringSubmatch(err.Error()); m != nil {
			if n, perr := strconv.ParseUint(m[1], 10, 64); perr == nil {
				s.nextSeq, s.haveSeq = n, true
			}
		}
	}
	return err
}

// simulationErrors are the errors a simulation failure is matched against.
// The Simulate service returns the failure as text only (gRPC Unknown with
// the error's message), so the registered error is recovered from its
// description; without a match the text is returned as it is.
var simulationErrors = []*errorsmod.Error{
	types.ErrTaskClosed, types.ErrDuplicateAnswer, types.ErrGrantRevoked, types.ErrGrantExpired, types.ErrGrantState,
	types.ErrTaskNotFound, types.ErrNotCommittee, types.ErrInvalidAnswer, types.ErrNotProxy,
	sdkerrors.ErrWrongSequence,
}

func simulationError(err error) error {
	if u := transportError(err); errors.Is(u, ErrUnavailable) {
		return u
	}
	msg := err.Error()
	for _, e := range simulationErrors {
		if strings.Contains(msg, e.Error()) {
			return errorsmod.Wrap(e, "simulation: "+msg)
		}
	}
	return fmt.Errorf("simulation: %w", err)
}

// completedTasks decodes MsgSubmitAnswersResponse.completed_tasks from a
// TxResponse's data (hex of TxMsgData); nil if it is not there.
func completedTasks(data string) []uint64 {
	bz, err := hex.DecodeString(data)
	if err != nil || len(bz) == 0 {
		return nil
	}
	var md sdk.TxMsgData
	if err := proto.Unmarshal(bz, &md); err != nil {
		return nil
	}
	want := "/" + proto.MessageName(&types.MsgSubmitAnswersResponse{})
	var out []uint64
	for _, a := range md.MsgResponses {
		if a == nil || a.TypeUrl != want {
			continue
		}
		var r types.MsgSubmitAnswersResponse
		if err := proto.Unmarshal(a.Value, &r); err == nil {
			out = append(out, r.CompletedTasks...)
		}
	}
	return out
}
