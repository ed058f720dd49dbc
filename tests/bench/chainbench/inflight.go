package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sync"
	"time"

	coretypes "github.com/cometbft/cometbft/rpc/core/types"
)

// blockSource is what inclusions reads of a node (its CometBFT RPC client).
type blockSource interface {
	ABCIInfo(ctx context.Context) (*coretypes.ResultABCIInfo, error)
	Block(ctx context.Context, height *int64) (*coretypes.ResultBlock, error)
}

// inclusions follows committed blocks (full blocks, from the app's last
// height on) and tells each signer waiting for a tx when a block holds it:
// what -one-in-flight needs. On a net of several validators a signer must
// not pipeline: CometBFT's mempool adds a checked tx to its list in a
// callback that runs after the app's lock is released, so two of a signer's
// txs relayed by different peers can be listed, and proposed, in the wrong
// order, and the later one fails in its block with a wrong sequence
// (docs/reliability.md, "Share throughput").
type inclusions struct {
	rpc blockSource

	mu      sync.Mutex
	waiting map[[sha256.Size]byte]chan struct{}
	lastH   int64
	err     error
	stop    chan struct{}
}

func followInclusions(rpc blockSource, fromHeight int64) *inclusions {
	in := &inclusions{rpc: rpc, waiting: map[[sha256.Size]byte]chan struct{}{}, lastH: fromHeight, stop: make(chan struct{})}
	go in.follow()
	return in
}

func (in *inclusions) close() { close(in.stop) }

// expect registers tx before its broadcast, so that a block holding it
// cannot be read before anyone waits for it.
func (in *inclusions) expect(tx []byte) chan struct{} {
	ch := make(chan struct{})
	in.mu.Lock()
	in.waiting[sha256.Sum256(tx)] = ch
	in.mu.Unlock()
	return ch
}

func (in *inclusions) forget(tx []byte) {
	in.mu.Lock()
	delete(in.waiting, sha256.Sum256(tx))
	in.mu.Unlock()
}

// wait blocks until a committed block holds the tx behind included, or
// timeout passes.
func (in *inclusions) wait(included chan struct{}, timeout time.Duration) error {
	select {
	case <-included:
		return nil
	case <-time.After(timeout):
		in.mu.Lock()
		defer in.mu.Unlock()
		return fmt.Errorf("tx not in a block after %s (blocks read up to %d; last error: %v)", timeout, in.lastH, in.err)
	}
}

func (in *inclusions) follow() {
	ctx := context.Background()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-in.stop:
			return
		case <-t.C:
		}
		info, err := in.rpc.ABCIInfo(ctx)
		if err != nil {
			in.fail(err)
			continue
		}
		for h := in.lastH + 1; h <= info.Response.LastBlockHeight; h++ {
			b, err := in.rpc.Block(ctx, &h)
			if err != nil {
				in.fail(err)
				break
			}
			in.mu.Lock()
			for _, tx := range b.Block.Txs {
				k := sha256.Sum256(tx)
				if ch, ok := in.waiting[k]; ok {
					close(ch)
					delete(in.waiting, k)
				}
			}
			in.lastH = h
			in.mu.Unlock()
		}
	}
}

func (in *inclusions) fail(err error) {
	in.mu.Lock()
	in.err = err
	in.mu.Unlock()
}
