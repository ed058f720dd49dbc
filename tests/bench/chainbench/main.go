// Command chainbench measures a running medexchain node (make bench-chain,
// scripts/bench-chain.sh): bank sends, record uploads and completed shares
// per second, in one run against one fresh single-validator chain.
//
// Every tx is signed in process (tests/bench/benchkit) with the app's own tx config (app.New on an
// in-memory database), with account numbers and sequences tracked locally,
// and broadcast in sync mode over the node's CometBFT RPC from one goroutine
// per signer account. A phase's time runs from its first broadcast to the
// moment the block holding its last tx is seen committed by the app (its
// last block height, from ABCI Info, is polled every 20 ms, and blocks' tx
// counts are read from their headers, so that the measurement does not load
// the node with full blocks).
// Tx results are checked after each phase.
//
// Phases, in order (sends and uploads alternate over -rounds rounds, so that
// a change in the machine's load during the run hits both):
//
//	sends    MsgSend of 1umedex from -senders accounts, pre-signed
//	uploads  MsgUploadRecord (edge-firewalled like a gateway does: device
//	         encryption of a FHIR heart-rate Observation, 2 KiB bucket) from
//	         -gateways gateway accounts, one registered device each, pre-signed
//	shares   one hospital fetches -shares records under a 2-of-3 grant
//	         (requested and granted before the clock starts), 32 per
//	         MsgFetchRecords (one task per record); once they are committed,
//	         two proxies each list their pending tasks, read each record's
//	         head (capsules, no body) from the node, compute one answer per
//	         task over both capsules (-answer-workers goroutines per proxy)
//	         and broadcast them in batches of 32 as they go; the second answer of a task completes it. shares/s =
//	         completed shares ÷ (last share committed − first fetch broadcast).
//
// Output: one `name value unit` line per figure on stdout; progress on
// stderr.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	sdkmath "cosmossdk.io/math"

	"golang.org/x/sync/errgroup"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/tests/bench/benchkit"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

type config struct {
	node, home, chainID, denom, admin, keyringBackend string
	gasPrice                                          float64
	sends, senders, rounds                            int
	uploads, gateways                                 int
	shares, threshold, batch, answerWorkers           int
	timeout                                           time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.node, "node", "tcp://127.0.0.1:26757", "CometBFT RPC of the node")
	flag.StringVar(&c.home, "home", ".localnet/node0", "node home holding the test keyring with the admin key")
	flag.StringVar(&c.chainID, "chain-id", "medexchain-local-1", "chain id")
	flag.StringVar(&c.denom, "denom", app.BondDenom, "fee denom")
	flag.StringVar(&c.admin, "admin", "admin", "key name of the funded admission authority in the keyring")
	flag.StringVar(&c.keyringBackend, "keyring-backend", keyring.BackendTest, "keyring backend")
	flag.Float64Var(&c.gasPrice, "gas-price", 0.001, "fee per gas (the node's minimum-gas-prices)")
	flag.IntVar(&c.sends, "sends", 4000, "bank sends")
	flag.IntVar(&c.senders, "senders", 8, "accounts sending them in parallel")
	flag.IntVar(&c.rounds, "rounds", 2, "alternating rounds of sends and uploads")
	flag.IntVar(&c.uploads, "uploads", 2000, "record uploads")
	flag.IntVar(&c.gateways, "gateways", 4, "gateway accounts (one device each) uploading in parallel")
	flag.IntVar(&c.shares, "shares", 512, "records fetched and shared (at most -uploads)")
	flag.IntVar(&c.threshold, "threshold", 2, "grant threshold t (of 3 proxies)")
	flag.IntVar(&c.batch, "batch", 32, "answers per MsgSubmitAnswers (the proxy daemon's default)")
	flag.IntVar(&c.answerWorkers, "answer-workers", 4, "goroutines computing one proxy's answers of a batch")
	flag.DurationVar(&c.timeout, "timeout", 3*time.Minute, "give up on a phase after this long")
	flag.Parse()
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "chainbench:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "    "+format+"\n", args...)
}

type bench struct {
	*benchkit.Chain
	cfg config
}

