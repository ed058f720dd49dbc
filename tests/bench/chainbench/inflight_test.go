package main

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"
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

func (f *fakeChain) Block(_ context.Context, h *int64) (*coretypes.ResultBlock, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if *h < 1 || *h > int64(len(f.blocks)) {
		return nil, errors.New("height not available")
	}
	f.reads = append(f.reads, *h)
	return &coretypes.ResultBlock{Block: &cmttypes.Block{Data: cmttypes.Data{Txs: f.blocks[*h-1]}}}, nil
}

func TestInclusionsWaitForTheBlockHoldingTheTx(t *testing.T) {
	chain := &fakeChain{}
	chain.commit([]byte("before the phase"))
	in := followInclusions(chain, 1)
	defer in.close()

	a, b := []byte("tx a"), []byte("tx b")
	includedA, includedB := in.expect(a), in.expect(b)
	chain.commit([]byte("someone else's"), a)

	if err := in.wait(includedA, 5*time.Second); err != nil {
		t.Fatalf("tx a is in block 2: %v", err)
	}
	if err := in.wait(includedB, 200*time.Millisecond); err == nil {
		t.Fatal("tx b is in no block, but its wait returned")
	}
	chain.commit(b)
	if err := in.wait(includedB, 5*time.Second); err != nil {
		t.Fatalf("tx b is in block 3: %v", err)
	}

	chain.mu.Lock()
	defer chain.mu.Unlock()
	for _, h := range chain.reads {
		if h == 1 {
			t.Fatal("block 1 was committed before the phase and must not be read")
		}
	}
}

func TestInclusionsForgetAFailedBroadcast(t *testing.T) {
	chain := &fakeChain{}
	in := followInclusions(chain, 0)
	defer in.close()
	tx := []byte("refused at CheckTx")
	in.expect(tx)
	in.forget(tx)
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.waiting) != 0 {
		t.Fatalf("%d txs still awaited after forget", len(in.waiting))
	}
}
