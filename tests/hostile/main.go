// Command hostile sends malformed txs (tests/hostile/malformed) to a
// running medexchain node (make hostile, scripts/hostile.sh) and checks,
// for each, that the node answers and keeps making blocks, that the
// refusal is a registered error and the one the case expects, and that the
// phr and audit state did not change (an accepted case: exactly the audit
// entries it expects). The story the cases attack is set up first through
// real txs. Txs are signed with the node home's test keyring (txclient).
//
// Output: a table (case, stage, code, codespace, error, OK/FAIL) on
// stderr, then `name value unit` lines on stdout; exit status 1 if any case
// failed.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/tests/hostile/malformed"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

type config struct {
	node, home, chainID, denom, keyringBackend, keys string
	gasPrice                                         float64
	pid                                              int
	only                                             string
}

type driver struct {
	cfg   config
	cctx  client.Context
	rpc   *rpchttp.HTTP
	q     types.QueryClient
	audit audittypes.QueryClient
	sig   map[malformed.Role]*signer
}

func main() {
	var c config
	flag.StringVar(&c.node, "node", "tcp://127.0.0.1:30757", "CometBFT RPC of the node")
	flag.StringVar(&c.home, "home", ".localnet/hostile", "node home holding the test keyring")
	flag.StringVar(&c.chainID, "chain-id", "medexchain-hostile-1", "chain id")
	flag.StringVar(&c.denom, "denom", app.BondDenom, "fee denom")
	flag.StringVar(&c.keyringBackend, "keyring-backend", keyring.BackendTest, "keyring backend")
	flag.StringVar(&c.keys, "keys", "admin=admin,patient=alice,gateway=gateway,hospital=hospital,proxy1=proxy1,proxy2=proxy2,proxy3=proxy3,proxy4=proxy4,stranger=stranger",
		"role=key name of every role in the keyring")
	flag.Float64Var(&c.gasPrice, "gas-price", 0.001, "fee per gas (the node's minimum-gas-prices)")
	flag.IntVar(&c.pid, "pid", 0, "the node's process id (checked alive after every case; 0: not checked)")
	flag.StringVar(&c.only, "only", "", "run only the cases whose family/name contains this")
	flag.Parse()
	failed, err := run(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
	if failed {
		os.Exit(1)
	}
}

func step(format string, args ...any) { fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...) }

func run(c config) (bool, error) {
	ctx := context.Background()
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.EmptyAppOptions{})
	rpc, err := rpchttp.New(strings.Replace(c.node, "tcp://", "http://", 1), "/websocket")
	if err != nil {
		return false, err
	}
	d := &driver{cfg: c, rpc: rpc}
	d.cctx = client.Context{}.WithClient(rpc).WithCodec(a.AppCodec()).WithInterfaceRegistry(a.InterfaceRegistry()).
		WithTxConfig(a.TxConfig()).WithChainID(c.chainID).WithAccountRetriever(authtypes.AccountRetriever{})
	d.q, d.audit = types.NewQueryClient(d.cctx), audittypes.NewQueryClient(d.cctx)
	kr, err := keyring.New(sdk.KeyringServiceName(), c.keyringBackend, c.home, os.Stdin, a.AppCodec())
	if err != nil {
		return false, err
	}
	names := map[malformed.Role]string{}
	for _, kv := range strings.Split(c.keys, ",") {
		role, name, ok := strings.Cut(kv, "=")
		if !ok {
			return false, fmt.Errorf("-keys: %q is not role=name", kv)
		}
		names[malformed.Role(role)] = name
	}
	for _, r := range malformed.Roles {
		if names[r] == "" {
			return false, fmt.Errorf("-keys: no key for role %q", r)
		}
	}
	if err := d.signers(kr, names); err != nil {
		return false, err
	}
	if err := d.alive(ctx); err != nil {
		return false, err
	}
	story, err := d.setup(ctx)
	if err != nil {
		return false, fmt.Errorf("setup: %w", err)
	}
	cases, err := malformed.Cases(story, rand.Reader)
	if err != nil {
		return false, err
	}
	startH, err := d.height(ctx)
	if err != nil {
		return false, err
	}
	step("%d cases from height %d", len(cases), startH)
	var outs []*outcome
	for _, cs := range cases {
		if c.only != "" && !strings.Contains(cs.Family+"/"+cs.Name, c.only) {
			continue
		}
		o := d.runCase(ctx, cs)
		outs = append(outs, o)
		if o.crashed {
			break
		}
	}
	if len(outs) > 0 && outs[len(outs)-1].crashed {
		return report(outs, startH, startH), nil
	}
	// blocks go on after the last case
	endH, err := d.waitBlocks(ctx, 2)
	if err != nil {
		return false, err
	}
	return report(outs, startH, endH), nil
}

// alive: the node's process exists (with -pid) and its RPC answers.
func (d *driver) alive(ctx context.Context) error {
	if d.cfg.pid > 0 {
		if err := syscall.Kill(d.cfg.pid, 0); err != nil {
			return fmt.Errorf("process %d: %w", d.cfg.pid, err)
		}
	}
	if _, err := d.height(ctx); err != nil {
		return fmt.Errorf("does not answer: %w", err)
	}
	return nil
}

func (d *driver) height(ctx context.Context) (int64, error) {
	info, err := d.rpc.ABCIInfo(ctx)
	if err != nil {
		return 0, err
	}
	return info.Response.LastBlockHeight, nil
}

// waitBlocks waits for n more blocks and returns the height reached.
func (d *driver) waitBlocks(ctx context.Context, n int64) (int64, error) {
	h0, err := d.height(ctx)
	if err != nil {
		return 0, err
	}
	deadline := time.Now().Add(time.Duration(n)*10*time.Second + 10*time.Second)
	for time.Now().Before(deadline) {
		h, err := d.height(ctx)
		if err != nil {
			return 0, fmt.Errorf("node: %w", err)
		}
		if h >= h0+n {
			return h, nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return 0, errors.New("the node makes no blocks")
}

// report prints the table and the figures; true if a case failed.
func report(outs []*outcome, startH, endH int64) bool {
	w := os.Stderr
	fmt.Fprintf(w, "%-64s %-8s %6s %-10s %-44s %s\n", "case", "stage", "code", "codespace", "error", "result")
	families := map[string]int{}
	var failed, crashes, unregistered int
	for _, o := range outs {
		res := "OK"
		if len(o.problems) > 0 {
			res, failed = "FAIL", failed+1
		}
		if o.crashed {
			crashes++
		}
		if o.unregistered {
			unregistered++
		}
		families[o.c.Family]++
		fmt.Fprintf(w, "%-64s %-8s %6d %-10s %-44s %s\n", o.c.Family+"/"+o.c.Name, o.stage, o.code, o.codespace, trim(o.name, 44), res)
		for _, p := range o.problems {
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
	fmt.Printf("hostile_cases %d count\n", len(outs))
	names := make([]string, 0, len(families))
	for f := range families {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		fmt.Printf("hostile_cases_%s %d count\n", f, families[f])
	}
	fmt.Printf("hostile_failed %d count\n", failed)
	fmt.Printf("hostile_crashes %d count\n", crashes)
	fmt.Printf("hostile_unregistered %d count\n", unregistered)
	fmt.Printf("hostile_blocks %d blocks\n", endH-startH)
	return failed > 0
}

func trim(s string, n int) string {
	if len(s) > n {
		return s[:n-1] + "…"
	}
	return s
}
