package proxy

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"

	"cosmossdk.io/log/v2"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Defaults of Config.
const (
	DefaultBatchSize = 32
	// DefaultMaxTasks is one page of PendingTasks: the node serves no more.
	DefaultMaxTasks   = types.MaxPageLimit
	DefaultSweepEvery = 60
)

// Config is what a Worker needs. ChainID, Address, Key, Store, Query and Tx
// are required.
type Config struct {
	// ChainID is bound into every fragment and answer.
	ChainID string
	// Address is the proxy's account: the committee member and the signer.
	Address sdk.AccAddress
	// Key is the proxy's current HPKE secret key, the one on chain
	// (fragments of new grants are sealed to it).
	Key *keys.ProxySecretKey
	// EarlierKeys are the proxy's HPKE keys before its rotations, newest
	// first: the fragments of grants made before a rotation stay sealed to
	// the key that was on chain then. The keystore tries Key, then each of
	// these.
	EarlierKeys []*keys.ProxySecretKey
	// Store keeps grants with their sealed fragments and the tombstones of
	// deleted ones (keystore.NewFileStore for a daemon).
	Store keystore.Store
	Query Querier
	Tx    Submitter
	// BatchSize bounds the answers per MsgSubmitAnswers (DefaultBatchSize).
	BatchSize int
	// MaxTasks bounds the pending tasks taken per cycle (DefaultMaxTasks);
	// the rest wait for the next cycle.
	MaxTasks int
	// SweepEvery: every that many cycles (and on the first) the worker lists
	// this proxy's revoked and expired grants and deletes their fragments,
	// which catches revocations that happened while it was not running.
	// Between sweeps it checks the grants it holds (DefaultSweepEvery).
	SweepEvery int
	// Logger gets one line per action (log.NewNopLogger if nil).
	Logger log.Logger
	// Rand is the randomness of the DLEQ proofs (crypto/rand if nil).
	Rand io.Reader
}

// Worker answers re-encryption tasks for one proxy. It is not safe for
// concurrent use: one goroutine calls Step (or Run).
type Worker struct {
	cfg    Config
	me     string // bech32 of cfg.Address, as the chain names committee members
	proxy  *keystore.Proxy
	log    log.Logger
	grants map[uint64]*grantEntry // grants whose fragment this worker looked at
	cycle  uint64
}

// NewWorker checks cfg and returns a worker.
func NewWorker(cfg Config) (*Worker, error) {
	switch {
	case cfg.ChainID == "":
		return nil, errors.New("proxy: chain id is required")
	case len(cfg.Address) == 0:
		return nil, errors.New("proxy: proxy address is required")
	case cfg.Key == nil || slices.Contains(cfg.EarlierKeys, nil):
		return nil, errors.New("proxy: proxy HPKE key is required (and earlier keys must not be nil)")
	case cfg.Store == nil || cfg.Query == nil || cfg.Tx == nil:
		return nil, errors.New("proxy: keystore, querier and submitter are required")
	case cfg.BatchSize < 0 || cfg.MaxTasks < 0 || cfg.SweepEvery < 0:
		return nil, errors.New("proxy: negative batch size, task limit or sweep interval")
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.MaxTasks == 0 {
		cfg.MaxTasks = DefaultMaxTasks
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = DefaultSweepEvery
	}
	if cfg.Logger == nil {
		cfg.Logger = log.NewNopLogger()
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	return &Worker{
		cfg:    cfg,
		me:     cfg.Address.String(),
		proxy:  keystore.NewProxy(append([]*keys.ProxySecretKey{cfg.Key}, cfg.EarlierKeys...), cfg.Address, cfg.Store),
		log:    cfg.Logger,
		grants: map[uint64]*grantEntry{},
	}, nil
}

// Address is the proxy's bech32 account address.
func (w *Worker) Address() string { return w.me }

// StepReport says what one cycle did.
type StepReport struct {
	Pending   int      // open tasks the node listed for this proxy
	Answered  []uint64 // tasks whose answers were committed, in order
	Skipped   int      // tasks not answered (refused fragment, bad record, race lost...)
	Refused   []uint64 // grants whose fragment was refused this cycle
	Deleted   []uint64 // grants whose fragment was deleted this cycle
	TxHashes  []string
	Completed []uint64 // tasks the chain reported as brought to t answers
}

// Step runs one poll cycle: retire fragments of grants no longer granted,
// fetch pending tasks, open the fragments they need, read each capsule from
// the node, answer, and submit in batches. An error wrapping ErrUnavailable
// means the node could not be reached; other problems are logged and the
// affected tasks skipped (they stay pending and are tried next cycle).
func (w *Worker) Step(ctx context.Context) (*StepReport, error) {
	rep := &StepReport{}
	w.cycle++
	active, err := w.cfg.Query.GrantsByProxy(ctx, w.me, types.GRANT_STATUS_GRANTED)
	if err != nil {
		return rep, fmt.Errorf("grants of proxy: %w", err)
	}
	activeByID := make(map[uint64]*types.Grant, len(active))
	for i := range active {
		activeByID[active[i].Id] = &active[i]
	}
	if err := w.retire(ctx, activeByID, rep); err != nil {
		return rep, err
	}
	if w.cycle == 1 || w.cycle%uint64(w.cfg.SweepEvery) == 0 {
		if err := w.sweep(ctx, rep); err != nil {
			return rep, err
		}
	}

	tasks, err := w.cfg.Query.PendingTasks(ctx, w.me, uint64(w.cfg.MaxTasks))
	if err != nil {
		return rep, fmt.Errorf("pending tasks: %w", err)
	}
	rep.Pending = len(tasks)
	if len(tasks) == 0 {
		return rep, nil
	}
	answers, err := w.answerAll(ctx, tasks, activeByID, rep)
	if err != nil {
		return rep, err
	}
	return rep, w.submitAll(ctx, answers, rep)
}
