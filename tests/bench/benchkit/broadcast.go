package benchkit

import (
	"context"
	"fmt"
	"strings"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
)

// Broadcast sends tx to rpc in sync mode, retrying (every 100 ms, for at
// most a minute) while the node's mempool is full; onFull, if not nil, is
// called on each retry. A refusal by CheckTx is an error.
func Broadcast(ctx context.Context, rpc *rpchttp.HTTP, tx []byte, onFull func()) (*coretypes.ResultBroadcastTx, error) {
	for attempt := 0; ; attempt++ {
		res, err := rpc.BroadcastTxSync(ctx, tx)
		if err != nil {
			if strings.Contains(err.Error(), "mempool is full") && attempt < 600 {
				if onFull != nil {
					onFull()
				}
				time.Sleep(100 * time.Millisecond)
				continue
			}
			return nil, fmt.Errorf("broadcast: %w", err)
		}
		if res.Code != 0 {
			return res, fmt.Errorf("CheckTx refused tx %X (code %d %s): %s", res.Hash, res.Code, res.Codespace, res.Log)
		}
		return res, nil
	}
}
