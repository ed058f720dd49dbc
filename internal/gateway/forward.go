package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/medexchain/medexchain/x/phr/types"
)

// Defaults of Forwarder.
const (
	DefaultInclusionTimeout = 30 * time.Second
	DefaultPoll             = 500 * time.Millisecond
	DefaultMinBackoff       = 500 * time.Millisecond
	DefaultMaxBackoff       = 8 * time.Second
)

// Forwarder uploads the spool's entries to the chain, oldest first, one at
// a time: an entry leaves the spool only when the chain has included its
// upload (a receipt in sent/) or refused it for good (a refusal in
// refused/).
//
// Never twice: before a tx is broadcast it is written into its entry, and a
// new tx is signed for the entry only once the old one is proven dead: the
// chain executed it and refused it for a reason about the tx (gas,
// sequence, fee), CheckTx refused it (so no mempool holds it), or the
// account's sequence moved past it and no record carries the upload's body.
// Until then the very same bytes are broadcast again, and a tx can be
// included at most once. One tx in flight also keeps the records in the
// order of the device's sequence numbers.
//
// The forwarder assumes that the gateway account signs nothing but this
// spool's uploads, and that it talks to one node (or to nodes at least as
// recent as any it asked before).
type Forwarder struct {
	Spool *Spool
	Node  Node
	Query types.QueryClient
	// Out receives one progress line per event.
	Out io.Writer
	// OnSent runs after an entry's receipt is durable; OnRefused after its
	// refusal is. Either may be nil.
	OnSent    func(*Entry, *Receipt) error
	OnRefused func(*Entry, *Refusal) error
	Clock     func() time.Time

	InclusionTimeout       time.Duration
	Poll                   time.Duration
	MinBackoff, MaxBackoff time.Duration

	gasScale float64
}

// errNotSettled: the entry's tx is dead; sign a new one.
var errNotSettled = errors.New("not settled")

// spoolError marks an error of the local spool: no retry helps.
type spoolError struct{ error }

func (e spoolError) Unwrap() error { return e.error }

// RetryError is a refusal about the tx rather than the upload: the forwarder
// backs off and signs a new tx.
type RetryError struct{ Verdict Verdict }

func (e *RetryError) Error() string { return "the chain refused the tx: " + e.Verdict.String() }

func (f *Forwarder) defaults() {
	if f.InclusionTimeout <= 0 {
		f.InclusionTimeout = DefaultInclusionTimeout
	}
	if f.Poll <= 0 {
		f.Poll = DefaultPoll
	}
	if f.MinBackoff <= 0 {
		f.MinBackoff = DefaultMinBackoff
	}
	if f.MaxBackoff < f.MinBackoff {
		f.MaxBackoff = max(DefaultMaxBackoff, f.MinBackoff)
	}
	if f.Clock == nil {
		f.Clock = time.Now
	}
	if f.gasScale < 1 {
		f.gasScale = 1
	}
	if f.Out == nil {
		f.Out = io.Discard
	}
}

