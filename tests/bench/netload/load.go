package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/tests/bench/benchkit"
	"github.com/medexchain/medexchain/x/phr/types"
)

type loadConfig struct {
	nodes                                       []string
	home, chainID, denom, admin, keyringBackend string
	gasPrice                                    float64
	records, gateways                           int
	floodRecords, floodWorkers                  int
	floodRate                                   float64
	timeout                                     time.Duration
}

type loader struct {
	cfg     loadConfig
	chain   *benchkit.Chain
	clients []*rpchttp.HTTP // one per node of -nodes
	world   *benchkit.World
	follow  *benchkit.Follower
}

func runLoad(args []string) error {
	var c loadConfig
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	nodes := fs.String("nodes", "tcp://127.0.0.1:28057", "comma-separated CometBFT RPCs; gateway i broadcasts to node i mod n, blocks are followed on the first")
	fs.StringVar(&c.home, "home", ".net4-load/val1", "node home holding the test keyring with the admin key")
	fs.StringVar(&c.chainID, "chain-id", "medexchain-net4-1", "chain id")
	fs.StringVar(&c.denom, "denom", app.BondDenom, "fee denom")
	fs.StringVar(&c.admin, "admin", "admin", "key name of the funded admission authority in the keyring")
	fs.StringVar(&c.keyringBackend, "keyring-backend", keyring.BackendTest, "keyring backend")
	fs.Float64Var(&c.gasPrice, "gas-price", 0.001, "fee per gas (the nodes' minimum-gas-prices)")
	fs.IntVar(&c.records, "records", 1000, "honest uploads without the flood")
	fs.IntVar(&c.gateways, "gateways", 100, "honest gateways (one device each, one tx in flight each), gateway i on node i mod n")
	fs.IntVar(&c.floodRecords, "flood-records", 400, "honest uploads during the flood (0: no flood)")
	fs.IntVar(&c.floodWorkers, "flood-workers", 4, "goroutines sending malformed txs, worker i to node i mod n")
	fs.Float64Var(&c.floodRate, "flood-rate", 0, "malformed txs per second per worker (0: as fast as the nodes answer)")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Minute, "give up on a phase after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c.nodes = strings.Split(*nodes, ",")
	if c.records < 1 || c.gateways < 1 || c.floodRecords < 0 || c.floodWorkers < 1 {
		return errors.New("-records, -gateways, -flood-workers must be positive, -flood-records not negative")
	}
	chain, err := benchkit.Connect(c.nodes[0], c.chainID, c.denom, c.gasPrice)
	if err != nil {
		return err
	}
	l := &loader{cfg: c, chain: chain}
	for _, n := range c.nodes {
		rpc, err := benchkit.NewRPC(n)
		if err != nil {
			return err
		}
		l.clients = append(l.clients, rpc)
	}
	admin, err := chain.KeyringAccount(c.home, c.keyringBackend, c.admin)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> setup: %d gateways (+%d flooding), patient, their devices\n", c.gateways, c.floodWorkers)
	if l.world, err = chain.Setup(admin, 0, c.gateways+c.floodWorkers); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	if l.follow, err = benchkit.Follow(chain.RPC); err != nil {
		return err
	}
	defer l.follow.Close()

	// Every honest upload is signed before the first phase.
	plain, err := l.streams(c.records)
	if err != nil {
		return err
	}
	flooded, err := l.streams(c.floodRecords)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "==> load: %d uploads from %d gateways on %d nodes\n", c.records, c.gateways, len(c.nodes))
	base, err := l.phase("load", plain, nil)
	if err != nil {
		return err
	}
	base.print("load")
	if c.floodRecords == 0 {
		return l.checkRecords(c.records)
	}

	fmt.Fprintf(os.Stderr, "==> flood: %d uploads from %d gateways while %d workers send malformed txs\n", c.floodRecords, c.gateways, c.floodWorkers)
	fl, err := l.newFlooder()
	if err != nil {
		return err
	}
	during, err := l.phase("flood", flooded, fl)
	if err != nil {
		return err
	}
	during.print("flood_honest")
	figure("flood_honest_vs_load", fmt.Sprintf("%.2f", during.rate()/base.rate()), "ratio")
	if err := fl.report(l); err != nil {
		return err
	}
	return l.checkRecords(c.records + c.floodRecords)
}

// streams signs n uploads, gateway i's in stream i (its sequence order).
func (l *loader) streams(n int) ([][][]byte, error) {
	return l.chain.SignUploads(l.world, l.cfg.gateways, n, time.Now().UTC().Truncate(time.Minute))
}

// sample is one honest tx: when it was broadcast and the height the
// followed node had committed then; filled with its inclusion afterwards.
type sample struct {
	hash     string
	at       time.Time
	h0       int64
	height   int64
	included time.Time
}