func run(c config) error {
	if c.rounds < 1 || c.sends < c.rounds || c.uploads < c.rounds {
		return fmt.Errorf("-rounds %d: need 1 ≤ rounds ≤ sends, uploads", c.rounds)
	}
	if c.shares > c.uploads {
		return fmt.Errorf("-shares %d > -uploads %d", c.shares, c.uploads)
	}
	chain, err := benchkit.Connect(c.node, c.chainID, c.denom, c.gasPrice)
	if err != nil {
		return err
	}
	b := &bench{Chain: chain, cfg: c}
	admin, err := chain.KeyringAccount(c.home, c.keyringBackend, c.admin)
	if err != nil {
		return err
	}

	// ---- setup (not timed) ----
	fmt.Fprintln(os.Stderr, "==> setup: accounts, members, patient, vault, devices")
	w, err := b.Setup(admin, c.senders, c.gateways)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	logf("%d senders, %d gateways with a device each, patient, hospital, 3 proxies", len(w.Senders), len(w.Gateways))

	// ---- phases a and b: bank sends and uploads, in alternating rounds ----
	// Every tx is signed before the first round. Alternating sends and
	// uploads (rather than one long phase each) spreads any change in the
	// machine's load over both.
	sink := benchkit.NewAccount("sink").Addr
	sendStreams := make([][][][]byte, c.rounds) // round, signer, txs
	for r := range sendStreams {
		sendStreams[r] = make([][][]byte, len(w.Senders))
	}
	for i := range c.sends {
		r, k := i*c.rounds/c.sends, i%len(w.Senders)
		s := w.Senders[k]
		tx, err := b.Sign(s, 100_000, &banktypes.MsgSend{FromAddress: s.String(), ToAddress: sink.String(),
			Amount: sdk.NewCoins(sdk.NewCoin(c.denom, sdkmath.NewInt(1)))})
		if err != nil {
			return err
		}
		sendStreams[r][k] = append(sendStreams[r][k], tx)
	}
	at := time.Now().UTC().Truncate(time.Minute)
	uploadStreams := make([][][][]byte, c.rounds)
	for r := range uploadStreams {
		uploadStreams[r] = make([][][]byte, len(w.Gateways))
	}
	var bodyBytes, uploadTxBytes int
	for i := range c.uploads {
		r, g := i*c.rounds/c.uploads, i%len(w.Gateways)
		msg, err := w.UploadMsg(g, at)
		if err != nil {
			return err
		}
		tx, err := b.Sign(w.Gateways[g], 400_000, msg)
		if err != nil {
			return err
		}
		bodyBytes, uploadTxBytes = len(msg.Body), len(tx)
		uploadStreams[r][g] = append(uploadStreams[r][g], tx)
	}
	logf("pre-signed %d sends and %d uploads (body %d bytes, tx %d bytes)", c.sends, c.uploads, bodyBytes, uploadTxBytes)
	var sends, uploads phaseResult
	var roundRatios []float64
	for r := range c.rounds {
		fmt.Fprintf(os.Stderr, "==> round %d/%d: bank sends: %d from %d accounts\n", r+1, c.rounds, count(sendStreams[r]), c.senders)
		s, err := b.phase(fmt.Sprintf("sends %d", r+1), sendStreams[r])
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "==> round %d/%d: uploads: %d from %d gateways\n", r+1, c.rounds, count(uploadStreams[r]), c.gateways)
		u, err := b.phase(fmt.Sprintf("uploads %d", r+1), uploadStreams[r])
		if err != nil {
			return err
		}
		sends.add(s)
		uploads.add(u)
		roundRatios = append(roundRatios, (float64(u.ok)/u.dur.Seconds())/(float64(s.ok)/s.dur.Seconds()))
	}
	recordIDs, err := b.recordIDs(w.Patient.String(), c.shares)
	if err != nil {
		return err
	}

	// ---- phase c: shares ----
	fmt.Fprintf(os.Stderr, "==> shares: %d records under a %d-of-%d grant\n", c.shares, c.threshold, len(w.Proxies))
	grantID, err := b.grant(w, at, c.shares)
	if err != nil {
		return err
	}
	shares, err := b.sharePhase(w, grantID, recordIDs)
	if err != nil {
		return err
	}

	sendRate := float64(sends.ok) / sends.dur.Seconds()
	uploadRate := float64(uploads.ok) / uploads.dur.Seconds()
	shareRate := float64(shares.completed) / shares.dur.Seconds()
	fmt.Printf("bank_sends_per_s %.1f tx/s\n", sendRate)
	fmt.Printf("uploads_per_s %.1f tx/s\n", uploadRate)
	fmt.Printf("shares_per_s %.1f shares/s\n", shareRate)
	fmt.Printf("upload_vs_send %.2f ratio\n", uploadRate/sendRate)
	fmt.Printf("share_vs_send %.3f ratio\n", shareRate/sendRate)
	for r, x := range roundRatios {
		fmt.Printf("upload_vs_send_round%d %.2f ratio\n", r+1, x)
	}
	fmt.Printf("answers_per_s %.1f answers/s\n", float64(shares.answers)/shares.dur.Seconds())
	fmt.Printf("bank_sends %d tx\n", sends.ok)
	fmt.Printf("bank_sends_s %.2f s\n", sends.dur.Seconds())
	fmt.Printf("bank_sends_blocks %d blocks\n", sends.blocks)
	fmt.Printf("uploads %d tx\n", uploads.ok)
	fmt.Printf("uploads_s %.2f s\n", uploads.dur.Seconds())
	fmt.Printf("uploads_blocks %d blocks\n", uploads.blocks)
	fmt.Printf("upload_tx_bytes %d bytes\n", uploadTxBytes)
	fmt.Printf("shares %d shares\n", shares.completed)
	fmt.Printf("shares_s %.2f s\n", shares.dur.Seconds())
	fmt.Printf("shares_blocks %d blocks\n", shares.blocks)
	fmt.Printf("share_fetch_txs %d tx\n", shares.fetchTxs)
	fmt.Printf("share_answer_txs %d tx\n", shares.answerTxs)
	if sends.failed+uploads.failed+shares.failed > 0 {
		return fmt.Errorf("%d txs failed (sends %d, uploads %d, shares %d)",
			sends.failed+uploads.failed+shares.failed, sends.failed, uploads.failed, shares.failed)
	}
	if shares.completed != c.shares {
		return fmt.Errorf("%d of %d shares completed", shares.completed, c.shares)
	}
	return nil
}

