// Command chainbench measures a running medexchain node (make bench-chain,
// scripts/bench-chain.sh): bank sends, record uploads and completed shares
// per second, in one run against one fresh single-validator chain.
//
// Every tx is signed in process with the app's own tx config (app.New on an
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
//	         MsgFetchRecords; once they are committed, two proxies each list
//	         their pending tasks, read each record's capsule from the node,
//	         compute their answers and broadcast them in batches of 32 as
//	         they go; the second answer of a task completes it. shares/s =
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
	"math"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

const vaultName = "vitals"

type config struct {
	node, home, chainID, denom, admin, keyringBackend string
	gasPrice                                          float64
	sends, senders, rounds                            int
	uploads, gateways                                 int
	shares, threshold, batch                          int
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

// account is a signer with its number and next sequence, tracked locally.
type account struct {
	name string
	priv cryptotypes.PrivKey
	addr sdk.AccAddress
	num  uint64
	seq  uint64
}

func newAccount(name string) *account {
	p := secp256k1.GenPrivKey()
	return &account{name: name, priv: p, addr: sdk.AccAddress(p.PubKey().Address())}
}

func (a *account) String() string { return a.addr.String() }

type bench struct {
	cfg      config
	txCfg    client.TxConfig
	cctx     client.Context
	rpc      *rpchttp.HTTP
	q        types.QueryClient
	signMode signing.SignMode
}

func run(c config) error {
	if c.rounds < 1 || c.sends < c.rounds || c.uploads < c.rounds {
		return fmt.Errorf("-rounds %d: need 1 ≤ rounds ≤ sends, uploads", c.rounds)
	}
	if c.shares > c.uploads {
		return fmt.Errorf("-shares %d > -uploads %d", c.shares, c.uploads)
	}
	// The app's codecs and tx config, from a throw-away in-memory app (as
	// cmd/medexchaind does).
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.EmptyAppOptions{})
	remote := strings.Replace(c.node, "tcp://", "http://", 1)
	httpClient := &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}}
	rpc, err := rpchttp.NewWithClient(remote, "/websocket", httpClient)
	if err != nil {
		return err
	}
	b := &bench{cfg: c, txCfg: a.TxConfig(), rpc: rpc}
	b.cctx = client.Context{}.WithClient(rpc).WithCodec(a.AppCodec()).WithInterfaceRegistry(a.InterfaceRegistry()).
		WithTxConfig(a.TxConfig()).WithChainID(c.chainID).WithAccountRetriever(authtypes.AccountRetriever{})
	b.q = types.NewQueryClient(b.cctx)
	b.signMode = signing.SignMode_SIGN_MODE_DIRECT

	st, err := rpc.Status(context.Background())
	if err != nil {
		return fmt.Errorf("node %s: %w", c.node, err)
	}
	if st.NodeInfo.Network != c.chainID {
		return fmt.Errorf("node %s is on chain %q, not %q", c.node, st.NodeInfo.Network, c.chainID)
	}

	kr, err := keyring.New(sdk.KeyringServiceName(), c.keyringBackend, c.home, os.Stdin, a.AppCodec())
	if err != nil {
		return err
	}
	rec, err := kr.Key(c.admin)
	if err != nil {
		return fmt.Errorf("key %q in %s: %w", c.admin, c.home, err)
	}
	priv, ok := rec.GetLocal().PrivKey.GetCachedValue().(cryptotypes.PrivKey)
	if !ok {
		return fmt.Errorf("key %q: no local private key", c.admin)
	}
	admin := &account{name: c.admin, priv: priv, addr: sdk.AccAddress(priv.PubKey().Address())}

	// ---- setup (not timed) ----
	fmt.Fprintln(os.Stderr, "==> setup: accounts, members, patient, vault, devices")
	w, err := b.setup(admin)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}

	// ---- phases a and b: bank sends and uploads, in alternating rounds ----
	// Every tx is signed before the first round. Alternating sends and
	// uploads (rather than one long phase each) spreads any change in the
	// machine's load over both.
	sink := newAccount("sink").addr
	sendStreams := make([][][][]byte, c.rounds) // round, signer, txs
	for r := range sendStreams {
		sendStreams[r] = make([][][]byte, len(w.senders))
	}
	for i := range c.sends {
		r, k := i*c.rounds/c.sends, i%len(w.senders)
		s := w.senders[k]
		tx, err := b.sign(s, 100_000, &banktypes.MsgSend{FromAddress: s.String(), ToAddress: sink.String(),
			Amount: sdk.NewCoins(sdk.NewCoin(c.denom, sdkmath.NewInt(1)))})
		if err != nil {
			return err
		}
		sendStreams[r][k] = append(sendStreams[r][k], tx)
	}
	at := time.Now().UTC().Truncate(time.Minute)
	uploadStreams := make([][][][]byte, c.rounds)
	for r := range uploadStreams {
		uploadStreams[r] = make([][][]byte, len(w.gateways))
	}
	var bodyBytes, uploadTxBytes int
	for i := range c.uploads {
		r, g := i*c.rounds/c.uploads, i%len(w.gateways)
		msg, err := w.uploadMsg(g, at)
		if err != nil {
			return err
		}
		tx, err := b.sign(w.gateways[g], 400_000, msg)
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
	recordIDs, err := b.recordIDs(w.patient.String(), c.shares)
	if err != nil {
		return err
	}

	// ---- phase c: shares ----
	fmt.Fprintf(os.Stderr, "==> shares: %d records under a %d-of-%d grant\n", c.shares, c.threshold, len(w.proxies))
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

// world holds the actors the setup created.
type world struct {
	senders, gateways []*account
	patient, hospital *account
	proxies           []*account
	proxyKeys         map[string]*keys.ProxySecretKey
	vault             *keys.VaultSecretKey
	requester         *keys.RequesterSecretKey
	devices           []*keys.DeviceSecretKey
	chainID           string
	seq               uint64
}

func deviceID(i int) string { return fmt.Sprintf("bench-pulse-ox-%d", i) }

func (b *bench) setup(admin *account) (*world, error) {
	c := b.cfg
	w := &world{proxyKeys: map[string]*keys.ProxySecretKey{}, chainID: c.chainID}
	var err error
	if w.vault, err = keys.GenerateVaultKey(1, rand.Reader); err != nil {
		return nil, err
	}
	if w.requester, err = keys.GenerateRequesterKey(rand.Reader); err != nil {
		return nil, err
	}
	for i := range c.senders {
		w.senders = append(w.senders, newAccount(fmt.Sprintf("sender%d", i)))
	}
	for i := range c.gateways {
		w.gateways = append(w.gateways, newAccount(fmt.Sprintf("gateway%d", i)))
		dk, err := keys.GenerateDeviceKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		w.devices = append(w.devices, dk)
	}
	w.patient, w.hospital = newAccount("patient"), newAccount("hospital")
	for i := range 3 {
		p := newAccount(fmt.Sprintf("proxy%d", i+1))
		sk, err := keys.GenerateProxyKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		w.proxies = append(w.proxies, p)
		w.proxyKeys[p.String()] = sk
	}
	all := append(append(append([]*account{}, w.senders...), w.gateways...), w.patient, w.hospital)
	all = append(all, w.proxies...)

	if err := b.refresh(admin); err != nil {
		return nil, err
	}
	var fund []sdk.Msg
	for _, a := range all {
		fund = append(fund, &banktypes.MsgSend{FromAddress: admin.String(), ToAddress: a.String(),
			Amount: sdk.NewCoins(sdk.NewCoin(c.denom, sdkmath.NewInt(10_000_000_000)))})
	}
	admit := []sdk.Msg{&types.MsgAdmitMember{Authority: admin.String(), Member: w.hospital.String(), Role: types.ROLE_HOSPITAL,
		PublicKey: w.requester.Public().Bytes()}}
	for _, p := range w.proxies {
		admit = append(admit, &types.MsgAdmitMember{Authority: admin.String(), Member: p.String(), Role: types.ROLE_PROXY,
			PublicKey: w.proxyKeys[p.String()].Public().Bytes()})
	}
	if _, err := b.deliver(admin, 5_000_000, fund...); err != nil {
		return nil, fmt.Errorf("funding: %w", err)
	}
	if _, err := b.deliver(admin, 2_000_000, admit...); err != nil {
		return nil, fmt.Errorf("admitting hospital and proxies: %w", err)
	}
	for _, a := range all {
		if err := b.refresh(a); err != nil {
			return nil, err
		}
	}
	reg := []sdk.Msg{&types.MsgRegisterPatient{Patient: w.patient.String(),
		Vaults: []types.VaultKey{{Name: vaultName, PublicKey: w.vault.Public().Bytes()}}}}
	for i, g := range w.gateways {
		reg = append(reg, &types.MsgRegisterDevice{Patient: w.patient.String(), DeviceId: deviceID(i), Vault: vaultName,
			PublicKey: w.devices[i].Public().Bytes(), Gateway: g.String()})
	}
	if _, err := b.deliver(w.patient, 2_000_000, reg...); err != nil {
		return nil, fmt.Errorf("registering patient, vault and devices: %w", err)
	}
	logf("%d senders, %d gateways with a device each, patient, hospital, 3 proxies", len(w.senders), len(w.gateways))
	return w, nil
}

// uploadMsg is device g's next reading through the gateway's edge firewall.
func (w *world) uploadMsg(g int, at time.Time) (*types.MsgUploadRecord, error) {
	w.seq++
	obs, err := fhir.HeartRate(fhir.Context{Patient: w.patient.String(), DeviceID: deviceID(g), Sequence: w.seq, Effective: at},
		60+int(w.seq%60), fhir.PulseOximeter)
	if err != nil {
		return nil, err
	}
	payload, err := obs.Marshal()
	if err != nil {
		return nil, err
	}
	meta := &envelope.Meta{ChainID: w.chainID, Patient: w.patient.addr, Vault: vaultName, Epoch: w.vault.Epoch,
		DeviceID: deviceID(g), Sequence: w.seq, EffectiveTime: at}
	ct, err := pre.DeviceEncrypt(w.vault.Public(), meta, payload, w.devices[g].Key, rand.Reader)
	if err != nil {
		return nil, err
	}
	rec, err := crf.EdgeFirewall(w.vault.Public(), ct.Bytes(), crf.PublicMeta{DeviceID: deviceID(g), Vault: vaultName,
		Epoch: w.vault.Epoch, Time: at, ResourceType: "Observation"}, rand.Reader)
	if err != nil {
		return nil, err
	}
	return &types.MsgUploadRecord{Gateway: w.gateways[g].String(), DeviceId: deviceID(g), Epoch: w.vault.Epoch,
		Time: rec.Meta.Time, ResourceType: rec.Meta.ResourceType, Capsules: rec.CapsuleBytes(), Body: rec.Body}, nil
}

// grant: the hospital requests access to the vault, the patient grants it
// t-of-n to the proxy committee. Not timed.
func (b *bench) grant(w *world, at time.Time, records int) (uint64, error) {
	now := time.Now().UTC()
	req := &types.MsgRequestAccess{Requester: w.hospital.String(), Patient: w.patient.String(), Vault: vaultName,
		Scope:   types.Scope{FromTime: at.Add(-time.Hour), ToTime: at.Add(time.Hour), MaxRecords: uint32(records)},
		Purpose: "treatment", Expiry: now.Add(2 * time.Hour)}
	res, err := b.deliver(w.hospital, 500_000, req)
	if err != nil {
		return 0, fmt.Errorf("request: %w", err)
	}
	var resp types.MsgRequestAccessResponse
	if err := b.msgResponse(res.Data, &resp); err != nil {
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
	kg, err := pre.CreateGrant(w.vault, pre.GrantContext{ChainID: b.cfg.chainID, GrantID: resp.GrantId, Vault: vaultName,
		Epoch: w.vault.Epoch}, w.requester.Public(), b.cfg.threshold, recips, rand.Reader)
	if err != nil {
		return 0, err
	}
	if _, err := b.deliver(w.patient, 1_000_000, &types.MsgGrantAccess{Patient: w.patient.String(), GrantId: resp.GrantId,
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
		res, err := b.q.Members(context.Background(), &types.QueryMembersRequest{Role: types.ROLE_PROXY,
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
		res, err := b.q.RecordsByPatient(context.Background(), &types.QueryRecordsByPatientRequest{Patient: patient,
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
func (b *bench) sharePhase(w *world, grantID uint64, recordIDs []uint64) (*shareResult, error) {
	c := b.cfg
	var fetches [][]byte
	for i := 0; i < len(recordIDs); i += 32 {
		ids := recordIDs[i:min(i+32, len(recordIDs))]
		tx, err := b.sign(w.hospital, uint64(len(ids))*150_000, &types.MsgFetchRecords{Requester: w.hospital.String(),
			GrantId: grantID, RecordIds: ids})
		if err != nil {
			return nil, err
		}
		fetches = append(fetches, tx)
	}
	// the proxies' fragments, opened before the clock starts (a proxy daemon
	// opens a grant's fragment once, when it first sees the grant)
	g, err := b.q.Grant(context.Background(), &types.QueryGrantRequest{Id: grantID})
	if err != nil {
		return nil, err
	}
	kg, err := pre.DecodeGrant(g.Grant.KeyGrant)
	if err != nil {
		return nil, err
	}
	answering := w.proxies[:c.threshold]
	frags := make([]*pre.Fragment, len(answering))
	for i, p := range answering {
		if frags[i], err = pre.OpenFragment(w.proxyKeys[p.String()], c.chainID, grantID, p.addr, kg); err != nil {
			return nil, fmt.Errorf("%s opening its fragment: %w", p.name, err)
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
		sr, err := b.q.SharesByGrant(context.Background(), &types.QuerySharesByGrantRequest{GrantId: grantID,
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
	res.answers = res.completed * crf.NumCapsules * c.threshold
	logf("%d shares complete", res.completed)
	return res, nil
}

// proxyAnswers is one proxy: list its pending tasks, read each record's
// capsule from the node (once per record), answer, and broadcast batches as
// they are ready. It returns the number of txs broadcast.
func (b *bench) proxyAnswers(ph *phaseRun, p *account, frag *pre.Fragment, grantID uint64) (int, error) {
	ctx := context.Background()
	var tasks []types.Task
	var next []byte
	for {
		res, err := b.q.PendingTasks(ctx, &types.QueryPendingTasksRequest{Proxy: p.String(),
			Pagination: &query.PageRequest{Key: next, Limit: 1024}})
		if err != nil {
			return 0, fmt.Errorf("%s pending tasks: %w", p.name, err)
		}
		tasks = append(tasks, res.Tasks...)
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			break
		}
		next = res.Pagination.NextKey
	}
	records := map[uint64]*types.Record{}
	txs := 0
	for i := 0; i < len(tasks); i += b.cfg.batch {
		msg := &types.MsgSubmitAnswers{Proxy: p.String()}
		for _, t := range tasks[i:min(i+b.cfg.batch, len(tasks))] {
			if t.GrantId != grantID {
				continue
			}
			rec := records[t.RecordId]
			if rec == nil {
				r, err := b.q.Record(ctx, &types.QueryRecordRequest{Id: t.RecordId})
				if err != nil {
					return txs, fmt.Errorf("%s reading record %d: %w", p.name, t.RecordId, err)
				}
				rec = &r.Record
				records[t.RecordId] = rec
			}
			capsule, err := pre.DecodeCapsule(rec.Capsules[t.CapsuleIndex])
			if err != nil {
				return txs, err
			}
			ans, err := frag.Answer(pre.AnswerContext{ChainID: b.cfg.chainID, GrantID: grantID, TaskID: t.Id, RecordID: t.RecordId,
				CapsuleIndex: t.CapsuleIndex, Proxy: p.addr}, capsule.E, rand.Reader)
			if err != nil {
				return txs, err
			}
			msg.Answers = append(msg.Answers, types.AnswerSubmission{TaskId: t.Id, Answer: ans.Bytes()})
		}
		if len(msg.Answers) == 0 {
			continue
		}
		// gas: the answers' verification and, for the second proxy, the
		// completion of every task (about 100k gas per answer measured)
		tx, err := b.sign(p, uint64(len(msg.Answers))*150_000, msg)
		if err != nil {
			return txs, err
		}
		if err := ph.broadcast(tx); err != nil {
			return txs, fmt.Errorf("%s: %w", p.name, err)
		}
		txs++
	}
	return txs, nil
}

// ---- signing and broadcasting ----

// sign builds and signs a tx of msgs by a with a's next sequence.
func (b *bench) sign(a *account, gas uint64, msgs ...sdk.Msg) ([]byte, error) {
	txb := b.txCfg.NewTxBuilder()
	if err := txb.SetMsgs(msgs...); err != nil {
		return nil, err
	}
	txb.SetGasLimit(gas)
	fee := int64(math.Ceil(float64(gas) * b.cfg.gasPrice))
	txb.SetFeeAmount(sdk.NewCoins(sdk.NewCoin(b.cfg.denom, sdkmath.NewInt(fee))))
	sig := signing.SignatureV2{PubKey: a.priv.PubKey(), Data: &signing.SingleSignatureData{SignMode: b.signMode}, Sequence: a.seq}
	if err := txb.SetSignatures(sig); err != nil {
		return nil, err
	}
	sd := authsigning.SignerData{Address: a.String(), ChainID: b.cfg.chainID, AccountNumber: a.num, Sequence: a.seq,
		PubKey: a.priv.PubKey()}
	sig, err := clienttx.SignWithPrivKey(context.Background(), b.signMode, sd, txb, a.priv, b.txCfg, a.seq)
	if err != nil {
		return nil, err
	}
	if err := txb.SetSignatures(sig); err != nil {
		return nil, err
	}
	a.seq++
	return b.txCfg.TxEncoder()(txb.GetTx())
}

// refresh reads a's account number and sequence from the node.
func (b *bench) refresh(a *account) error {
	num, seq, err := b.cctx.AccountRetriever.GetAccountNumberSequence(b.cctx, a.addr)
	if err != nil {
		return fmt.Errorf("account %s (%s): %w", a.name, a.addr, err)
	}
	a.num, a.seq = num, seq
	return nil
}

// txResult is a committed tx's result.
type txResult struct {
	Code uint32
	Log  string
	Data []byte
}

// deliver signs, broadcasts and waits for one setup tx; it fails unless the
// tx succeeds.
func (b *bench) deliver(a *account, gas uint64, msgs ...sdk.Msg) (*txResult, error) {
	tx, err := b.sign(a, gas, msgs...)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	res, err := b.rpc.BroadcastTxSync(ctx, tx)
	if err != nil {
		return nil, err
	}
	if res.Code != 0 {
		a.seq--
		return nil, fmt.Errorf("CheckTx refused (code %d): %s", res.Code, res.Log)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		r, err := b.rpc.Tx(ctx, res.Hash, false)
		if err == nil {
			if r.TxResult.Code != 0 {
				return nil, fmt.Errorf("tx %X failed (code %d): %s", res.Hash, r.TxResult.Code, r.TxResult.Log)
			}
			return &txResult{Code: r.TxResult.Code, Log: r.TxResult.Log, Data: r.TxResult.Data}, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, fmt.Errorf("tx %X not committed within 30 s", res.Hash)
}

// msgResponse decodes the single message response of a tx's data.
func (b *bench) msgResponse(data []byte, resp interface{ Unmarshal([]byte) error }) error {
	var md sdk.TxMsgData
	if err := md.Unmarshal(data); err != nil {
		return err
	}
	if len(md.MsgResponses) != 1 {
		return fmt.Errorf("%d message responses, want 1", len(md.MsgResponses))
	}
	return resp.Unmarshal(md.MsgResponses[0].Value)
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
	info, err := b.rpc.ABCIInfo(context.Background())
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
		br, err := b.rpc.BlockResults(context.Background(), &h)
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
	ctx := context.Background()
	for attempt := 0; ; attempt++ {
		res, err := ph.b.rpc.BroadcastTxSync(ctx, tx)
		if err != nil {
			if strings.Contains(err.Error(), "mempool is full") && attempt < 600 {
				ph.fullRetries.Add(1)
				time.Sleep(100 * time.Millisecond)
				continue
			}
			return fmt.Errorf("broadcast: %w", err)
		}
		if res.Code != 0 {
			return fmt.Errorf("CheckTx refused tx %X (code %d %s): %s", res.Hash, res.Code, res.Codespace, res.Log)
		}
		ph.accepted.Add(1)
		return nil
	}
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
		info, err := ph.b.rpc.ABCIInfo(ctx)
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
			info, err := ph.b.rpc.BlockchainInfo(ctx, from, to)
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
