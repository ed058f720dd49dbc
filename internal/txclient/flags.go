package txclient

import (
	"errors"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
)

// Flags of AddWaitFlags.
const (
	FlagWait    = "wait"
	FlagTimeout = "wait-timeout"
)

// DefaultGasAdjustment scales simulated gas when neither --gas nor
// --gas-adjustment is given.
const DefaultGasAdjustment = 1.5

// AddWaitFlags adds --wait and --wait-timeout to a command that sends txs.
func AddWaitFlags(cmd *cobra.Command) {
	cmd.Flags().Bool(FlagWait, true, "wait until the tx is in a block and report its result (false: return after CheckTx)")
	cmd.Flags().Duration(FlagTimeout, DefaultTimeout, "how long to wait for the tx to be included")
}

// FromFlags builds a client from the standard tx flags and AddWaitFlags'.
// The chain charges gas for the crypto it verifies (a grant, an upload), so
// the SDK's fixed default of 200000 is a guess that fails: without --gas the
// gas is simulated and multiplied by --gas-adjustment (DefaultGasAdjustment
// unless given). prompt: ask before signing unless --yes.
func FromFlags(clientCtx client.Context, fs *pflag.FlagSet, prompt bool) (*Client, error) {
	if clientCtx.FromAddress.Empty() && !clientCtx.GenerateOnly {
		return nil, errors.New("--from is required: the account that signs")
	}
	txf, err := tx.NewFactoryCLI(clientCtx, fs)
	if err != nil {
		return nil, err
	}
	if !fs.Changed(flags.FlagGas) {
		txf = txf.WithSimulateAndExecute(true)
		if !fs.Changed(flags.FlagGasAdjustment) {
			txf = txf.WithGasAdjustment(DefaultGasAdjustment)
		}
	}
	opts := Options{Wait: true, Prompt: prompt && !clientCtx.SkipConfirm}
	if fs.Lookup(FlagWait) != nil {
		opts.Wait, _ = fs.GetBool(FlagWait)
	}
	if fs.Lookup(FlagTimeout) != nil {
		opts.Timeout, _ = fs.GetDuration(FlagTimeout)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	return New(clientCtx, txf, opts), nil
}
