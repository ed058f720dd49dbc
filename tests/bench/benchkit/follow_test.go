package benchkit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/medexchain/medexchain/internal/gateway"
)

// fakeChain is a node whose blocks the test appends; every read of a
// height it does not have yet fails, as a node's RPC does.
type fakeChain struct {
	mu     sync.Mutex
	blocks []cmttypes.Txs // blocks[h-1]
	reads  []int64
}

func (f *fakeChain) commit(txs ...[]byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b cmttypes.Txs
	for _, tx := range txs {
		b = append(b, tx)
	}
	f.blocks = append(f.blocks, b)
}

func (f *fakeChain) ABCIInfo(context.Context) (*coretypes.ResultABCIInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &coretypes.ResultABCIInfo{Response: abci.ResponseInfo{LastBlockHeight: int64(len(f.blocks))}}, nil
}

func (f *fakeChain) BlockResults(context.Context, *int64) (*coretypes.ResultBlockResults, error) {
	return nil, errors.New("not read by these tests")
}

func (f *fakeChain) Block(_ context.Context, h *int64) (*coretypes.ResultBlock, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if *h < 1 || *h > int64(len(f.blocks)) {
		return nil, errors.New("height not available")
	}
	f.reads = append(f.reads, *h)
	return &coretypes.ResultBlock{Block: &cmttypes.Block{Data: cmttypes.Data{Txs: f.blocks[*h-1]}}}, nil
}

func TestFollowerWaitsForTheBlockHoldingTheTx(t *testing.T) {
	chain := &fakeChain{}
	before := []byte("before the follower")
	chain.commit(before)
	f := FollowFrom(chain, 1)
	defer f.Close()

	a, b := []byte("tx a"), []byte("tx b")
	chain.commit([]byte("someone else's"), a)
	if h, _, err := f.WaitIncluded(gateway.TxHash(a), 5*time.Second); err != nil || h != 2 {
		t.Fatalf("tx a is in block 2: height %d, %v", h, err)
	}
	if _, _, err := f.WaitIncluded(gateway.TxHash(b), 200*time.Millisecond); err == nil {
		t.Fatal("tx b is in no block, but its wait returned")
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		chain.commit(b)
	}()
	if h, at, err := f.WaitIncluded(gateway.TxHash(b), 5*time.Second); err != nil || h != 3 || at.IsZero() {
		t.Fatalf("tx b is in block 3: height %d, seen at %v, %v", h, at, err)
	}
	if h, _ := f.Included(gateway.TxHash(before)); h != 0 {
		t.Fatalf("block 1 was committed before the follower started, yet its tx is at height %d", h)
	}
	chain.mu.Lock()
	defer chain.mu.Unlock()
	for _, h := range chain.reads {
		if h == 1 {
			t.Fatal("block 1 was read")
		}
	}
}
