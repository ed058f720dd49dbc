package tests

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// TestGatewaySpoolSurvivesKills runs `medexchaind device simulate` against a
// real single-validator node (the binary, built here) and kills with
// SIGKILL, mid-run, first the node (restarted while the gateway keeps
// measuring and retrying) and then the gateway itself (restarted on the
// same spool). Every reading must end up on chain exactly once, in the
// order of its device sequence number, no number used twice: checked by
// decrypting every record with the patient's vault key, independently of
// what the gateway says.
func TestGatewaySpoolSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a node")
	}
	start := time.Now()
	c := newRealChain(t)
	t.Logf("chain ready after %s", time.Since(start).Round(time.Millisecond))

	const firstRun, secondRun = 12, 3
	sim := c.simulate(firstRun, 400*time.Millisecond)

	// 1. kill -9 the node once three readings are on chain; the device keeps
	// measuring into the spool while the gateway waits for the node
	sim.waitFor(t, 90*time.Second, func(s string) bool { return strings.Count(s, "\nrecord ") >= 3 })
	c.kill(t)
	spooledAtKill := strings.Count(sim.output(), "\nspooled ")
	sim.waitFor(t, 30*time.Second, func(s string) bool {
		return strings.Count(s, "\nspooled ") >= min(spooledAtKill+2, firstRun) && strings.Contains(s, "\nwaiting: ")
	})
	c.start(t)

	// 2. kill -9 the gateway once eight readings are on chain, with the
	// rest pending (one of them, likely, signed and in flight)
	sim.waitFor(t, 90*time.Second, func(s string) bool { return strings.Count(s, "\nrecord ") >= 8 })
	sim.kill()
	recordsBefore := strings.Count(sim.output(), "\nrecord ")

	// 3. a new gateway process on the same spool: it uploads what is left,
	// then three new readings
	again := c.simulate(secondRun, 0)
	require.NoError(t, again.wait(90*time.Second), again.output())
	total := firstRun + secondRun
	require.GreaterOrEqual(t, strings.Count(again.output(), "\nrecord "), secondRun, "the restarted gateway stores what the first left, and its own\n%s", again.output())
	t.Logf("the first gateway process stored %d readings before its kill", recordsBefore)

	// On chain: every reading once, in order, no sequence reused.
	seqs := c.sequencesOnChain(t)
	want := make([]uint64, total)
	for i := range want {
		want[i] = uint64(i + 1)
	}
	require.Equal(t, want, seqs, "device sequence numbers of the records, in record order\nfirst run:\n%s\nsecond run:\n%s", sim.output(), again.output())

	// The spool agrees: nothing pending or refused, one receipt per reading.
	sp, err := gateway.OpenSpool(c.spoolDir)
	require.NoError(t, err)
	pending, err := sp.Pending()
	require.NoError(t, err)
	require.Empty(t, pending)
	refusals, err := sp.Refusals()
	require.NoError(t, err)
	require.Empty(t, refusals)
	receipts, err := sp.Receipts()
	require.NoError(t, err)
	require.Len(t, receipts, total)
	last, err := gateway.SeqFileFor(c.deviceKey).Last()
	require.NoError(t, err)
	require.Equal(t, uint64(total), last, "the sequence file never went back")
	t.Logf("first gateway process:%s\nsecond gateway process:%s", sim.output(), again.output())
	t.Logf("%d readings through a node kill and a gateway kill in %s (whole test)", total, time.Since(start).Round(time.Millisecond))
}

const (
	realChainID   = "medexchain-gwspool-1"
	realDenom     = "umedex"
	realPassword  = "spool-test-passphrase"
	realDeviceID  = "spool-ox-01"
	realVaultName = "vitals"
)

// realChain is one validator node of the binary on loopback ports.
type realChain struct {
	t         *testing.T
	bin       string
	home      string
	dir       string
	ports     [5]int // rpc, p2p, grpc, api, pprof
	node      *exec.Cmd
	exited    chan struct{} // closed when node has exited
	nodeLog   *os.File
	q         types.QueryClient
	rpc       *rpchttp.HTTP
	patient   string
	gateway   string
	vaultKey  string
	deviceKey string
	spoolDir  string
}

func (c *realChain) rpcAddr() string { return fmt.Sprintf("tcp://127.0.0.1:%d", c.ports[0]) }

