package benchkit

import (
	"context"
	"fmt"
	"sync"
	"time"

	coretypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/medexchain/medexchain/internal/gateway"
)

// BlockSource is what a Follower reads of a node (its CometBFT RPC client).
type BlockSource interface {
	ABCIInfo(ctx context.Context) (*coretypes.ResultABCIInfo, error)
	Block(ctx context.Context, height *int64) (*coretypes.ResultBlock, error)
	BlockResults(ctx context.Context, height *int64) (*coretypes.ResultBlockResults, error)
}

// Follower follows the blocks one node has committed (the app's last
// height, from ABCI Info, polled every 20 ms; then each full block) and
// records when each height was first seen committed and which block holds
// each tx. Drivers that keep one tx in flight per signer wait on it.
type Follower struct {
	rpc BlockSource

	mu       sync.Mutex
	lastH    int64
	seenAt   map[int64]time.Time
	txHeight map[string]int64   // tx hash (gateway.TxHash) -> height
	blockTxs map[int64][]string // height -> its txs' hashes, in order
	newBlock chan struct{}      // closed (and replaced) when blocks are read
	err      error
	stop     chan struct{}
	done     chan struct{}
}

// Follow follows rpc's blocks after its last committed height.
func Follow(rpc BlockSource) (*Follower, error) {
	info, err := rpc.ABCIInfo(context.Background())
	if err != nil {
		return nil, err
	}
	return FollowFrom(rpc, info.Response.LastBlockHeight), nil
}

// FollowFrom follows rpc's blocks after height.
func FollowFrom(rpc BlockSource, height int64) *Follower {
	f := &Follower{rpc: rpc, lastH: height, seenAt: map[int64]time.Time{}, txHeight: map[string]int64{},
		blockTxs: map[int64][]string{}, newBlock: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	go f.run()
	return f
}

// Close stops following.
func (f *Follower) Close() {
	close(f.stop)
	<-f.done
}

// PollCommitted reads the app's last committed height from rpc every 20 ms
// until stop is closed, and hands it to seen with the time it was read; a
// failed read goes to fail. ABCI Info, not /status: /status reports a block
// as soon as it is stored, before the app has executed it.
func PollCommitted(rpc interface {
	ABCIInfo(ctx context.Context) (*coretypes.ResultABCIInfo, error)
}, stop <-chan struct{}, seen func(height int64, at time.Time), fail func(error)) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		info, err := rpc.ABCIInfo(context.Background())
		if err != nil {
			fail(err)
			continue
		}
		seen(info.Response.LastBlockHeight, time.Now())
	}
}

func (f *Follower) run() {
	defer close(f.done)
	PollCommitted(f.rpc, f.stop, f.readUpTo, f.fail)
}

// readUpTo reads the blocks after the last one read up to height, first
// seen committed at now.
func (f *Follower) readUpTo(height int64, now time.Time) {
	for h := f.Height() + 1; h <= height; h++ {
		b, err := f.rpc.Block(context.Background(), &h)
		if err != nil {
			f.fail(err)
			return
		}
		f.mu.Lock()
		for _, tx := range b.Block.Txs {
			hash := gateway.TxHash(tx)
			f.txHeight[hash] = h
			f.blockTxs[h] = append(f.blockTxs[h], hash)
		}
		f.seenAt[h], f.lastH = now, h
		close(f.newBlock)
		f.newBlock = make(chan struct{})
		f.mu.Unlock()
	}
}

func (f *Follower) fail(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

// Height is the last height read.
func (f *Follower) Height() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastH
}

// Included returns the height of hash's block (0 if not yet seen) and when
// that height was first seen committed.
func (f *Follower) Included(hash string) (int64, time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.txHeight[hash]
	return h, f.seenAt[h]
}

// WaitIncluded waits until a block read holds hash, for at most timeout,
// and returns what Included does.
func (f *Follower) WaitIncluded(hash string, timeout time.Duration) (int64, time.Time, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		h, next := f.txHeight[hash], f.newBlock
		at, lastH, err := f.seenAt[h], f.lastH, f.err
		f.mu.Unlock()
		if h > 0 {
			return h, at, nil
		}
		select {
		case <-next:
		case <-deadline.C:
			return 0, time.Time{}, fmt.Errorf("tx %s not in a block after %s (blocks read up to %d; last error: %v)",
				hash[:min(12, len(hash))], timeout, lastH, err)
		}
	}
}

// BlockTxResult is an included tx's outcome.
type BlockTxResult struct {
	Code      uint32
	Codespace string
	Log       string
}

// Results returns the result of every tx in the blocks at heights (block
// results, read from the node now), by tx hash.
func (f *Follower) Results(ctx context.Context, heights map[int64]bool) (map[string]BlockTxResult, error) {
	out := map[string]BlockTxResult{}
	for h := range heights {
		br, err := f.rpc.BlockResults(ctx, &h)
		if err != nil {
			return nil, fmt.Errorf("block results %d: %w", h, err)
		}
		f.mu.Lock()
		hashes := f.blockTxs[h]
		f.mu.Unlock()
		if len(hashes) != len(br.TxsResults) {
			return nil, fmt.Errorf("block %d: %d txs, %d results", h, len(hashes), len(br.TxsResults))
		}
		for i, r := range br.TxsResults {
			out[hashes[i]] = BlockTxResult{Code: r.Code, Codespace: r.Codespace, Log: r.Log}
		}
	}
	return out, nil
}
