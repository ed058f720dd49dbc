package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/server"

	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/internal/txclient"
	phrcli "github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

const (
	flagProxyKey      = "proxy-key"
	flagEarlierKeys   = "earlier-proxy-key"
	flagPollInterval  = "poll-interval"
	flagBatch         = "batch"
	flagKeystoreDir   = "keystore-dir"
	flagMaxBackoff    = "max-backoff"
	flagInclusionWait = "inclusion-timeout"
	flagCompletionGas = "completion-gas"
	// The simulation is exact for the state it runs on; the per-answer
	// completion headroom (--completion-gas) covers what a racing block
	// changes, so the adjustment only has to absorb small differences.
	defaultProxyGasAdjust = 1.2
)

// proxyCommand is `medexchaind proxy`.
func proxyCommand() *cobra.Command { return ProxyCommandWith(nil) }

// ProxyCommandWith is `medexchaind proxy` whose daemon submits through
// wrap(the real submitter) when wrap is not nil: a fault-injection build
// (tests/faults/byzproxy) runs the real daemon and tampers with its answers
// before they are signed.
func ProxyCommandWith(wrap func(proxy.Submitter) proxy.Submitter) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Re-encryption proxy daemon",
		RunE:  client.ValidateCmd,
	}
	cmd.AddCommand(proxyRunCmd(wrap))
	return cmd
}

func proxyRunCmd(wrap func(proxy.Submitter) proxy.Submitter) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Answer the re-encryption tasks of the grants this proxy holds fragments of, until stopped",
		Long: `Run the proxy daemon for the --from account, an admitted proxy whose HPKE key is
in --proxy-key (a file written by 'medexchaind phr keygen proxy'; its passphrase
comes from --passphrase-file or $` + keyfile.PassphraseEnv + `).

Key rotation: fragments of grants made before a rotation (MsgUpdateMemberKey)
stay sealed to the key that was on chain then. Keep the earlier key files and
give them with --earlier-proxy-key (newest first, same passphrase); the daemon
tries the current key, then each earlier one. Gapless order: generate the new
key, restart the daemon with --proxy-key new --earlier-proxy-key old, then send
the rotation. The daemon refuses to start when the chain has none of its keys.

Every --poll-interval it asks its node for open tasks of active grants on whose
committee it sits, opens and checks its key fragment of each grant against the
grant's Feldman commitments (refusing one that does not match), reads each
capsule from the node's record state, and submits DLEQ-proven answers in
transactions of at most --batch answers, waiting for each to be in a block
before the next. It deletes the fragments of revoked and expired grants from
its keystore (--keystore-dir), keeps retrying with backoff while the node is
unreachable, and stops cleanly on SIGINT or SIGTERM.

Without --gas, the gas of each transaction is simulated, multiplied by
--gas-adjustment (1.2 unless given) and raised by --completion-gas per answer:
if other proxies' answers land first, this transaction is the one that completes
the tasks and pays for combining them and storing the shares.`,
		Example: `MEDEXCHAIN_PASSPHRASE=... medexchaind proxy run --from proxy1 --proxy-key proxy1.key \
  --chain-id medexchain-1 --node tcp://localhost:26657 --keyring-backend test --fees 2000umedex`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runProxy(cmd, wrap) },
	}
	flags.AddTxFlagsToCmd(cmd)
	cmd.Flags().String(flags.FlagGRPC, "", "gRPC endpoint of the node for queries (default: queries go over --node)")
	cmd.Flags().Bool(flags.FlagGRPCInsecure, false, "allow gRPC over insecure channels")
	cmd.Flags().String(flagProxyKey, "", "the proxy's current encrypted HPKE key file (required)")
	cmd.Flags().StringSlice(flagEarlierKeys, nil, "the proxy's HPKE key files before its key rotations, newest first (repeat or comma-separate): for grants sealed to them")
	cmd.Flags().String(keyfile.FlagPassphraseFile, "", "read the key file's passphrase from this file instead of $"+keyfile.PassphraseEnv)
	cmd.Flags().Duration(flagPollInterval, time.Second, "how often to ask the node for pending tasks")
	cmd.Flags().Int(flagBatch, proxy.DefaultBatchSize, "at most this many answers per transaction")
	cmd.Flags().String(flagKeystoreDir, "", "fragment store directory (default <home>/proxy/<proxy address>/keystore)")
	cmd.Flags().Duration(flagMaxBackoff, proxy.DefaultMaxBackoff, "longest wait between attempts while the node is unreachable")
	cmd.Flags().Duration(flagInclusionWait, txclient.DefaultTimeout, "how long to wait for a broadcast transaction to be in a block")
	cmd.Flags().Uint64(flagCompletionGas, proxy.DefaultCompletionGas, "gas added per answer to the simulated gas, for completing a task")
	return cmd
}