// newRealChain builds the binary, creates a genesis with a validator, a
// patient and a gateway (the gentx flow of scripts/localnet.sh), starts the
// node and registers the patient's vault and the device.
func newRealChain(t *testing.T) *realChain {
	dir := t.TempDir()
	c := &realChain{t: t, dir: dir, bin: filepath.Join(dir, "medexchaind"), home: filepath.Join(dir, "node")}
	if prebuilt := os.Getenv("MEDEXCHAIND"); prebuilt != "" {
		c.bin = prebuilt // as the scripts take it; built from this tree by the caller
	} else {
		build := exec.Command("go", "build", "-o", c.bin, "./cmd/medexchaind")
		build.Dir = ".."
		out, err := build.CombinedOutput()
		require.NoError(t, err, "go build: %s", out)
	}
	c.ports = freePorts(t)

	c.run("init", "val1", "--chain-id", realChainID, "--default-denom", realDenom)
	for _, name := range []string{"val1", "alice", "gateway"} {
		c.run("keys", "add", name, "--keyring-backend", "test", "--output", "json")
		c.run("genesis", "add-genesis-account", name, "1000000000000"+realDenom, "--keyring-backend", "test")
	}
	c.run("genesis", "gentx", "val1", "100000000000"+realDenom, "--chain-id", realChainID, "--keyring-backend", "test")
	c.run("genesis", "collect-gentxs")
	c.edit("config/config.toml", `(?m)^timeout_commit = .*$`, `timeout_commit = "500ms"`)
	c.edit("config/app.toml", `(?m)^minimum-gas-prices = .*$`, `minimum-gas-prices = "0.001`+realDenom+`"`)
	c.patient = strings.TrimSpace(c.run("keys", "show", "alice", "-a", "--keyring-backend", "test"))
	c.gateway = strings.TrimSpace(c.run("keys", "show", "gateway", "-a", "--keyring-backend", "test"))

	var err2 error
	c.rpc, err2 = rpchttp.New(c.rpcAddr(), "/websocket")
	require.NoError(t, err2)
	reg := codectypes.NewInterfaceRegistry()
	c.q = types.NewQueryClient(client.Context{}.WithClient(c.rpc).WithCodec(codec.NewProtoCodec(reg)).WithInterfaceRegistry(reg))
	t.Cleanup(func() {
		if c.node != nil {
			_ = c.node.Process.Kill()
			<-c.exited
		}
		if c.nodeLog != nil {
			c.nodeLog.Close()
		}
	})
	c.start(t)

	c.vaultKey = filepath.Join(dir, "alice-vitals.key")
	c.deviceKey = filepath.Join(dir, realDeviceID+".key")
	c.spoolDir = c.deviceKey + ".spool"
	c.run("phr", "keygen", "vault", "--out", c.vaultKey)
	c.run("phr", "keygen", "device", "--out", c.deviceKey)
	c.run(append([]string{"tx", "phr", "register-patient", realVaultName + "=@" + c.vaultKey + ".pub", "--from", "alice"}, c.txFlags()...)...)
	c.run(append([]string{"tx", "phr", "register-device", realDeviceID, realVaultName, c.deviceKey + ".pub", c.gateway, "--from", "alice"}, c.txFlags()...)...)
	return c
}

func (c *realChain) txFlags() []string {
	return []string{"--chain-id", realChainID, "--keyring-backend", "test", "--node", c.rpcAddr(), "--yes", "--fees", "20000" + realDenom}
}

// run runs the binary on the node's home and returns its stdout.
func (c *realChain) run(args ...string) string {
	c.t.Helper()
	cmd := exec.Command(c.bin, append(args, "--home", c.home)...)
	cmd.Env = append(os.Environ(), keyfile.PassphraseEnv+"="+realPassword)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(c.t, err, "medexchaind %s: %s%s", strings.Join(args, " "), out, stderr.String())
	return string(out)
}

func (c *realChain) edit(file, pattern, repl string) {
	c.t.Helper()
	path := filepath.Join(c.home, file)
	bz, err := os.ReadFile(path)
	require.NoError(c.t, err)
	re := regexp.MustCompile(pattern)
	require.True(c.t, re.Match(bz), "%s: no %s", file, pattern)
	require.NoError(c.t, os.WriteFile(path, re.ReplaceAll(bz, []byte(repl)), 0o600))
}

// start starts the node (again) and waits until it makes blocks.
func (c *realChain) start(t *testing.T) {
	t.Helper()
	if c.nodeLog == nil {
		var err error
		c.nodeLog, err = os.Create(filepath.Join(c.dir, "node.log"))
		require.NoError(t, err)
	}
	c.node = exec.Command(c.bin, "start", "--home", c.home,
		"--rpc.laddr", c.rpcAddr(),
		"--p2p.laddr", fmt.Sprintf("tcp://127.0.0.1:%d", c.ports[1]),
		"--grpc.address", fmt.Sprintf("127.0.0.1:%d", c.ports[2]),
		"--api.address", fmt.Sprintf("tcp://127.0.0.1:%d", c.ports[3]),
		"--rpc.pprof_laddr", fmt.Sprintf("127.0.0.1:%d", c.ports[4]))
	c.node.Stdout, c.node.Stderr = c.nodeLog, c.nodeLog
	require.NoError(t, c.node.Start())
	exited := make(chan struct{})
	c.exited = exited
	go func(cmd *exec.Cmd) { _ = cmd.Wait(); close(exited) }(c.node)
	var first int64
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("the node exited; see %s", c.nodeLog.Name())
		case <-time.After(200 * time.Millisecond):
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		st, err := c.rpc.Status(ctx)
		cancel()
		if err != nil {
			continue
		}
		h := st.SyncInfo.LatestBlockHeight
		if first == 0 {
			first = h
		}
		if h >= 2 && h > first {
			return
		}
	}
	t.Fatalf("no blocks after 60 s; see %s", c.nodeLog.Name())
}