// grant: the hospital requests access to the vault, the patient grants it
// t-of-n to the proxy committee. Not timed.
func (b *bench) grant(w *benchkit.World, at time.Time, records int) (uint64, error) {
	now := time.Now().UTC()
	req := &types.MsgRequestAccess{Requester: w.Hospital.String(), Patient: w.Patient.String(), Vault: benchkit.VaultName,
		Scope:   types.Scope{FromTime: at.Add(-time.Hour), ToTime: at.Add(time.Hour), MaxRecords: uint32(records)},
		Purpose: "treatment", Expiry: now.Add(2 * time.Hour)}
	res, err := b.Deliver(w.Hospital, 500_000, req)
	if err != nil {
		return 0, fmt.Errorf("request: %w", err)
	}
	var resp types.MsgRequestAccessResponse
	if err := benchkit.MsgResponse(res.Data, &resp); err != nil {
		return 0, err
	}
	committee, err := b.committee()
	if err != nil {
		return 0, err
	}
	var recips []pre.ProxyRecipient
	for _, m := range committee {
		pk, err := keys.DecodeProxyPublicKey(m.PublicKey)
		if err != nil {
			return 0, err
		}
		recips = append(recips, pre.ProxyRecipient{Address: sdk.MustAccAddressFromBech32(m.Address), Key: pk})
	}
	kg, err := pre.CreateGrant(w.Vault, pre.GrantContext{ChainID: b.cfg.chainID, GrantID: resp.GrantId, Vault: benchkit.VaultName,
		Epoch: w.Vault.Epoch}, w.Requester.Public(), b.cfg.threshold, recips, rand.Reader)
	if err != nil {
		return 0, err
	}
	if _, err := b.Deliver(w.Patient, 1_000_000, &types.MsgGrantAccess{Patient: w.Patient.String(), GrantId: resp.GrantId,
		KeyGrant: kg.Bytes(), Expiry: now.Add(time.Hour)}); err != nil {
		return 0, fmt.Errorf("grant: %w", err)
	}
	logf("grant %d: %d-of-%d, %d records", resp.GrantId, b.cfg.threshold, len(recips), records)
	return resp.GrantId, nil
}

