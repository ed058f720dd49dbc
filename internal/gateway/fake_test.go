package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"google.golang.org/grpc"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

// fakeChain models what the forwarder relies on: one account whose sequence
// a tx consumes when executed, a mempool and its cache (lost in a crash), a
// tx index that a crash can lose, and the records the uploads created.
type fakeChain struct {
	mu      sync.Mutex
	down    bool
	height  int64
	seq     uint64
	nonce   int
	mempool [][]byte
	cache   map[string]bool
	index   map[string]*gateway.TxResult
	records []types.Record
	// refuse makes the phr module refuse uploads whose body starts with it.
	refuse byte
	// checkTxRefusals refuses that many broadcasts with a full mempool.
	checkTxRefusals int
	// crashAfter, when > 0, counts node calls down to a gateway crash:
	// the call that reaches 0 fails with errGatewayCrash.
	crashAfter int
	onCrash    func()
	calls      int
	// downCalls fails that many node calls with errDown.
	downCalls int
	// loseIndex: blocks are executed but never indexed.
	loseIndex bool
}

var errDown = fmt.Errorf("%w: connection refused", txclient.ErrUnavailable)

// errGatewayCrash stands for the gateway process dying at a call.
var errGatewayCrash = errors.New("gateway crashed")

type fakeTx struct {
	Seq   uint64 `json:"seq"`
	Msg   []byte `json:"msg"`
	Nonce int    `json:"nonce"`
}

func newFakeChain() *fakeChain {
	return &fakeChain{height: 1, cache: map[string]bool{}, index: map[string]*gateway.TxResult{}}
}

func (c *fakeChain) enter() error {
	c.calls++
	if c.crashAfter > 0 {
		c.crashAfter--
		if c.crashAfter == 0 {
			if c.onCrash != nil {
				c.onCrash()
			}
			return errGatewayCrash
		}
	}
	if c.downCalls > 0 {
		c.downCalls--
		return errDown
	}
	if c.down {
		return errDown
	}
	return nil
}

func (c *fakeChain) Height(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter(); err != nil {
		return 0, err
	}
	return c.height, nil
}

func (c *fakeChain) AccountSequence(context.Context) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter(); err != nil {
		return 0, err
	}
	return c.seq, nil
}

func (c *fakeChain) SignUpload(_ context.Context, msg *types.MsgUploadRecord, seq uint64, _ float64) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter(); err != nil {
		return nil, err
	}
	bz, err := msg.Marshal()
	if err != nil {
		return nil, err
	}
	c.nonce++ // a new signature each time, like a new fee or gas would give
	return json.Marshal(fakeTx{Seq: seq, Msg: bz, Nonce: c.nonce})
}

func (c *fakeChain) Broadcast(_ context.Context, tx []byte) (gateway.Verdict, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter(); err != nil {
		return gateway.Verdict{}, err
	}
	hash := gateway.TxHash(tx)
	if c.cache[hash] {
		return gateway.Verdict{Codespace: sdkerrors.RootCodespace, Code: sdkerrors.ErrTxInMempoolCache.ABCICode(), Log: "tx already in cache"}, nil
	}
	if c.checkTxRefusals > 0 {
		c.checkTxRefusals--
		return gateway.Verdict{Codespace: sdkerrors.RootCodespace, Code: sdkerrors.ErrMempoolIsFull.ABCICode(), Log: "mempool is full"}, nil
	}
	var t fakeTx
	if err := json.Unmarshal(tx, &t); err != nil {
		return gateway.Verdict{Codespace: sdkerrors.RootCodespace, Code: sdkerrors.ErrTxDecode.ABCICode()}, nil
	}
	if want := c.seq + uint64(len(c.mempool)); t.Seq != want {
		return gateway.Verdict{Codespace: sdkerrors.RootCodespace, Code: sdkerrors.ErrWrongSequence.ABCICode(), Log: fmt.Sprintf("expected %d, got %d", want, t.Seq)}, nil
	}
	c.mempool = append(c.mempool, tx)
	c.cache[hash] = true
	return gateway.Verdict{}, nil
}

func (c *fakeChain) Tx(_ context.Context, hash string) (*gateway.TxResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.enter(); err != nil {
		return nil, err
	}
	if len(c.mempool) > 0 { // time passes: a block
		c.blockLocked()
	}
	return c.index[hash], nil
}

// blockLocked executes the mempool, in order; with loseIndex the node dies
// before indexing the block (CometBFT indexes after the commit).
func (c *fakeChain) blockLocked() {
	c.height++
	for _, tx := range c.mempool {
		var t fakeTx
		_ = json.Unmarshal(tx, &t)
		res := &gateway.TxResult{Height: c.height}
		if t.Seq != c.seq {
			res.Verdict = gateway.Verdict{Codespace: sdkerrors.RootCodespace, Code: sdkerrors.ErrWrongSequence.ABCICode()}
		} else {
			c.seq++
			var m types.MsgUploadRecord
			_ = m.Unmarshal(t.Msg)
			if c.refuse != 0 && len(m.Body) > 0 && m.Body[0] == c.refuse {
				res.Verdict = gateway.Verdict{Codespace: types.ModuleName, Code: types.ErrWrongEpoch.ABCICode(), Log: "not the vault's current epoch"}
			} else {
				id := uint64(len(c.records) + 1)
				c.records = append(c.records, types.Record{Id: id, Patient: m.Gateway, DeviceId: m.DeviceId, Gateway: m.Gateway, Body: m.Body, Height: c.height})
				res.RecordID = id
			}
		}
		if !c.loseIndex {
			c.index[gateway.TxHash(tx)] = res
		}
	}
	c.mempool = nil
}

func (c *fakeChain) recordsCopy() []types.Record {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]types.Record(nil), c.records...)
}

// fakeQuery serves the two record queries FindUpload uses from the fake
// chain's records (patient = gateway address in this model).
type fakeQuery struct {
	types.QueryClient
	c *fakeChain
}

func (q fakeQuery) RecordsByPatient(_ context.Context, req *types.QueryRecordsByPatientRequest, _ ...grpc.CallOption) (*types.QueryRecordsResponse, error) {
	q.c.mu.Lock()
	defer q.c.mu.Unlock()
	if q.c.down {
		return nil, errDown
	}
	if req.Pagination == nil || !req.Pagination.Reverse {
		return nil, errors.New("fake: only reverse pages")
	}
	// key: the index (from the end) to start at
	start := 0
	if len(req.Pagination.Key) > 0 {
		start = int(req.Pagination.Key[0])
	}
	var out []types.Record
	i := start
	for ; i < len(q.c.records) && len(out) < int(req.Pagination.Limit); i++ {
		r := q.c.records[len(q.c.records)-1-i]
		if r.Patient == req.Patient {
			r.Body = nil // as a list that leaves bodies out: FindUpload must fetch them
			out = append(out, r)
		}
	}
	page := &query.PageResponse{}
	if i < len(q.c.records) {
		page.NextKey = []byte{byte(i)}
	}
	return &types.QueryRecordsResponse{Records: out, Pagination: page}, nil
}

func (q fakeQuery) Record(_ context.Context, req *types.QueryRecordRequest, _ ...grpc.CallOption) (*types.QueryRecordResponse, error) {
	q.c.mu.Lock()
	defer q.c.mu.Unlock()
	if q.c.down {
		return nil, errDown
	}
	if req.Id == 0 || req.Id > uint64(len(q.c.records)) {
		return nil, errors.New("not found")
	}
	return &types.QueryRecordResponse{Record: q.c.records[req.Id-1]}, nil
}