type phaseOut struct {
	n, failed   int
	dur         time.Duration
	lat         []time.Duration
	blocks      []int64
	firstH      int64
	lastH       int64
	fullRetries int64
}

func (p *phaseOut) rate() float64 { return float64(p.n-p.failed) / p.dur.Seconds() }

func (p *phaseOut) print(prefix string) {
	figure(prefix+"_records", p.n-p.failed, "records")
	figure(prefix+"_records_per_s", fmt.Sprintf("%.1f", p.rate()), "records/s")
	figure(prefix+"_s", fmt.Sprintf("%.2f", p.dur.Seconds()), "s")
	figure(prefix+"_p50_s", fmt.Sprintf("%.2f", percentile(p.lat, 50).Seconds()), "s")
	figure(prefix+"_p95_s", fmt.Sprintf("%.2f", percentile(p.lat, 95).Seconds()), "s")
	figure(prefix+"_p95_blocks", percentile(p.blocks, 95), "blocks")
	figure(prefix+"_heights", fmt.Sprintf("%d-%d", p.firstH, p.lastH), "heights")
}

// percentile is the nearest-rank p-th percentile of xs.
func percentile[T int64 | time.Duration](xs []T, p int) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[max(0, (p*len(s)+99)/100-1)]
}

// phase broadcasts streams while fl (if any) floods: stream i (gateway
// i's txs, in sequence order) goes to node i mod n with one tx in flight,
// as the gateway's forwarder does: the next is broadcast once the last is
// in a block of the followed node. It measures from the first broadcast to
// the moment the last tx's block was seen committed and, per tx, from its
// broadcast to its block seen committed, in seconds and in blocks.
func (l *loader) phase(name string, streams [][][]byte, fl *flooder) (*phaseOut, error) {
	ctx := context.Background()
	if fl != nil {
		fl.start(l)
		defer fl.stop()
	}
	var full atomic.Int64
	samples := make([][]sample, len(streams))
	errs := make([]error, len(streams))
	start := time.Now()
	deadline := start.Add(l.cfg.timeout)
	var wg sync.WaitGroup
	for i, s := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rpc := l.clients[i%len(l.clients)]
			for _, tx := range s {
				sm := sample{hash: gateway.TxHash(tx), at: time.Now(), h0: l.follow.Height()}
				if _, err := benchkit.Broadcast(ctx, rpc, tx, func() { full.Add(1) }); err != nil {
					errs[i] = fmt.Errorf("gateway %d: %w", i, err)
					return
				}
				var err error
				if sm.height, sm.included, err = l.follow.WaitIncluded(sm.hash, time.Until(deadline)); err != nil {
					errs[i] = fmt.Errorf("gateway %d: %w", i, err)
					return
				}
				samples[i] = append(samples[i], sm)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	all := slices.Concat(samples...)
	out := &phaseOut{n: len(all), fullRetries: full.Load(), firstH: all[0].height}
	heights := map[int64]bool{}
	var last time.Time
	for _, s := range all {
		heights[s.height] = true
		out.firstH, out.lastH = min(out.firstH, s.height), max(out.lastH, s.height)
		out.lat = append(out.lat, s.included.Sub(s.at))
		out.blocks = append(out.blocks, s.height-s.h0)
		if s.included.After(last) {
			last = s.included
		}
	}
	out.dur = last.Sub(start)
	results, err := l.follow.Results(ctx, heights)
	if err != nil {
		return nil, err
	}
	for _, s := range all {
		if r := results[s.hash]; r.Code != 0 {
			if out.failed < 3 {
				logf("%s: tx %s failed in block %d: %s code %d: %s", name, s.hash[:12], s.height, r.Codespace, r.Code, r.Log)
			}
			out.failed++
		}
	}
	logf("%s: %d txs in blocks %d-%d, %d failed, %.2f s; %d broadcasts retried on a full mempool", name, out.n, out.firstH, out.lastH, out.failed, out.dur.Seconds(), out.fullRetries)
	if out.failed > 0 {
		return nil, fmt.Errorf("%s: %d honest uploads failed in their block", name, out.failed)
	}
	return out, nil
}

// checkRecords: the patient has exactly want records on chain.
func (l *loader) checkRecords(want int) error {
	n := 0
	var key []byte
	for {
		res, err := l.chain.Q.RecordsByPatient(context.Background(), &types.QueryRecordsByPatientRequest{Patient: l.world.Patient.String(),
			Pagination: &query.PageRequest{Key: key, Limit: types.MaxPageLimit}})
		if err != nil {
			return err
		}
		n += len(res.Records)
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			break
		}
		key = res.Pagination.NextKey
	}
	figure("records_on_chain", n, "records")
	if n != want {
		return fmt.Errorf("%d records on chain, %d uploaded", n, want)
	}
	return nil
}