func (b *bench) committee() ([]types.Member, error) {
	var out []types.Member
	var next []byte
	for {
		res, err := b.Q.Members(context.Background(), &types.QueryMembersRequest{Role: types.ROLE_PROXY,
			Pagination: &query.PageRequest{Key: next, Limit: 100}})
		if err != nil {
			return nil, err
		}
		out = append(out, res.Members...)
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return out, nil
		}
		next = res.Pagination.NextKey
	}
}

// recordIDs lists the first n records of the patient.
func (b *bench) recordIDs(patient string, n int) ([]uint64, error) {
	var ids []uint64
	var next []byte
	for len(ids) < n {
		res, err := b.Q.RecordsByPatient(context.Background(), &types.QueryRecordsByPatientRequest{Patient: patient,
			Pagination: &query.PageRequest{Key: next, Limit: 200}})
		if err != nil {
			return nil, err
		}
		for _, r := range res.Records {
			ids = append(ids, r.Id)
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			break
		}
		next = res.Pagination.NextKey
	}
	if len(ids) < n {
		return nil, fmt.Errorf("patient has %d records, %d wanted", len(ids), n)
	}
	return ids[:n], nil
}

type shareResult struct {
	phaseResult
	completed, answers, fetchTxs, answerTxs int
}

// sharePhase: fetches, then the proxies' answers; see the package doc.
func (b *bench) sharePhase(w *benchkit.World, grantID uint64, recordIDs []uint64) (*shareResult, error) {
	c := b.cfg
	var fetches [][]byte
	for i := 0; i < len(recordIDs); i += 32 {
		ids := recordIDs[i:min(i+32, len(recordIDs))]
		tx, err := b.Sign(w.Hospital, uint64(len(ids))*150_000, &types.MsgFetchRecords{Requester: w.Hospital.String(),
			GrantId: grantID, RecordIds: ids})
		if err != nil {
			return nil, err
		}
		fetches = append(fetches, tx)
	}
	// the proxies' fragments, opened before the clock starts (a proxy daemon
	// opens a grant's fragment once, when it first sees the grant)
	g, err := b.Q.Grant(context.Background(), &types.QueryGrantRequest{Id: grantID})
	if err != nil {
		return nil, err
	}
	kg, err := pre.DecodeGrant(g.Grant.KeyGrant)
	if err != nil {
		return nil, err
	}
	answering := w.Proxies[:c.threshold]
	frags := make([]*pre.Fragment, len(answering))
	for i, p := range answering {
		if frags[i], err = pre.OpenFragment(w.ProxyKeys[p.String()], c.chainID, grantID, p.Addr, kg); err != nil {
			return nil, fmt.Errorf("%s opening its fragment: %w", p.Name, err)
		}
	}

	res := &shareResult{fetchTxs: len(fetches)}
	err = b.timed("shares", &res.phaseResult, func(ph *phaseRun) error {
		if err := ph.broadcastStreams([][][]byte{fetches}); err != nil {
			return err
		}
		if _, err := ph.waitCommitted(); err != nil {
			return err
		}
		logf("fetches committed after %.2f s; proxies answering", time.Since(ph.start).Seconds())
		var wg sync.WaitGroup
		errs := make([]error, len(answering))
		counts := make([]int, len(answering))
		for i, p := range answering {
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[i], errs[i] = b.proxyAnswers(ph, p, frags[i], grantID)
			}()
		}
		wg.Wait()
		for _, n := range counts {
			res.answerTxs += n
		}
		return errors.Join(errs...)
	})
	if err != nil {
		return nil, err
	}
	// completed shares and answers, from the chain (not timed)
	var next []byte
	for {
		sr, err := b.Q.SharesByGrant(context.Background(), &types.QuerySharesByGrantRequest{GrantId: grantID,
			Pagination: &query.PageRequest{Key: next, Limit: 500}})
		if err != nil {
			return nil, err
		}
		for _, s := range sr.Shares {
			if s.Status == types.SHARE_STATUS_COMPLETE {
				res.completed++
			}
		}
		if sr.Pagination == nil || len(sr.Pagination.NextKey) == 0 {
			break
		}
		next = sr.Pagination.NextKey
	}
	res.answers = res.completed * c.threshold
	logf("%d shares complete", res.completed)
	return res, nil
}

