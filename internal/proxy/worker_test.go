package proxy_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/log/v2"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

func step(t *testing.T, w *proxy.Worker) *proxy.StepReport {
	t.Helper()
	rep, err := w.Step(context.Background())
	if err != nil {
		t.Fatalf("step: %v", err)
	}
	return rep
}

// Two proxies of a 2-of-3 grant answer every task; the chain verifies each
// answer against E from its record, and the tasks complete.
func TestWorkersCompleteTasks(t *testing.T) {
	f := newFixture(t)
	g := f.grant(t, 2, nil)
	tasks := append(f.record(t, g), f.record(t, g)...)

	w0 := f.worker(t, 0, keystore.NewMemStore(), nil, 0)
	rep := step(t, w0)
	if !slices.Equal(rep.Answered, tasks) || rep.Pending != 2 || len(rep.Completed) != 0 {
		t.Fatalf("proxy 0: %+v", rep)
	}
	if rep = step(t, w0); rep.Pending != 0 || len(rep.Answered) != 0 {
		t.Fatalf("proxy 0 second cycle: %+v", rep)
	}
	w1 := f.worker(t, 1, keystore.NewMemStore(), nil, 0)
	rep = step(t, w1)
	if !slices.Equal(rep.Answered, tasks) || !slices.Equal(rep.Completed, tasks) {
		t.Fatalf("proxy 1: %+v", rep)
	}
	for _, id := range tasks {
		if st := f.chain.tasks[id].Status; st != types.TASK_STATUS_DONE {
			t.Fatalf("task %d: %s", id, st)
		}
	}
	// The third proxy finds nothing to do.
	if rep = step(t, f.worker(t, 2, keystore.NewMemStore(), nil, 0)); rep.Pending != 0 || len(f.chain.submissions) != 2 {
		t.Fatalf("proxy 2: %+v, %d submissions", rep, len(f.chain.submissions))
	}
}

// A fragment that does not match the Feldman commitments (or does not open
// with the proxy's key) is refused, never stored, never answered with, and
// the verdict is kept (logged once).
func TestRefusesFragmentFailingCommitments(t *testing.T) {
	f := newFixture(t)
	bad := f.grant(t, 2, func(g *pre.Grant) { g.Commitments[1] = group.Generator() })
	f.record(t, bad)
	sealedElsewhere := f.grant(t, 2, func(g *pre.Grant) {
		// proxy 0's fragment replaced by proxy 1's: it does not open with proxy 0's key
		g.Fragments[0].Sealed = g.Fragments[1].Sealed
	})
	f.record(t, sealedElsewhere)

	var logs bytes.Buffer
	st := keystore.NewMemStore()
	w := f.worker(t, 0, st, &logs, 0)
	rep := step(t, w)
	if len(rep.Answered) != 0 || len(f.chain.submissions) != 0 {
		t.Fatalf("answered with a refused fragment: %+v", rep)
	}
	if !slices.Equal(rep.Refused, []uint64{bad, sealedElsewhere}) || rep.Skipped != 2 {
		t.Fatalf("refused %v skipped %d", rep.Refused, rep.Skipped)
	}
	for _, g := range []uint64{bad, sealedElsewhere} {
		if _, err := st.Get(keystore.GrantRef{ChainID: chainID, GrantID: g}); !errors.Is(err, keystore.ErrNotFound) {
			t.Fatalf("grant %d stored: %v", g, err)
		}
	}
	if !strings.Contains(logs.String(), "does not match the commitments") {
		t.Fatalf("no refusal logged:\n%s", logs.String())
	}
	rep = step(t, w)
	if len(rep.Refused) != 0 || len(f.chain.submissions) != 0 {
		t.Fatalf("second cycle: %+v", rep)
	}
	// A good grant next to them is still answered.
	good := f.grant(t, 2, nil)
	tasks := f.record(t, good)
	if rep = step(t, w); !slices.Equal(rep.Answered, tasks) {
		t.Fatalf("good grant: %+v", rep)
	}
}

