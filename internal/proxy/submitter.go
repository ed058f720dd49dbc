package proxy

import (
	"context"
	"time"

	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

// DefaultCompletionGas is added per answer to the simulated gas. The
// simulation runs on the state before the tx; by the time it executes, other
// proxies' answers may have landed, and then this tx is the one that brings
// tasks to t answers and pays for combining them and storing the share and
// its audit entry (measured on the app harness: about 27k gas for one task,
// 38k per task in a batch of 4).
const DefaultCompletionGas = 50_000

// TxSubmitter is the daemon's Submitter on a real node: internal/txclient
// (broadcast, wait for the block, refusals as registered errors, sequence
// recovery by error code), with DefaultCompletionGas-style headroom per
// answer. Waiting for inclusion before returning is what keeps consecutive
// batches off each other's sequence numbers.
type TxSubmitter struct {
	c *txclient.Client
}

// NewTxSubmitter returns a submitter over clientCtx (node, keyring,
// FromName and FromAddress set) and a tx factory (fees, gas, chain id).
// inclusion bounds the wait for a tx to be in a block; completionGas is
// added per answer to the simulated gas (ignored with a fixed --gas).
func NewTxSubmitter(clientCtx client.Context, txf tx.Factory, inclusion time.Duration, completionGas uint64) *TxSubmitter {
	extra := func(msgs []sdk.Msg) uint64 {
		var n uint64
		for _, m := range msgs {
			if a, ok := m.(*types.MsgSubmitAnswers); ok {
				n += uint64(len(a.Answers))
			}
		}
		return n * completionGas
	}
	return &TxSubmitter{c: txclient.New(clientCtx, txf, txclient.Options{Wait: true, Timeout: inclusion, ExtraGas: extra})}
}

// Submit implements Submitter.
func (s *TxSubmitter) Submit(ctx context.Context, msg *types.MsgSubmitAnswers) (*SubmitResult, error) {
	in, err := s.c.Send(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &SubmitResult{TxHash: in.TxHash, Height: in.Height, Completed: completedTasks(in.Responses)}, nil
}

// completedTasks decodes MsgSubmitAnswersResponse.completed_tasks from the
// message responses of an included tx.
func completedTasks(responses [][]byte) []uint64 {
	var out []uint64
	for _, bz := range responses {
		var r types.MsgSubmitAnswersResponse
		if err := proto.Unmarshal(bz, &r); err == nil {
			out = append(out, r.CompletedTasks...)
		}
	}
	return out
}
