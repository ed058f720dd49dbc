package proxy

import (
	"context"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

// ErrUnavailable marks a failure to reach the node (connection refused, node
// restarting, a broadcast whose inclusion could not be observed); it is
// txclient.ErrUnavailable. The worker gives up the current cycle on it and
// Run retries with backoff; everything else a Querier or Submitter returns
// is an answer from the chain.
var ErrUnavailable = txclient.ErrUnavailable

// Querier is the read side of the chain the worker needs. Implementations
// read the proxy's own node.
type Querier interface {
	// PendingTasks returns up to limit open tasks of active grants on whose
	// committee proxy sits and which it has not answered yet.
	PendingTasks(ctx context.Context, proxy string, limit uint64) ([]types.Task, error)
	// Grant returns one grant; an error wrapping types.ErrGrantNotFound (or a
	// gRPC NotFound) when the node has none with that id, which the worker
	// treats as transient (grants are never deleted on chain).
	Grant(ctx context.Context, id uint64) (*types.Grant, error)
	// GrantsByProxy returns every grant (all pages) with proxy on its
	// committee and the given status.
	GrantsByProxy(ctx context.Context, proxy string, status types.GrantStatus) ([]types.Grant, error)
	// RecordHead returns one record as stored (capsules after the chain
	// firewall) without its body: answering reads only the capsules.
	RecordHead(ctx context.Context, id uint64) (*types.Record, error)
}

// SubmitResult is a committed, successful MsgSubmitAnswers.
type SubmitResult struct {
	TxHash string
	Height int64
	// Completed: the tasks this submission brought to t answers (from the
	// message response, when the submitter could decode it).
	Completed []uint64
}

// Submitter is the write side: it signs msg as the proxy, broadcasts it and
// waits until it is committed (so consecutive batches never collide on the
// account sequence). A rejection by the chain (CheckTx or DeliverTx) is
// returned as an error wrapping the registered error (errorsmod.ABCIError),
// so errors.Is(err, types.ErrTaskClosed) works; a node that cannot be reached,
// or a tx whose inclusion could not be observed, as an error wrapping
// ErrUnavailable.
type Submitter interface {
	Submit(ctx context.Context, msg *types.MsgSubmitAnswers) (*SubmitResult, error)
}
