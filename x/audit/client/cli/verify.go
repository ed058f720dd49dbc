// Package cli holds audit's hand-written query: verify. The plain reads are autocli.
package cli

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/medexchain/medexchain/x/audit/types"
)

const (
	flagTrustedSequence = "trusted-sequence"
	flagTrustedHash     = "trusted-hash"
	flagPageSize        = "page-size"
	flagParallel        = "parallel"

	// progressEvery: a progress line each time this many more entries are verified.
	progressEvery = 100_000
)

// GetQueryCmd is the `query audit` command; autocli adds the plain reads to it.
func GetQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Queries of the audit log",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(verifyCmd())
	return cmd
}

func verifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Recompute the audit hash chain from genesis (or from a trusted head) and name the first broken link",
		Long: `Fetch the audit log page by page and recompute every entry's hash and link.
Without flags the chain is checked from sequence 1. With --trusted-sequence and
--trusted-hash the check starts after an entry whose hash you already trust
(for example one you noted earlier from 'query audit head').
Pages are as large as the node serves (the module's max_query_limit) and
--parallel of them are fetched ahead while the current one is verified; each
is checked against the last entry of the one before, in order.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			trustedSeq, _ := cmd.Flags().GetUint64(flagTrustedSequence)
			trustedHex, _ := cmd.Flags().GetString(flagTrustedHash)
			pageSize, _ := cmd.Flags().GetUint64(flagPageSize)
			parallel, _ := cmd.Flags().GetInt(flagParallel)
			q := types.NewQueryClient(clientCtx)

			var prev *types.Entry
			if trustedSeq > 0 {
				want, err := hex.DecodeString(trustedHex)
				if err != nil || len(want) != types.HashSize {
					return fmt.Errorf("--trusted-hash must be %d bytes of hex", types.HashSize)
				}
				res, err := q.Entry(cmd.Context(), &types.QueryEntryRequest{Sequence: trustedSeq})
				if err != nil {
					return fmt.Errorf("trusted entry %d: %w", trustedSeq, err)
				}
				if !bytes.Equal(res.Entry.Hash, want) {
					return fmt.Errorf("entry %d on this node has hash %X, not the trusted %X", trustedSeq, res.Entry.Hash, want)
				}
				prev = res.Entry
			} else if trustedHex != "" {
				return fmt.Errorf("--trusted-hash needs --trusted-sequence")
			}
			params, err := q.Params(cmd.Context(), &types.QueryParamsRequest{})
			if err != nil {
				return err
			}
			if pageSize == 0 || pageSize > params.Params.MaxQueryLimit {
				pageSize = params.Params.MaxQueryLimit
			}

			count := uint64(0)
			err = fetchPages(cmd.Context(), q, trustedSeq+1, pageSize, max(parallel, 1), func(entries []types.Entry) error {
				if err := types.VerifyChain(prev, entries); err != nil {
					return err
				}
				prev = &entries[len(entries)-1]
				if count/progressEvery != (count+uint64(len(entries)))/progressEvery {
					fmt.Fprintf(cmd.ErrOrStderr(), "verified through entry %d\n", prev.Sequence)
				}
				count += uint64(len(entries))
				return nil
			})
			if err != nil {
				return err
			}
			if prev == nil {
				return fmt.Errorf("the audit log is empty")
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "audit log intact: %d entries verified, head #%d hash %X\n", count, prev.Sequence, prev.Hash)
			return err
		},
	}
	cmd.Flags().Uint64(flagTrustedSequence, 0, "sequence of an entry already trusted (0: verify from genesis)")
	cmd.Flags().String(flagTrustedHash, "", "hex hash of the trusted entry")
	cmd.Flags().Uint64(flagPageSize, 0, "entries fetched per request (0 or above the node's max_query_limit: max_query_limit)")
	cmd.Flags().Int(flagParallel, 4, "pages requested ahead of the one being verified")
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}
