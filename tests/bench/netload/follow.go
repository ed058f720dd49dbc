package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/medexchain/medexchain/internal/gateway"
)

// follower follows the blocks one node has committed (the app's last
// height, from ABCI Info, polled every 20 ms) and records when each height
// was first seen committed and which block holds each tx.
type follower struct {
	rpc *rpchttp.HTTP

	mu       sync.Mutex
	lastH    int64
	seenAt   map[int64]time.Time
	txHeight map[string]int64   // tx hash (gateway.TxHash) -> height
	blockTxs map[int64][]string // height -> its txs' hashes, in order
	err      error
	stop     chan struct{}
	done     chan struct{}
}

func follow(rpc *rpchttp.HTTP) (*follower, error) {
	info, err := rpc.ABCIInfo(context.Background())
	if err != nil {
		return nil, err
	}
	f := &follower{rpc: rpc, lastH: info.Response.LastBlockHeight, seenAt: map[int64]time.Time{},
		txHeight: map[string]int64{}, blockTxs: map[int64][]string{}, stop: make(chan struct{}), done: make(chan struct{})}
	go f.run()
	return f, nil
}

func (f *follower) close() {
	close(f.stop)
	<-f.done
}

func (f *follower) run() {
	defer close(f.done)
	ctx := context.Background()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-f.stop:
			return
		case <-t.C:
		}
		info, err := f.rpc.ABCIInfo(ctx)
		if err != nil {
			f.fail(err)
			continue
		}
		now := time.Now()
		for h := f.height() + 1; h <= info.Response.LastBlockHeight; h++ {
			b, err := f.rpc.Block(ctx, &h)
			if err != nil {
				f.fail(err)
				break
			}
			f.mu.Lock()
			for _, tx := range b.Block.Txs {
				hash := gateway.TxHash(tx)
				f.txHeight[hash] = h
				f.blockTxs[h] = append(f.blockTxs[h], hash)
			}
			f.seenAt[h], f.lastH = now, h
			f.mu.Unlock()
		}
	}
}

func (f *follower) fail(err error) {
	f.mu.Lock()
	f.err = err
	f.mu.Unlock()
}

func (f *follower) height() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastH
}

// included returns the height of hash's block (0 if not yet seen) and when
// that height was first seen committed.
func (f *follower) included(hash string) (int64, time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.txHeight[hash]
	return h, f.seenAt[h]
}

func (f *follower) lastErr() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// txResult is an included tx's outcome.
type txResult struct {
	Code      uint32
	Codespace string
	Log       string
}

// results returns the result of every tx in the blocks at heights (block
// results, read from the node now), by tx hash.
func (f *follower) results(ctx context.Context, heights map[int64]bool) (map[string]txResult, error) {
	out := map[string]txResult{}
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
			out[hashes[i]] = txResult{Code: r.Code, Codespace: r.Codespace, Log: r.Log}
		}
	}
	return out, nil
}
