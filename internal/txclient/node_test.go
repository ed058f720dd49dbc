package txclient_test

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Transport failures become ErrUnavailable; the chain's own answers do not.
func TestTransportError(t *testing.T) {
	for _, c := range []struct {
		err         error
		unavailable bool
	}{
		{errors.New(`post failed: Post "http://127.0.0.1:26657": dial tcp 127.0.0.1:26657: connect: connection refused`), true},
		{status.Error(codes.Unavailable, "connection refused"), true},
		{context.DeadlineExceeded, true},
		{status.Error(codes.NotFound, "grant 9 not found"), false},
		{status.Error(codes.Unknown, "task is no longer open"), false},
		{errorsmod.Wrap(types.ErrGrantNotFound, "grant 9"), false}, // registered errors carry a gRPC status
	} {
		if got := errors.Is(txclient.TransportError(c.err), txclient.ErrUnavailable); got != c.unavailable {
			t.Errorf("%v: unavailable=%v", c.err, got)
		}
	}
	if !errors.Is(txclient.TransportError(context.Canceled), context.Canceled) {
		t.Error("cancellation must stay cancellation")
	}
}
