package proxy_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"sort"
	"sync"
	"testing"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/log/v2"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

const chainID = "medex-fake-1"

// fakeChain is a small in-memory stand-in for the phr keeper: grants,
// records, tasks with threshold completion, and MsgSubmitAnswers with the
// keeper's all-or-nothing rules and real answer verification.
type fakeChain struct {
	t  *testing.T
	mu sync.Mutex

	grants  map[uint64]*types.Grant
	records map[uint64]*types.Record
	tasks   map[uint64]*types.Task
	pgrants map[uint64]*pre.Grant // decoded key grants, for verification

	// down makes every call fail with ErrUnavailable while > 0 (decremented
	// per call).
	down int
	// beforeSubmit runs before a submission is applied (e.g. another proxy
	// completes a task first).
	beforeSubmit func(msg *types.MsgSubmitAnswers)
	// submissions are the task ids of every submission, accepted or not.
	submissions [][]uint64
	accepted    [][]uint64
	height      int64
}

func newFakeChain(t *testing.T) *fakeChain {
	return &fakeChain{t: t, grants: map[uint64]*types.Grant{}, records: map[uint64]*types.Record{},
		tasks: map[uint64]*types.Task{}, pgrants: map[uint64]*pre.Grant{}, height: 10}
}

func (c *fakeChain) unavailable() error {
	if c.down > 0 {
		c.down--
		return fmt.Errorf("%w: connection refused", proxy.ErrUnavailable)
	}
	return nil
}

func (c *fakeChain) onCommittee(g *types.Grant, p string) bool {
	for _, q := range g.Proxies {
		if q == p {
			return true
		}
	}
	return false
}

func answeredBy(t *types.Task, p string) bool {
	for _, a := range t.Answers {
		if a.Proxy == p {
			return true
		}
	}
	return false
}

func (c *fakeChain) PendingTasks(_ context.Context, p string, limit uint64) ([]types.Task, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.unavailable(); err != nil {
		return nil, err
	}
	var out []types.Task
	for _, id := range sortedIDs(c.tasks) {
		t := c.tasks[id]
		g := c.grants[t.GrantId]
		if t.Status == types.TASK_STATUS_OPEN && g.Status == types.GRANT_STATUS_GRANTED && c.onCommittee(g, p) && !answeredBy(t, p) {
			out = append(out, *t)
		}
		if uint64(len(out)) == limit {
			break
		}
	}
	return out, nil
}

func (c *fakeChain) Grant(_ context.Context, id uint64) (*types.Grant, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.unavailable(); err != nil {
		return nil, err
	}
	g, ok := c.grants[id]
	if !ok {
		return nil, errorsmod.Wrapf(types.ErrGrantNotFound, "grant %d", id)
	}
	cp := *g
	return &cp, nil
}

func (c *fakeChain) GrantsByProxy(_ context.Context, p string, st types.GrantStatus) ([]types.Grant, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.unavailable(); err != nil {
		return nil, err
	}
	var out []types.Grant
	for _, id := range sortedIDs(c.grants) {
		g := c.grants[id]
		if c.onCommittee(g, p) && (st == types.GRANT_STATUS_UNSPECIFIED || g.Status == st) {
			out = append(out, *g)
		}
	}
	return out, nil
}

func (c *fakeChain) RecordHead(_ context.Context, id uint64) (*types.Record, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.unavailable(); err != nil {
		return nil, err
	}
	r, ok := c.records[id]
	if !ok {
		return nil, errorsmod.Wrapf(types.ErrRecordNotFound, "record %d", id)
	}
	cp := *r
	cp.Body = nil
	return &cp, nil
}

// Submit applies msg all or nothing, verifying every answer against E from
// the stored record, like the keeper.
func (c *fakeChain) Submit(_ context.Context, msg *types.MsgSubmitAnswers) (*proxy.SubmitResult, error) {
	if c.beforeSubmit != nil {
		c.beforeSubmit(msg)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.unavailable(); err != nil {
		return nil, err
	}
	ids := make([]uint64, len(msg.Answers))
	for i, a := range msg.Answers {
		ids[i] = a.TaskId
	}
	c.submissions = append(c.submissions, ids)
	addr, err := sdk.AccAddressFromBech32(msg.Proxy)
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidAddress, err.Error())
	}
	for _, a := range msg.Answers {
		t, ok := c.tasks[a.TaskId]
		if !ok {
			return nil, errorsmod.Wrapf(types.ErrTaskNotFound, "task %d", a.TaskId)
		}
		g := c.grants[t.GrantId]
		switch {
		case g.Status == types.GRANT_STATUS_REVOKED:
			return nil, errorsmod.Wrapf(types.ErrGrantRevoked, "grant %d", g.Id)
		case t.Status != types.TASK_STATUS_OPEN:
			return nil, errorsmod.Wrapf(types.ErrTaskClosed, "task %d", t.Id)
		case !c.onCommittee(g, msg.Proxy):
			return nil, types.ErrNotCommittee
		case answeredBy(t, msg.Proxy):
			return nil, errorsmod.Wrapf(types.ErrDuplicateAnswer, "task %d", t.Id)
		}
		vk, err := pre.NewVerificationKey(c.pgrants[g.Id].Commitments, chainID, g.Id, addr)
		if err != nil {
			return nil, err
		}
		ans, err := pre.DecodeAnswer(a.Answer, 2)
		if err != nil {
			return nil, errorsmod.Wrap(types.ErrInvalidAnswer, err.Error())
		}
		E, _ := pre.DecodeCapsuleEs(c.records[t.RecordId].Capsules)
		actx := pre.AnswerContext{ChainID: chainID, GrantID: g.Id, TaskID: t.Id, RecordID: t.RecordId, Capsules: uint32(len(E)), Proxy: addr}
		if err := pre.VerifyAnswer(vk, actx, E, ans); err != nil {
			return nil, errorsmod.Wrap(types.ErrInvalidAnswer, err.Error())
		}
	}
	var completed []uint64
	for _, a := range msg.Answers {
		t := c.tasks[a.TaskId]
		t.Answers = append(t.Answers, types.TaskAnswer{Proxy: msg.Proxy, EI: [][]byte{a.Answer[:32], a.Answer[32:64]}})
		if uint32(len(t.Answers)) >= c.grants[t.GrantId].Threshold {
			t.Status = types.TASK_STATUS_DONE
			completed = append(completed, t.Id)
		}
	}
	c.accepted = append(c.accepted, ids)
	c.height++
	return &proxy.SubmitResult{TxHash: fmt.Sprintf("TX%d", c.height), Height: c.height, Completed: completed}, nil
}