// After a revocation the worker deletes the fragment (tombstone) and
// produces no answer for the grant any more, even if its node still lists
// tasks of it; a grant revoked while the daemon was down is deleted on the
// first cycle of the next run.
func TestRevokedGrantFragmentDeleted(t *testing.T) {
	f := newFixture(t)
	g := f.grant(t, 2, nil)
	first := f.record(t, g)
	st, err := keystore.NewFileStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ref := keystore.GrantRef{ChainID: chainID, GrantID: g}
	w := f.worker(t, 0, st, nil, 0)
	if rep := step(t, w); !slices.Equal(rep.Answered, first) {
		t.Fatalf("before revocation: %+v", rep)
	}
	if _, err := st.Get(ref); err != nil {
		t.Fatalf("fragment not stored: %v", err)
	}

	f.chain.setGrantStatus(g, types.GRANT_STATUS_REVOKED)
	later := f.record(t, g)
	// A stale node that still lists the grant's tasks as pending.
	stale := &staleQuerier{fakeChain: f.chain, grant: g}
	rep := step(t, w)
	if !slices.Equal(rep.Deleted, []uint64{g}) || len(rep.Answered) != 0 {
		t.Fatalf("after revocation: %+v", rep)
	}
	if _, err := st.Get(ref); !errors.Is(err, keystore.ErrRevoked) {
		t.Fatalf("fragment still held: %v", err)
	}
	// Same worker, a node listing the revoked grant's tasks: no answer.
	n := len(f.chain.submissions)
	var logs bytes.Buffer
	ws := f.workerWith(t, 0, st, stale, &logs)
	for i := 0; i < 2; i++ {
		rep = step(t, ws)
		if rep.Pending != len(later) || len(rep.Answered) != 0 || len(f.chain.submissions) != n {
			t.Fatalf("answered a revoked grant: %+v", rep)
		}
	}
	if !strings.Contains(logs.String(), "fragment was deleted before") {
		t.Fatalf("tombstone not logged:\n%s", logs.String())
	}

	// Restart case: proxy 1 held a fragment of a second grant in its file
	// store; the grant is revoked while it is down; the new run deletes it.
	g2 := f.grant(t, 2, nil)
	f.record(t, g2)
	dir := t.TempDir()
	st1, _ := keystore.NewFileStore(dir)
	step(t, f.worker(t, 1, st1, nil, 0))
	f.chain.setGrantStatus(g2, types.GRANT_STATUS_REVOKED)
	st1b, _ := keystore.NewFileStore(dir)
	rep = step(t, f.worker(t, 1, st1b, nil, 0))
	if !slices.Contains(rep.Deleted, g2) {
		t.Fatalf("restart sweep did not delete grant %d: %+v", g2, rep)
	}
	if _, err := st1b.Get(keystore.GrantRef{ChainID: chainID, GrantID: g2}); !errors.Is(err, keystore.ErrRevoked) {
		t.Fatalf("after sweep: %v", err)
	}
}

// staleQuerier lists a revoked grant's open tasks as pending and the grant as
// granted, like a node that has not caught up: only the keystore's tombstone
// stands between the worker and an answer.
type staleQuerier struct {
	*fakeChain
	grant uint64
}

func (s *staleQuerier) Grant(ctx context.Context, id uint64) (*types.Grant, error) {
	g, err := s.fakeChain.Grant(ctx, id)
	if err == nil && id == s.grant {
		g.Status = types.GRANT_STATUS_GRANTED
	}
	return g, err
}

func (s *staleQuerier) GrantsByProxy(ctx context.Context, p string, st types.GrantStatus) ([]types.Grant, error) {
	if st != types.GRANT_STATUS_GRANTED {
		return nil, nil
	}
	g, err := s.Grant(ctx, s.grant)
	if err != nil {
		return nil, err
	}
	return []types.Grant{*g}, nil
}

func (s *staleQuerier) PendingTasks(_ context.Context, p string, limit uint64) ([]types.Task, error) {
	var out []types.Task
	for _, id := range sortedIDs(s.tasks) {
		if t := s.tasks[id]; t.GrantId == s.grant && t.Status == types.TASK_STATUS_OPEN && !answeredBy(t, p) {
			out = append(out, *t)
		}
	}
	return out, nil
}

