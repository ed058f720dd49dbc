// Package cli holds phr's hand-written commands: those whose input a flag
// cannot express, or that work on key files. Everything else is autocli.
package cli

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"

	"github.com/medexchain/medexchain/x/phr/types"
)

// GetTxCmd is the `tx phr` command; autocli adds the remaining messages to it.
func GetTxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Transactions of the phr module",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(registerPatientCmd(), registerDeviceCmd(), rotateVaultKeyCmd(), requestAccessCmd(), requestRemoteAccessCmd())
	return cmd
}

func registerPatientCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-patient [vault=public-key]...",
		Short: "Register the --from account as a patient with one or more vaults",
		Long: `Register the --from account as a patient. Each argument names a vault and its
ristretto255 public key, either as 64 hex characters or as @file, a .pub file
written by 'medexchaind phr keygen vault'.`,
		Example: "medexchaind tx phr register-patient vitals=@vitals.key.pub imaging=3c1f... --from alice",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			vaults, err := ParseVaultArgs(args)
			if err != nil {
				return err
			}
			if err := types.ValidateVaultKeys(vaults, 0); err != nil {
				return err
			}
			msg := &types.MsgRegisterPatient{Patient: clientCtx.GetFromAddress().String(), Vaults: vaults}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}

// ParseVaultArgs turns name=hex and name=@file arguments into vault keys.
func ParseVaultArgs(args []string) ([]types.VaultKey, error) {
	vaults := make([]types.VaultKey, 0, len(args))
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		if !ok || name == "" || value == "" {
			return nil, fmt.Errorf("vault argument %q: expected name=public-key or name=@file", arg)
		}
		if path, isFile := strings.CutPrefix(value, "@"); isFile {
			bz, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("vault %q: %w", name, err)
			}
			value = strings.TrimSpace(string(bz))
		}
		key, err := hex.DecodeString(value)
		if err != nil {
			return nil, fmt.Errorf("vault %q: public key is not hex: %v", name, err)
		}
		vaults = append(vaults, types.VaultKey{Name: name, PublicKey: key})
	}
	return vaults, nil
}
