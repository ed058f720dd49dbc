package apptest

import (
	"time"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"
)

// FinalizeBlock finalizes and commits the next block (5 s after the last one)
// with the given header hash and txs, and returns CometBFT's view of it: the
// per-tx results and the app hash. Two harnesses from one genesis given the
// same calls must answer the same.
func (h *Harness) FinalizeBlock(hash []byte, txs ...[]byte) *abci.ResponseFinalizeBlock {
	h.T.Helper()
	h.time = h.time.Add(5 * time.Second)
	res, err := h.App.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height: h.App.LastBlockHeight() + 1,
		Time:   h.time,
		Hash:   hash,
		Txs:    txs,
	})
	require.NoError(h.T, err)
	_, err = h.App.Commit()
	require.NoError(h.T, err)
	return res
}
