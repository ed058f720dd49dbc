// Package cli holds audit's hand-written query: verify. The plain reads are autocli.
package cli

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/x/audit/types"
)

const (
	flagTrustedSequence = "trusted-sequence"
	flagTrustedHash     = "trusted-hash"
	flagPageSize        = "page-size"
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
(for example one you noted earlier from 'query audit head').`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			trustedSeq, _ := cmd.Flags().GetUint64(flagTrustedSequence)
			trustedHex, _ := cmd.Flags().GetString(flagTrustedHash)
			pageSize, _ := cmd.Flags().GetUint64(flagPageSize)
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

			count := uint64(0)
			key := binary.BigEndian.AppendUint64(nil, trustedSeq+1)
			for key != nil {
				res, err := q.Entries(cmd.Context(), &types.QueryEntriesRequest{Pagination: &query.PageRequest{Key: key, Limit: pageSize}})
				if err != nil {
					return err
				}
				if err := types.VerifyChain(prev, res.Entries); err != nil {
					return err
				}
				if n := len(res.Entries); n > 0 {
					prev = &res.Entries[n-1]
					count += uint64(n)
					fmt.Fprintf(cmd.ErrOrStderr(), "verified through entry %d\n", prev.Sequence)
				}
				key = res.Pagination.GetNextKey()
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
	cmd.Flags().Uint64(flagPageSize, 100, "entries fetched per request")
	flags.AddQueryFlagsToCmd(cmd)
	return cmd
}
