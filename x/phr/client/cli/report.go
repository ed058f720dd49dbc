package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/txclient"
)

// sendAndReport broadcasts msgs with internal/txclient (a refusal is an
// error naming the registered error; the tx is waited for) and prints either
// summary, or what describe makes of the included tx's responses (the ids
// the chain assigned).
func sendAndReport(cmd *cobra.Command, clientCtx client.Context, summary string,
	describe func(*txclient.Included) (string, map[string]any, error), msgs ...sdk.Msg,
) error {
	c, err := txclient.FromFlags(clientCtx, cmd.Flags(), true)
	if err != nil {
		return err
	}
	in, err := c.Send(clientCtx.GetCmdContextWithFallback(), msgs...)
	if err != nil || in == nil {
		return err
	}
	var fields map[string]any
	if describe != nil && in.Height > 0 {
		if summary, fields, err = describe(in); err != nil {
			return err
		}
	} else if describe != nil {
		summary = "submitted"
	}
	return report(clientCtx, in, summary, fields)
}

// report prints a one-line summary, or with --output json the fields.
func report(clientCtx client.Context, in *txclient.Included, summary string, fields map[string]any) error {
	if in == nil { // --generate-only printed the tx already
		return nil
	}
	if clientCtx.OutputFormat == flags.OutputFormatJSON {
		out := map[string]any{"txhash": in.TxHash, "height": in.Height}
		for k, v := range fields {
			out[k] = v
		}
		bz, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return clientCtx.PrintRaw(bz)
	}
	where := "submitted"
	if in.Height > 0 {
		where = fmt.Sprintf("height %d", in.Height)
	}
	return clientCtx.PrintString(fmt.Sprintf("%s (tx %s, %s)\n", summary, in.TxHash, where))
}
