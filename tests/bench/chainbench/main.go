// Command chainbench measures a running medexchain chain through one of its
// nodes: bank sends, record uploads and completed shares per second, in one
// run (make bench-chain on a fresh single validator, scripts/bench-chain.sh;
// make net4-share on four, scripts/net4-load.sh share, with -one-in-flight).
//
// Every tx is signed in process (tests/bench/benchkit) with the app's own tx
// config (app.New on an in-memory database), with account numbers and
// sequences tracked locally, and broadcast in sync mode over the node's
// CometBFT RPC from one goroutine per signer account. A phase's time runs
// from its first broadcast to the moment the block holding its last tx is
// seen committed by the app (its last block height, from ABCI Info, is
// polled every 20 ms, and blocks' tx counts are read from their headers:
// without -one-in-flight the measurement does not load the node with full
// blocks). Tx results are checked after each phase.
//
// Phases, in order (sends and uploads alternate over -rounds rounds, so that
// a change in the machine's load during the run hits both):
//
//	sends    MsgSend of 1umedex from -senders accounts, pre-signed
//	uploads  MsgUploadRecord (edge-firewalled like a gateway does: device
//	         encryption of a FHIR heart-rate Observation, 2 KiB bucket) from
//	         -gateways gateway accounts, one registered device each, pre-signed
//	shares   one hospital fetches -shares records under a t-of-n grant
//	         (-threshold) to the whole proxy committee (the driver's 3
//	         proxies on a fresh chain; requested and granted before the
//	         clock starts), 32 per MsgFetchRecords (one task per record),
//	         -fetch-msgs of them per tx; once they are committed, t of the
//	         driver's proxies each list their pending tasks, read each
//	         record's head (capsules, no body) from the node, compute one
//	         answer per task over both capsules (-answer-workers goroutines
//	         per proxy) and broadcast them -batch per tx as they go; the t-th
//	         answer of a task completes it. shares/s = completed shares ÷
//	         (last share committed − first fetch broadcast).
//
// With -one-in-flight every signer (sender, gateway, hospital, proxy)
// broadcasts its next tx only once its last is in a committed block (full
// blocks are followed to see it: benchkit.Follower), as the gateway and the
// proxy daemon do; a proxy computes its next batch meanwhile. That is the mode for a net of
// several validators, where a signer's pipelined txs can be proposed out of
// order (docs/reliability.md, "Share throughput"); it needs many more
// senders and larger answer batches to fill the blocks.
//
// Output: one `name value unit` line per figure on stdout; progress on
// stderr.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/tests/bench/benchkit"
)

type config struct {
	node, home, chainID, denom, admin, keyringBackend  string
	gasPrice                                           float64
	sends, senders, rounds                             int
	uploads, gateways                                  int
	shares, threshold, batch, answerWorkers, fetchMsgs int
	oneInFlight                                        bool
	timeout                                            time.Duration
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
	flag.IntVar(&c.threshold, "threshold", 2, "grant threshold t (of the whole committee)")
	flag.IntVar(&c.batch, "batch", 32, "answers per MsgSubmitAnswers (the proxy daemon's default)")
	flag.IntVar(&c.fetchMsgs, "fetch-msgs", 1, "MsgFetchRecords (32 records each) per fetch tx")
	flag.BoolVar(&c.oneInFlight, "one-in-flight", false,
		"each signer broadcasts its next tx only once its last is in a block (needed on several validators)")
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
	if c.threshold < 2 || c.threshold > 3 {
		return fmt.Errorf("-threshold %d: the grant is answered by t of the driver's 3 proxies, 2 ≤ t ≤ 3", c.threshold)
	}
	if c.fetchMsgs < 1 || c.batch < 1 {
		return fmt.Errorf("-fetch-msgs %d, -batch %d: need at least 1", c.fetchMsgs, c.batch)
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
		n := c.uploads*(r+1)/c.rounds - c.uploads*r/c.rounds
		if uploadStreams[r], err = b.SignUploads(w, len(w.Gateways), n, at); err != nil {
			return err
		}
	}
	uploadTxBytes := len(uploadStreams[0][0][0])
	logf("pre-signed %d sends and %d uploads (tx %d bytes)", c.sends, c.uploads, uploadTxBytes)
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
	fmt.Fprintf(os.Stderr, "==> shares: %d records under a %d-of-n grant, answered by %d of its own %d proxies\n",
		c.shares, c.threshold, c.threshold, len(w.Proxies))
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