// kill is kill -9 of the node.
func (c *realChain) kill(t *testing.T) {
	t.Helper()
	require.NoError(t, c.node.Process.Kill())
	<-c.exited // the waiter of start reaps it
}

// sequencesOnChain decrypts the patient's records with the vault key and
// returns their device sequence numbers in record order.
func (c *realChain) sequencesOnChain(t *testing.T) []uint64 {
	t.Helper()
	ctx := context.Background()
	vault, err := keyfile.Load(c.vaultKey, realPassword, keyfile.Vault)
	require.NoError(t, err)
	dev, err := c.q.Device(ctx, &types.QueryDeviceRequest{Id: realDeviceID})
	require.NoError(t, err)
	var seqs []uint64
	var key []byte
	for {
		res, err := c.q.RecordsByPatient(ctx, &types.QueryRecordsByPatientRequest{Patient: c.patient, Pagination: pageAfter(key)})
		require.NoError(t, err)
		for _, r := range res.Records {
			full, err := c.q.Record(ctx, &types.QueryRecordRequest{Id: r.Id})
			require.NoError(t, err)
			ct := &pre.Ciphertext{Body: full.Record.Body}
			for _, cb := range full.Record.Capsules {
				capsule, err := pre.DecodeCapsule(cb)
				require.NoError(t, err)
				ct.Capsules = append(ct.Capsules, capsule)
			}
			env, err := pre.OpenOwner(vault, ct, ed25519.PublicKey(dev.Device.PublicKey))
			require.NoError(t, err, "record %d", r.Id)
			seqs = append(seqs, env.Meta.Sequence)
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return seqs
		}
		key = res.Pagination.NextKey
	}
}

// simulator is one `device simulate` process.
type simulator struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  strings.Builder
	done chan error
	exit error // of a killed process
}

func (c *realChain) simulate(count int, interval time.Duration) *simulator {
	c.t.Helper()
	args := append([]string{"device", "simulate", "--device-id", realDeviceID, "--device-key", c.deviceKey,
		"--count", fmt.Sprint(count), "--interval", interval.String(), "--give-up", "90s", "--from", "gateway", "--home", c.home},
		c.txFlags()...)
	s := &simulator{cmd: exec.Command(c.bin, args...), done: make(chan error, 1)}
	s.cmd.Env = append(os.Environ(), keyfile.PassphraseEnv+"="+realPassword)
	s.out.WriteString("\n") // every line starts after a newline
	stdout, err := s.cmd.StdoutPipe()
	require.NoError(c.t, err)
	s.cmd.Stderr = &lockedWriter{s: s}
	require.NoError(c.t, s.cmd.Start())
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.mu.Lock()
			s.out.WriteString(sc.Text() + "\n")
			s.mu.Unlock()
		}
		s.done <- s.cmd.Wait()
	}()
	c.t.Cleanup(func() { _ = s.cmd.Process.Kill() })
	return s
}

type lockedWriter struct{ s *simulator }

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	return w.s.out.Write(append([]byte("stderr: "), p...))
}

func (s *simulator) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// waitFor polls the output until cond holds; the process must not exit.
func (s *simulator) waitFor(t *testing.T, timeout time.Duration, cond func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond(s.output()) {
		select {
		case err := <-s.done:
			t.Fatalf("device simulate exited (%v) early:\n%s", err, s.output())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out; device simulate said:\n%s", s.output())
		}
	}
}

// kill is kill -9 of the gateway.
func (s *simulator) kill() {
	_ = s.cmd.Process.Kill()
	s.exit = <-s.done // "signal: killed"
}

func (s *simulator) wait(timeout time.Duration) error {
	select {
	case err := <-s.done:
		return err
	case <-time.After(timeout):
		_ = s.cmd.Process.Kill()
		return fmt.Errorf("device simulate still running after %s", timeout)
	}
}

// freePorts picks five loopback ports that are free now, from 30300 up
// (the range this test owns), falling back to any free port.
func freePorts(t *testing.T) [5]int {
	t.Helper()
	var out [5]int
	n := 0
	for p := 30300; p < 30400 && n < len(out); p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		l.Close()
		out[n] = p
		n++
	}
	for ; n < len(out); n++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		out[n] = l.Addr().(*net.TCPAddr).Port
		l.Close()
	}
	return out
}

func pageAfter(key []byte) *query.PageRequest { return &query.PageRequest{Key: key, Limit: 50} }