func (f *fixture) workerWith(t *testing.T, i int, st keystore.Store, q proxy.Querier, buf *bytes.Buffer) *proxy.Worker {
	t.Helper()
	w, err := proxy.NewWorker(proxy.Config{ChainID: chainID, Address: f.addrs[i], Key: f.keys[i], Store: st, Query: q, Tx: f.chain,
		Logger: log.NewLogger(buf, log.ColorOption(false))})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// A batch refused with ErrTaskClosed (a faster proxy completed one of its
// tasks) is retried once with the tasks still pending.
func TestTaskClosedRetry(t *testing.T) {
	f := newFixture(t)
	g := f.grant(t, 2, nil)
	a := f.record(t, g)
	b := f.record(t, g)
	c := f.record(t, g)
	all := append(append(append([]uint64(nil), a...), b...), c...)
	closed := b[0]
	f.chain.beforeSubmit = func(*types.MsgSubmitAnswers) {
		if len(f.chain.submissions) == 0 {
			f.chain.completeByOther(closed)
		}
	}
	var logs bytes.Buffer
	rep := step(t, f.worker(t, 0, keystore.NewMemStore(), &logs, 0))
	want := []uint64{a[0], c[0]}
	if len(f.chain.submissions) != 2 || !slices.Equal(f.chain.submissions[0], all) || !slices.Equal(f.chain.submissions[1], want) {
		t.Fatalf("submissions %v", f.chain.submissions)
	}
	if !slices.Equal(rep.Answered, want) {
		t.Fatalf("answered %v", rep.Answered)
	}
	if !strings.Contains(logs.String(), "retrying the rest once") {
		t.Fatalf("retry not logged:\n%s", logs.String())
	}

	// Only once: a retry that loses again is left for the next cycle.
	g2 := f.grant(t, 2, nil)
	f.record(t, g2)
	f.record(t, g2)
	f.chain.beforeSubmit = func(msg *types.MsgSubmitAnswers) { f.chain.completeByOther(msg.Answers[0].TaskId) }
	n := len(f.chain.submissions)
	rep = step(t, f.worker(t, 0, keystore.NewMemStore(), nil, 0))
	if len(f.chain.submissions) != n+2 || len(rep.Answered) != 0 {
		t.Fatalf("second race: %d submissions, %+v", len(f.chain.submissions)-n, rep)
	}
}

// Answers go out in batches of at most BatchSize.
func TestBatchesBounded(t *testing.T) {
	f := newFixture(t)
	g := f.grant(t, 2, nil)
	var tasks []uint64
	for i := 0; i < 18; i++ {
		tasks = append(tasks, f.record(t, g)...)
	}
	rep := step(t, f.worker(t, 2, keystore.NewMemStore(), nil, 4))
	var sizes []int
	for _, s := range f.chain.submissions {
		sizes = append(sizes, len(s))
	}
	if !slices.Equal(sizes, []int{4, 4, 4, 4, 2}) || !slices.Equal(rep.Answered, tasks) || len(rep.TxHashes) != 5 {
		t.Fatalf("batch sizes %v, %+v", sizes, rep)
	}
	// The default is 32.
	f2 := newFixture(t)
	g2 := f2.grant(t, 2, nil)
	for i := 0; i < 40; i++ {
		f2.record(t, g2)
	}
	step(t, f2.worker(t, 0, keystore.NewMemStore(), nil, 0))
	if len(f2.chain.submissions) != 2 || len(f2.chain.submissions[0]) != proxy.DefaultBatchSize || len(f2.chain.submissions[1]) != 8 {
		t.Fatalf("default batches: %v", f2.chain.submissions)
	}
}

// Chain data that does not fit (a record with a wrong number of capsules, a
// malformed capsule, a record outside the grant's vault epoch, a missing
// record) is skipped and logged, never a panic; the other tasks are
// answered.
func TestBadChainDataSkipped(t *testing.T) {
	f := newFixture(t)
	g := f.grant(t, 2, nil)
	good := f.record(t, g)
	r0 := f.record(t, g)
	rec0 := f.chain.records[f.chain.tasks[r0[0]].RecordId]
	rec0.Capsules = rec0.Capsules[:1]
	r1 := f.record(t, g)
	f.chain.records[f.chain.tasks[r1[0]].RecordId].Capsules[1] = make([]byte, 64) // identity E
	r2 := f.record(t, g)
	f.chain.records[f.chain.tasks[r2[0]].RecordId].Epoch = 2
	r3 := f.record(t, g)
	delete(f.chain.records, f.chain.tasks[r3[0]].RecordId)
	var logs bytes.Buffer
	rep := step(t, f.worker(t, 0, keystore.NewMemStore(), &logs, 0))
	if !slices.Equal(rep.Answered, good) || rep.Skipped != 4 {
		t.Fatalf("%+v\n%s", rep, logs.String())
	}
	for _, want := range []string{"record has 1 capsules, want 2", "stored capsules", "outside grant", "record not found"} {
		if !strings.Contains(logs.String(), want) {
			t.Fatalf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// Run keeps going while the node is away, logs it with the backoff, answers
// once the node is back, and returns when its context is cancelled.
func TestRunSurvivesNodeOutage(t *testing.T) {
	f := newFixture(t)
	g := f.grant(t, 2, nil)
	tasks := f.record(t, g)
	f.chain.down = 3
	var logs bytes.Buffer
	w := f.worker(t, 0, keystore.NewMemStore(), &logs, 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, 5*time.Millisecond, 20*time.Millisecond) }()
	deadline := time.After(10 * time.Second)
	for {
		f.chain.mu.Lock()
		n := len(f.chain.accepted)
		f.chain.mu.Unlock()
		if n > 0 {
			break
		}
		select {
		case <-deadline:
			t.Fatal("no answers after the outage")
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.chain.accepted[0], tasks) {
		t.Fatalf("accepted %v", f.chain.accepted)
	}
	out := logs.String()
	for _, want := range []string{"node unreachable, retrying in 5ms", "retrying in 10ms", "node reachable again", "answers committed", "proxy stopped"} {
		if !strings.Contains(out, want) {
			t.Fatalf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestStepUnavailable(t *testing.T) {
	f := newFixture(t)
	f.chain.down = 1
	_, err := f.worker(t, 0, keystore.NewMemStore(), nil, 0).Step(context.Background())
	if !errors.Is(err, proxy.ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
}
