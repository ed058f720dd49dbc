package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/tests/bench/benchkit"
)

// phaseResult is a timed phase's outcome: its txs that succeeded and
// failed in their blocks, the blocks holding them and its duration.
type phaseResult struct {
	ok, failed int
	blocks     int
	dur        time.Duration
}

func (p *phaseResult) add(o *phaseResult) {
	p.ok += o.ok
	p.failed += o.failed
	p.blocks += o.blocks
	p.dur += o.dur
}

func count(streams [][][]byte) (n int) {
	for _, s := range streams {
		n += len(s)
	}
	return n
}

// phaseRun is one timed phase: broadcasters count accepted txs, a watcher
// follows committed blocks.
type phaseRun struct {
	b        *bench
	start    time.Time
	startH   int64
	accepted atomic.Int64
	// fullRetries counts broadcasts retried because the mempool was full
	fullRetries atomic.Int64
	// follow, with -one-in-flight, tells a signer when its last tx is in a
	// block (see submit)
	follow *benchkit.Follower

	mu        sync.Mutex
	committed int64 // txs in blocks after startH
	lastH     int64
	cumAt     []cum
	werr      error
	stop      chan struct{}
}

type cum struct {
	height int64
	total  int64
	at     time.Time
}

func (b *bench) phase(name string, streams [][][]byte) (*phaseResult, error) {
	res := &phaseResult{}
	err := b.timed(name, res, func(ph *phaseRun) error { return ph.broadcastStreams(streams) })
	return res, err
}

// timed runs body (which broadcasts), waits for every accepted tx to be
// committed, and fills res: duration from the start to the block of the
// last tx, txs ok and failed (from the block results, read afterwards).
func (b *bench) timed(name string, res *phaseResult, body func(*phaseRun) error) error {
	info, err := b.RPC.ABCIInfo(context.Background())
	if err != nil {
		return err
	}
	ph := &phaseRun{b: b, startH: info.Response.LastBlockHeight, stop: make(chan struct{})}
	ph.lastH = ph.startH
	if b.cfg.oneInFlight {
		ph.follow = benchkit.FollowFrom(b.RPC, ph.startH)
		defer ph.follow.Close()
	}
	ph.start = time.Now()
	go ph.watch()
	defer close(ph.stop)
	if err := body(ph); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	last, err := ph.waitCommitted()
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	res.dur = last.at.Sub(ph.start)
	// results (not timed)
	for h := ph.startH + 1; h <= last.height; h++ {
		br, err := b.RPC.BlockResults(context.Background(), &h)
		if err != nil {
			return fmt.Errorf("%s: block results %d: %w", name, h, err)
		}
		if len(br.TxsResults) > 0 {
			res.blocks++
		}
		for _, r := range br.TxsResults {
			if r.Code == 0 {
				res.ok++
			} else {
				if res.failed < 3 {
					logf("tx failed in block %d: code %d %s: %s", h, r.Code, r.Codespace, r.Log)
				}
				res.failed++
			}
		}
	}
	logf("%s: %d txs ok, %d failed, in %d blocks, %.2f s (first broadcast to last commit); %d broadcasts retried on a full mempool",
		name, res.ok, res.failed, res.blocks, res.dur.Seconds(), ph.fullRetries.Load())
	return nil
}

// broadcastStreams broadcasts each stream's txs in order (one goroutine
// per stream: per signer, so that sequences arrive in order; with
// -one-in-flight, each tx once the last is in a block).
func (ph *phaseRun) broadcastStreams(streams [][][]byte) error {
	var wg sync.WaitGroup
	errs := make([]error, len(streams))
	for i, s := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tx := range s {
				wait, err := ph.submit(tx)
				if err == nil {
					err = wait()
				}
				if err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// submit broadcasts tx and returns what waits for it before its signer's
// next tx: nothing, or with -one-in-flight its inclusion in a block. On a
// net of several validators a signer must not pipeline: CometBFT's mempool
// adds a checked tx to its list in a callback that runs after the app's
// lock is released, so two of a signer's txs relayed by different peers can
// be listed, and proposed, in the wrong order, and the later one fails in
// its block with a wrong sequence (docs/reliability.md, "Share throughput").
func (ph *phaseRun) submit(tx []byte) (wait func() error, err error) {
	if err := ph.broadcast(tx); err != nil {
		return nil, err
	}
	if ph.follow == nil {
		return func() error { return nil }, nil
	}
	return func() error {
		_, _, err := ph.follow.WaitIncluded(gateway.TxHash(tx), ph.b.cfg.timeout)
		return err
	}, nil
}

// broadcast sends one tx in sync mode, retrying while the mempool is full.
func (ph *phaseRun) broadcast(tx []byte) error {
	if _, err := benchkit.Broadcast(context.Background(), ph.b.RPC, tx, func() { ph.fullRetries.Add(1) }); err != nil {
		return err
	}
	ph.accepted.Add(1)
	return nil
}

// watch follows the app's last committed height (benchkit.PollCommitted)
// and records, per new block, its tx count and when it was first seen
// committed. It reads headers only, 20 at a time: full blocks of thousands
// of txs would load the node the bench measures.
func (ph *phaseRun) watch() {
	benchkit.PollCommitted(ph.b.RPC, ph.stop, ph.readHeadersUpTo, ph.fail)
}

// readHeadersUpTo records the blocks after the last one recorded up to h,
// first seen committed at now.
func (ph *phaseRun) readHeadersUpTo(h int64, now time.Time) {
	ph.mu.Lock()
	from := ph.lastH + 1
	ph.mu.Unlock()
	for from <= h {
		to := min(from+19, h)
		info, err := ph.b.RPC.BlockchainInfo(context.Background(), from, to)
		if err != nil {
			ph.fail(err)
			return
		}
		ph.mu.Lock()
		// BlockMetas come newest first
		for i := len(info.BlockMetas) - 1; i >= 0; i-- {
			m := info.BlockMetas[i]
			if m.Header.Height <= ph.lastH {
				continue
			}
			ph.committed += int64(m.NumTxs)
			ph.lastH = m.Header.Height
			ph.cumAt = append(ph.cumAt, cum{height: m.Header.Height, total: ph.committed, at: now})
		}
		ph.mu.Unlock()
		from = to + 1
	}
}

func (ph *phaseRun) fail(err error) {
	ph.mu.Lock()
	ph.werr = err
	ph.mu.Unlock()
}

// waitCommitted waits until every tx accepted so far is in a block and
// returns the block that completed the count.
func (ph *phaseRun) waitCommitted() (cum, error) {
	want := ph.accepted.Load()
	deadline := time.Now().Add(ph.b.cfg.timeout)
	for {
		ph.mu.Lock()
		for _, c := range ph.cumAt {
			if c.total >= want {
				ph.mu.Unlock()
				return c, nil
			}
		}
		werr := ph.werr
		ph.mu.Unlock()
		if time.Now().After(deadline) {
			return cum{}, fmt.Errorf("%d of %d txs committed after %s (last watcher error: %v)", ph.committedNow(), want, ph.b.cfg.timeout, werr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (ph *phaseRun) committedNow() int64 {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	return ph.committed
}
