package ibctest

// Packets a chain sends outside any tx (the phr end blocker's resends of
// its outbox) show up only in the block's FinalizeBlock events. ibc-go v11's
// TestChain drops that response (NextBlock returns nothing and SendMsgs
// returns only the tx's ExecTxResult), so Blocks listens for it on the
// app's BaseApp through the SDK's ABCI streaming hook.

import (
	"context"
	"sync"

	abci "github.com/cometbft/cometbft/abci/types"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"
)

// Blocks keeps the last FinalizeBlock response of one chain.
type Blocks struct {
	chain *ibctesting.TestChain
	mu    sync.Mutex
	last  abci.ResponseFinalizeBlock
}

var _ storetypes.ABCIListener = (*Blocks)(nil)

// RecordBlocks has chain c's app hand every FinalizeBlock response to the
// returned Blocks. It replaces the app's streaming listeners (a test app
// has none).
func RecordBlocks(c *ibctesting.TestChain) *Blocks {
	b := &Blocks{chain: c}
	App(c).SetStreamingManager(storetypes.StreamingManager{ABCIListeners: []storetypes.ABCIListener{b}})
	return b
}

// ListenFinalizeBlock keeps res as the last block's response.
func (b *Blocks) ListenFinalizeBlock(_ context.Context, _ abci.RequestFinalizeBlock, res abci.ResponseFinalizeBlock) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.last = res
	return nil
}

// ListenCommit ignores commits: only the block's events are wanted.
func (b *Blocks) ListenCommit(context.Context, abci.ResponseCommit, []*storetypes.StoreKVPair) error {
	return nil
}

// Last is the last finalized block's response: Events holds the begin- and
// end-block events, TxResults each tx's.
func (b *Blocks) Last() abci.ResponseFinalizeBlock {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last
}

// Next commits one empty block on the chain (the coordinator's clock moves
// on, as with Coordinator.CommitBlock) and returns its response.
func (b *Blocks) Next() abci.ResponseFinalizeBlock {
	b.chain.Coordinator.CommitBlock(b.chain)
	return b.Last()
}

// BlockSent is the packets chain c sent over the world's path outside any
// tx of the block whose response res is (its begin and end blockers).
func (w *XWorld) BlockSent(c *ibctesting.TestChain, res abci.ResponseFinalizeBlock) []Packet {
	w.T.Helper()
	return w.Sent(c, res.Events)
}
