package txclient

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client"

	"github.com/medexchain/medexchain/internal/cliutil"
)

// TransportError classifies an error of a query through client.Context:
// errors the application returned arrive as gRPC statuses (the ABCI query
// path converts them too) and pass through; a status saying the connection
// failed, a deadline, and any plain error (the CometBFT HTTP client's
// "connection refused") mean the node is unreachable and wrap ErrUnavailable.
func TransportError(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrUnavailable) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	if s, ok := status.FromError(err); ok {
		switch s.Code() {
		case codes.Unavailable, codes.DeadlineExceeded, codes.Canceled, codes.Aborted:
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
		return err
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
}

// QueryError turns a query error into one line naming what was asked for.
func QueryError(what string, err error) error {
	if st, ok := status.FromError(err); ok {
		return fmt.Errorf("%s: %s", what, cliutil.ErrorLine(st.Message()))
	}
	return fmt.Errorf("%s: %s", what, cliutil.ErrorLine(err.Error()))
}

// ChainID is --chain-id (or the client config), else the node's. Commands
// that bind the chain id into signed data (grants, envelopes) resolve it
// before they ask for a passphrase.
func ChainID(clientCtx client.Context) (string, error) {
	if clientCtx.ChainID != "" {
		return clientCtx.ChainID, nil
	}
	node, err := clientCtx.GetNode()
	if err != nil {
		return "", errors.New("--chain-id is required offline")
	}
	ctx, cancel := context.WithTimeout(clientCtx.GetCmdContextWithFallback(), 10*time.Second)
	defer cancel()
	st, err := node.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("asking the node for its chain id (or pass --chain-id): %w", err)
	}
	return st.NodeInfo.Network, nil
}