// completeByOther marks a task done as if the other proxies had answered it.
func (c *fakeChain) completeByOther(id uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tasks[id].Status = types.TASK_STATUS_DONE
}

func (c *fakeChain) setGrantStatus(id uint64, st types.GrantStatus) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.grants[id].Status = st
}

func sortedIDs[T any](m map[uint64]T) []uint64 {
	ids := make([]uint64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// fixture: a vault, three proxies and helpers to grant, upload and open tasks.
type fixture struct {
	chain  *fakeChain
	vault  *keys.VaultSecretKey
	req    *keys.RequesterSecretKey
	keys   []*keys.ProxySecretKey
	addrs  []sdk.AccAddress
	nextID uint64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{chain: newFakeChain(t)}
	var err error
	if f.vault, err = keys.GenerateVaultKey(1, rand.Reader); err != nil {
		t.Fatal(err)
	}
	if f.req, err = keys.GenerateRequesterKey(rand.Reader); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		sk, err := keys.GenerateProxyKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		f.keys = append(f.keys, sk)
		f.addrs = append(f.addrs, sdk.AccAddress(bytes.Repeat([]byte{byte(0xa0 + i)}, 20)))
	}
	return f
}

func (f *fixture) id() uint64 { f.nextID++; return f.nextID }

// grant posts a t-of-3 grant to the committee; tamper may alter it before
// it is encoded on chain.
func (f *fixture) grant(t *testing.T, threshold int, tamper func(*pre.Grant)) uint64 {
	t.Helper()
	id := f.id()
	var rs []pre.ProxyRecipient
	var names []string
	for i, a := range f.addrs {
		rs = append(rs, pre.ProxyRecipient{Address: a, Key: f.keys[i].Public()})
		names = append(names, a.String())
	}
	pg, err := pre.CreateGrant(f.vault, pre.GrantContext{ChainID: chainID, GrantID: id, Vault: "vitals", Epoch: 1},
		f.req.Public(), threshold, rs, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if tamper != nil {
		tamper(pg)
	}
	f.chain.pgrants[id] = pg
	f.chain.grants[id] = &types.Grant{Id: id, Patient: "patient", Vault: "vitals", Epoch: 1,
		Status: types.GRANT_STATUS_GRANTED, Threshold: uint32(threshold), Proxies: names, KeyGrant: pg.Bytes()}
	return id
}

// record stores a record with two capsules (and a body the worker must not
// be served) under the vault key and opens its task for grant; it returns
// the task ids (one).
func (f *fixture) record(t *testing.T, grant uint64) []uint64 {
	t.Helper()
	rid := f.id()
	var caps [][]byte
	for i := 0; i < 2; i++ {
		r, _ := group.RandomScalar(rand.Reader)
		M := new(group.Element).BaseMul(group.ScalarFromUint64(uint64(1000 + i)))
		c, _ := pre.Encapsulate(f.vault.Public().A, M, r)
		caps = append(caps, c.Bytes())
	}
	f.chain.records[rid] = &types.Record{Id: rid, Patient: "patient", Vault: "vitals", Epoch: 1, Capsules: caps, Body: make([]byte, 2048)}
	tid := f.id()
	f.chain.tasks[tid] = &types.Task{Id: tid, GrantId: grant, RecordId: rid, Status: types.TASK_STATUS_OPEN}
	return []uint64{tid}
}

// worker is proxy i's worker over the fake chain, logging into buf.
func (f *fixture) worker(t *testing.T, i int, st keystore.Store, buf *bytes.Buffer, batch int) *proxy.Worker {
	t.Helper()
	lg := log.NewNopLogger()
	if buf != nil {
		lg = log.NewLogger(&syncWriter{b: buf}, log.ColorOption(false))
	}
	w, err := proxy.NewWorker(proxy.Config{
		ChainID: chainID, Address: f.addrs[i], Key: f.keys[i], Store: st,
		Query: f.chain, Tx: f.chain, BatchSize: batch, Logger: lg,
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

type syncWriter struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
