package proxy

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultMaxBackoff caps the wait between attempts while the node is away.
const DefaultMaxBackoff = 30 * time.Second

// Run calls Step every interval until ctx is cancelled (then it returns
// nil). While the node is unreachable it logs "node unreachable, retrying in
// …" and backs off exponentially up to maxBackoff (DefaultMaxBackoff if 0);
// the clients reconnect on their own once the node is back.
func (w *Worker) Run(ctx context.Context, interval, maxBackoff time.Duration) error {
	if interval <= 0 {
		return errors.New("proxy: poll interval must be positive")
	}
	if maxBackoff < interval {
		maxBackoff = max(DefaultMaxBackoff, interval)
	}
	w.log.Info("proxy started", "proxy", w.me, "chain", w.cfg.ChainID, "batch", w.cfg.BatchSize, "poll", interval.String())
	backoff, down := interval, false
	for {
		rep, err := w.Step(ctx)
		if ctx.Err() != nil {
			w.log.Info("proxy stopped")
			return nil
		}
		wait := interval
		switch {
		case err == nil:
			if down {
				w.log.Info("node reachable again")
			}
			down, backoff = false, interval
			if rep.Pending > 0 || len(rep.Deleted) > 0 {
				w.log.Info("cycle done", "pending", rep.Pending, "answered", len(rep.Answered),
					"skipped", rep.Skipped, "deleted", idList(rep.Deleted))
			}
		case errors.Is(err, ErrUnavailable):
			down, wait = true, backoff
			w.log.Warn(fmt.Sprintf("node unreachable, retrying in %s", wait), "err", err)
			backoff = min(backoff*2, maxBackoff)
		default:
			// An answer from the chain we cannot act on (e.g. this account
			// is not an admitted proxy): keep trying, without flooding.
			wait = backoff
			w.log.Error(fmt.Sprintf("cycle failed, retrying in %s", wait), "err", err)
			backoff = min(backoff*2, maxBackoff)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			w.log.Info("proxy stopped")
			return nil
		case <-t.C:
		}
	}
}