// Run forwards pending entries until the spool is empty and done is closed
// (or, with done nil, until the spool is empty). wake signals a new entry.
// While the node does not answer (errors marked txclient.ErrUnavailable),
// or refuses a tx for a reason about the tx, it retries with exponential
// backoff, printing each failure; it gives up when the node has not
// answered for giveUp (0: never). Any other error stops it: the entry stays
// pending.
func (f *Forwarder) Run(ctx context.Context, wake <-chan struct{}, done <-chan struct{}, giveUp time.Duration) error {
	f.defaults()
	backoff := f.MinBackoff
	lastContact := f.Clock()
	for {
		entries, err := f.Spool.Pending()
		if err != nil {
			return err
		}
		if len(entries) == 0 {
			if done == nil {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-done:
				// the producer's last Add happened before done: look once more
				if entries, err = f.Spool.Pending(); err != nil || len(entries) == 0 {
					return err
				}
				done = nil
				continue
			case <-wake:
				continue
			}
		}
		err = f.Forward(ctx, entries[0])
		if err == nil {
			backoff, lastContact = f.MinBackoff, f.Clock()
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var se spoolError
		if errors.As(err, &se) {
			return se.error
		}
		var re *RetryError
		switch {
		case errors.As(err, &re):
			lastContact = f.Clock() // the node answered
		case !Unreachable(err):
			// neither the node's absence nor a refusal to retry: a local
			// problem (signing, decoding) that waiting does not fix
			return fmt.Errorf("device %s reading %d (kept in %s): %w", entries[0].DeviceID, entries[0].Sequence, f.Spool.Dir, err)
		}
		if giveUp > 0 && f.Clock().Sub(lastContact) >= giveUp {
			return fmt.Errorf("the node has not answered for %s (%v): %d readings remain in %s", giveUp, err, len(entries), f.Spool.Dir)
		}
		f.printf("waiting: %v; %d readings spooled; retrying in %s", err, len(entries), backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, f.MaxBackoff)
	}
}

// Forward brings e to the chain: it returns nil once e has left the pending
// directory (sent or refused), or the error that stopped it (the node did
// not answer, a refusal to retry, a spool error).
func (f *Forwarder) Forward(ctx context.Context, e *Entry) error {
	f.defaults()
	msg, err := e.Msg()
	if err != nil {
		return spoolError{err}
	}
	dead := e.Tx == nil || e.Tx.CheckTxRefused
	for {
		if dead {
			settled, err := f.sign(ctx, e, msg)
			if settled || err != nil {
				return err
			}
		}
		err := f.settle(ctx, e, msg)
		if !errors.Is(err, errNotSettled) {
			return err
		}
		dead = true
	}
}

// sign signs a new tx for e, whose last tx (if any) is dead, and writes it
// into e before anything is broadcast. It signs with the account's
// committed sequence. When that is past the last tx's, the upload is first
// looked for on chain: the last tx, or one before it with the same
// sequence, may have carried it after all (settled is then true). A new tx
// with the same sequence as the last competes with it for that sequence:
// at most one of them is ever included.
func (f *Forwarder) sign(ctx context.Context, e *Entry, msg *types.MsgUploadRecord) (settled bool, err error) {
	height, err := f.Node.Height(ctx)
	if err != nil {
		return false, fmt.Errorf("node height: %w", err)
	}
	seq, err := f.Node.AccountSequence(ctx)
	if err != nil {
		return false, fmt.Errorf("gateway account: %w", err)
	}
	if e.Tx != nil && seq > e.Tx.AccountSequence {
		rec, err := FindUpload(ctx, f.Query, e, msg)
		if err != nil {
			return false, err
		}
		if rec != nil {
			return true, f.sent(e, &Receipt{RecordID: rec.Id, TxHash: e.Tx.Hash, Height: rec.Height, Recovered: true})
		}
	}
	bz, err := f.Node.SignUpload(ctx, msg, seq, f.gasScale)
	if err != nil {
		return false, fmt.Errorf("signing the upload of reading %d: %w", e.Sequence, err)
	}
	if e.SignedAfter == 0 {
		e.SignedAfter = max(height, 1)
	}
	e.Tx = &SignedTx{Hash: TxHash(bz), Bytes: bz, AccountSequence: seq, SignedAt: f.Clock().UTC()}
	if err := f.Spool.Update(e); err != nil {
		return false, spoolError{err}
	}
	return false, nil
}

// settle finds out what became of e's tx, broadcasting its bytes while the
// chain has not executed it, and waits for it to be included. It returns
// nil when e is settled, errNotSettled when the tx is dead.
func (f *Forwarder) settle(ctx context.Context, e *Entry, msg *types.MsgUploadRecord) error {
	var broadcastAt time.Time
	for {
		res, err := f.Node.Tx(ctx, e.Tx.Hash)
		if err != nil {
			return fmt.Errorf("tx %s: %w", short(e.Tx.Hash), err)
		}
		if res != nil {
			return f.included(e, res)
		}
		if !broadcastAt.IsZero() && f.Clock().Sub(broadcastAt) < f.InclusionTimeout {
			if err := sleep(ctx, f.Poll); err != nil {
				return err
			}
			continue
		}
		// Not in a block, or its index entry is lost: the account's
		// sequence tells.
		seq, err := f.Node.AccountSequence(ctx)
		if err != nil {
			return fmt.Errorf("gateway account: %w", err)
		}
		switch {
		case seq > e.Tx.AccountSequence:
			// Its sequence is used: by this tx (included, not indexed) or
			// by another (then this one never can be); sign looks for the
			// record before it signs anything.
			return errNotSettled
		case seq < e.Tx.AccountSequence:
			return fmt.Errorf("the node's account sequence %d is behind the %d tx %s was signed with: a node behind the one the gateway used before", seq, e.Tx.AccountSequence, short(e.Tx.Hash))
		}
		v, err := f.Node.Broadcast(ctx, e.Tx.Bytes)
		if err != nil {
			return fmt.Errorf("broadcasting tx %s: %w", short(e.Tx.Hash), err)
		}
		if !v.OK() && !v.inMempool() {
			// CheckTx refused it: it is in no mempool
			if v.Permanent() {
				return f.refused(e, v, "")
			}
			e.Tx.CheckTxRefused = true
			if err := f.Spool.Update(e); err != nil {
				return spoolError{err}
			}
			return &RetryError{Verdict: v}
		}
		if broadcastAt.IsZero() && e.Tx.SignedAt.Add(time.Second).Before(f.Clock()) {
			f.printf("reading %d: tx %s sent again", e.Sequence, short(e.Tx.Hash))
		}
		broadcastAt = f.Clock()
	}
}

// included settles e from its tx's result.
func (f *Forwarder) included(e *Entry, res *TxResult) error {
	switch {
	case res.OK():
		return f.sent(e, &Receipt{RecordID: res.RecordID, TxHash: e.Tx.Hash, Height: res.Height})
	case res.Permanent():
		return f.refused(e, res.Verdict, e.Tx.Hash)
	}
	f.printf("reading %d: tx %s failed in block %d (%s); signing a new one", e.Sequence, short(e.Tx.Hash), res.Height, res.Verdict)
	if res.outOfGas() {
		f.gasScale *= 2
	}
	return errNotSettled
}

func (f *Forwarder) sent(e *Entry, r *Receipt) error {
	r.DeviceID, r.Sequence, r.SentAt = e.DeviceID, e.Sequence, f.Clock().UTC()
	if err := f.Spool.Sent(e, r); err != nil {
		return spoolError{err}
	}
	if f.OnSent != nil {
		if err := f.OnSent(e, r); err != nil {
			return spoolError{err}
		}
	}
	return nil
}

func (f *Forwarder) refused(e *Entry, v Verdict, txHash string) error {
	r := &Refusal{Codespace: v.Codespace, Code: v.Code, Log: oneLine(v.Log), TxHash: txHash, RefusedAt: f.Clock().UTC()}
	if err := f.Spool.Refused(e, r); err != nil {
		return spoolError{err}
	}
	f.printf("refused device %s seq %d: %s (kept in %s)", e.DeviceID, e.Sequence, v, f.Spool.RefusedPath(e))
	if f.OnRefused != nil {
		if err := f.OnRefused(e, r); err != nil {
			return spoolError{err}
		}
	}
	return nil
}

func (f *Forwarder) printf(format string, args ...any) {
	fmt.Fprintf(f.Out, format+"\n", args...)
}

func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12]
	}
	return hash
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
	}
	return nil
}