// proxyAnswers is one proxy: list its pending tasks (one per record), read
// each record's head (capsules, no body) from the node, answer all its
// capsules at once, and broadcast batches as they are ready. It returns the
// number of txs broadcast.
func (b *bench) proxyAnswers(ph *phaseRun, p *benchkit.Account, frag *pre.Fragment, grantID uint64) (int, error) {
	ctx := context.Background()
	var tasks []types.Task
	var next []byte
	for {
		res, err := b.Q.PendingTasks(ctx, &types.QueryPendingTasksRequest{Proxy: p.String(),
			Pagination: &query.PageRequest{Key: next, Limit: 1024}})
		if err != nil {
			return 0, fmt.Errorf("%s pending tasks: %w", p.Name, err)
		}
		tasks = append(tasks, res.Tasks...)
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			break
		}
		next = res.Pagination.NextKey
	}
	txs := 0
	for i := 0; i < len(tasks); i += b.cfg.batch {
		var batch []types.Task
		for _, t := range tasks[i:min(i+b.cfg.batch, len(tasks))] {
			if t.GrantId == grantID {
				batch = append(batch, t)
			}
		}
		if len(batch) == 0 {
			continue
		}
		// A batch's answers are computed by several goroutines: a sequential
		// proxy would be bound by one record-head round trip per task and
		// leave the node idle, which is the proxy's limit, not the chain's.
		msg := &types.MsgSubmitAnswers{Proxy: p.String(), Answers: make([]types.AnswerSubmission, len(batch))}
		var eg errgroup.Group
		eg.SetLimit(b.cfg.answerWorkers)
		for j, t := range batch {
			eg.Go(func() error {
				r, err := b.Q.RecordHead(ctx, &types.QueryRecordHeadRequest{Id: t.RecordId})
				if err != nil {
					return fmt.Errorf("%s reading record %d: %w", p.Name, t.RecordId, err)
				}
				E, err := pre.DecodeCapsuleEs(r.Record.Capsules)
				if err != nil {
					return err
				}
				ans, err := frag.Answer(pre.AnswerContext{ChainID: b.cfg.chainID, GrantID: grantID, TaskID: t.Id, RecordID: t.RecordId,
					Capsules: uint32(len(E)), Proxy: p.Addr}, E, rand.Reader)
				if err != nil {
					return err
				}
				msg.Answers[j] = types.AnswerSubmission{TaskId: t.Id, Answer: ans.Bytes()}
				return nil
			})
		}
		if err := eg.Wait(); err != nil {
			return txs, err
		}
		// gas: the answers' verification and, for the second proxy, the
		// completion of every task (about 100k gas per answer measured)
		tx, err := b.Sign(p, uint64(len(msg.Answers))*150_000, msg)
		if err != nil {
			return txs, err
		}
		if err := ph.broadcast(tx); err != nil {
			return txs, fmt.Errorf("%s: %w", p.Name, err)
		}
		txs++
	}
	return txs, nil
}

// ---- timed phases ----

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
// per stream: per signer, so that sequences arrive in order).
func (ph *phaseRun) broadcastStreams(streams [][][]byte) error {
	var wg sync.WaitGroup
	errs := make([]error, len(streams))
	for i, s := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, tx := range s {
				if err := ph.broadcast(tx); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// broadcast sends one tx in sync mode, retrying while the mempool is full.
func (ph *phaseRun) broadcast(tx []byte) error {
	if _, err := benchkit.Broadcast(context.Background(), ph.b.RPC, tx, func() { ph.fullRetries.Add(1) }); err != nil {
		return err
	}
	ph.accepted.Add(1)
	return nil
}

// watch polls the app's last committed height every 20 ms and records, per
// new block, its tx count and when it was first seen committed.
func (ph *phaseRun) watch() {
	ctx := context.Background()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ph.stop:
			return
		case <-t.C:
		}
		// the app's last committed height: /status reports a block as soon
		// as it is stored, before the app has executed it
		info, err := ph.b.RPC.ABCIInfo(ctx)
		if err != nil {
			ph.fail(err)
			continue
		}
		now := time.Now()
		h := info.Response.LastBlockHeight
		ph.mu.Lock()
		from := ph.lastH + 1
		ph.mu.Unlock()
		for from <= h {
			to := min(from+19, h)
			info, err := ph.b.RPC.BlockchainInfo(ctx, from, to)
			if err != nil {
				ph.fail(err)
				break
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