func runProxy(cmd *cobra.Command, wrap func(proxy.Submitter) proxy.Submitter) error {
	clientCtx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return err
	}
	if clientCtx.FromAddress.Empty() {
		return errors.New("--from is required: the proxy's account key")
	}
	if clientCtx.ChainID == "" {
		return errors.New("--chain-id is required (it is bound into every fragment and answer)")
	}
	if clientCtx.Offline || clientCtx.GenerateOnly || clientCtx.Simulate {
		return errors.New("the proxy daemon broadcasts: --offline, --generate-only and --dry-run do not apply")
	}
	interval, _ := cmd.Flags().GetDuration(flagPollInterval)
	batch, _ := cmd.Flags().GetInt(flagBatch)
	maxBackoff, _ := cmd.Flags().GetDuration(flagMaxBackoff)
	inclusion, _ := cmd.Flags().GetDuration(flagInclusionWait)
	if interval <= 0 || batch <= 0 || inclusion <= 0 {
		return errors.New("--poll-interval, --batch and --inclusion-timeout must be positive")
	}

	sk, err := keyfile.FromFlag(cmd, flagProxyKey, keyfile.Proxy, false) // a daemon never prompts
	if err != nil {
		return err
	}
	defer sk.Erase()
	earlier, err := earlierKeys(cmd)
	for _, k := range earlier {
		defer k.Erase()
	}
	if err != nil {
		return err
	}

	dir, _ := cmd.Flags().GetString(flagKeystoreDir)
	if dir == "" {
		dir = filepath.Join(clientCtx.HomeDir, "proxy", clientCtx.FromAddress.String(), "keystore")
	}
	store, err := keystore.NewFileStore(dir)
	if err != nil {
		return fmt.Errorf("keystore: %w", err)
	}

	txf, err := tx.NewFactoryCLI(clientCtx, cmd.Flags())
	if err != nil {
		return err
	}
	if !cmd.Flags().Changed(flags.FlagGas) {
		txf = txf.WithSimulateAndExecute(true)
	}
	if !cmd.Flags().Changed(flags.FlagGasAdjustment) {
		txf = txf.WithGasAdjustment(defaultProxyGasAdjust)
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	clientCtx = clientCtx.WithCmdContext(ctx)
	logger := server.GetServerContextFromCmd(cmd).Logger.With(log.ModuleKey, "proxy")

	if err := checkNode(ctx, clientCtx, append([]*keys.ProxySecretKey{sk}, earlier...), interval, maxBackoff, logger); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}

	completionGas, _ := cmd.Flags().GetUint64(flagCompletionGas)
	var sub proxy.Submitter = proxy.NewTxSubmitter(clientCtx, txf, inclusion, completionGas)
	if wrap != nil {
		sub = wrap(sub)
	}
	w, err := proxy.NewWorker(proxy.Config{
		ChainID:     clientCtx.ChainID,
		Address:     clientCtx.FromAddress,
		Key:         sk,
		EarlierKeys: earlier,
		Store:       store,
		Query:       proxy.NewGRPCQuerier(types.NewQueryClient(clientCtx)),
		Tx:          sub,
		BatchSize:   batch,
		Logger:      logger,
	})
	if err != nil {
		return err
	}
	logger.Info("keystore", "dir", dir)
	return w.Run(ctx, interval, maxBackoff)
}

// earlierKeys loads --earlier-proxy-key's files with the passphrase of
// --proxy-key.
func earlierKeys(cmd *cobra.Command) ([]*keys.ProxySecretKey, error) {
	paths, _ := cmd.Flags().GetStringSlice(flagEarlierKeys)
	if len(paths) == 0 {
		return nil, nil
	}
	pass, _, err := keyfile.PassphraseWithoutPrompt(cmd) // present: --proxy-key was loaded with it
	if err != nil {
		return nil, err
	}
	var out []*keys.ProxySecretKey
	for _, p := range paths {
		k, err := keyfile.Load(p, pass, keyfile.Proxy)
		if err != nil {
			return out, fmt.Errorf("--%s %w", flagEarlierKeys, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// checkNode waits for the node (the daemon may start before it), then refuses
// to run against the wrong chain or when the account was admitted with none
// of sks (current first, then earlier keys): either would make every new
// fragment fail to open, and the worker would refuse every grant as if its
// fragment were bad.
func checkNode(ctx context.Context, clientCtx client.Context, sks []*keys.ProxySecretKey, interval, maxBackoff time.Duration, logger log.Logger) error {
	node, err := clientCtx.GetNode()
	if err != nil {
		return err
	}
	wait := interval
	for {
		st, err := node.Status(ctx)
		if err == nil {
			if st.NodeInfo.Network != clientCtx.ChainID {
				return fmt.Errorf("the node at %s runs chain %q, not --chain-id %q", clientCtx.NodeURI, st.NodeInfo.Network, clientCtx.ChainID)
			}
			break
		}
		logger.Warn(fmt.Sprintf("node unreachable, retrying in %s", wait), "node", clientCtx.NodeURI, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, maxBackoff)
	}

	me := clientCtx.FromAddress.String()
	members, err := phrcli.Committee(ctx, types.NewQueryClient(clientCtx))
	if err != nil {
		logger.Warn("cannot list proxies to check the HPKE key; going on", "err", err)
		return nil
	}
	for _, m := range members {
		if m.Address != me {
			continue
		}
		switch i := proxy.AdmittedKey(m.PublicKey, sks); i {
		case -1:
			return fmt.Errorf("neither --%s nor --%s is the HPKE key %s is admitted with: fragments of new grants would not open", flagProxyKey, flagEarlierKeys, me)
		case 0:
			logger.Info("admitted proxy with the current HPKE key", "proxy", me, "earlier_keys", len(sks)-1)
		default:
			logger.Warn("the chain still has an earlier HPKE key of this proxy; new grants are sealed to it until the rotation lands",
				"proxy", me, "earlier_key", i)
		}
		return nil
	}
	logger.Warn("this account is not an admitted proxy (yet): it will get no tasks until it is", "proxy", me)
	return nil
}
