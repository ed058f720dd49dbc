package cli

import (
	"bytes"
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// register-device and rotate-vault-key are hand-written because their key
// argument is usually a .pub file from `phr keygen` (hex text), which
// autocli's bytes flags would read as raw bytes.

func registerDeviceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "register-device [device-id] [vault] [device-public-key] [gateway]",
		Short: "Register a device's Ed25519 key, bound to one of your vaults and to the gateway account allowed to upload for it",
		Long: `Register a device for the --from patient. device-public-key is the device's
Ed25519 public key: a .pub file written by 'medexchaind phr keygen device' or 64
hex characters. gateway is the account that will submit the device's records.`,
		Example: "medexchaind tx phr register-device pulse-ox-01 vitals pulse-ox-01.key.pub medex1gw... --from alice",
		Args:    cobra.ExactArgs(4),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			if err := types.ValidateDeviceID(args[0]); err != nil {
				return err
			}
			if err := types.ValidateVaultName(args[1]); err != nil {
				return err
			}
			key, err := ReadPublicKeyArg("device public key", args[2])
			if err != nil {
				return err
			}
			if _, err := keys.DecodeDevicePublicKey(key); err != nil {
				return fmt.Errorf("device public key: %v", err)
			}
			if _, err := sdk.AccAddressFromBech32(args[3]); err != nil {
				return fmt.Errorf("gateway %q: %v", args[3], err)
			}
			msg := &types.MsgRegisterDevice{
				Patient: clientCtx.GetFromAddress().String(), DeviceId: args[0], Vault: args[1], PublicKey: key, Gateway: args[3],
			}
			return sendAndReport(cmd, clientCtx, fmt.Sprintf("device %s registered to vault %q, gateway %s", args[0], args[1], args[3]), nil, msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	txclient.AddWaitFlags(cmd)
	return cmd
}

func rotateVaultKeyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rotate-vault-key [vault] [new-public-key]",
		Short: "Start a new epoch of a vault: devices encrypt to the new key from now on",
		Long: `Register the next epoch's public key of one of the --from patient's vaults.
Generate it with 'medexchaind phr keygen vault --epoch <current+1> --out f' and pass
f.pub (or its hex). Grants of earlier epochs keep working on earlier records; new
records need a new grant.`,
		Example: "medexchaind tx phr rotate-vault-key vitals vitals-2.key.pub --from alice",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			if err := types.ValidateVaultName(args[0]); err != nil {
				return err
			}
			key, err := ReadPublicKeyArg("vault public key", args[1])
			if err != nil {
				return err
			}
			if err := types.ValidateVaultPublicKey(key); err != nil {
				return err
			}
			if !clientCtx.GenerateOnly {
				if err := CheckNewVaultKey(clientCtx.GetCmdContextWithFallback(), types.NewQueryClient(clientCtx), clientCtx.GetFromAddress().String(), args[0], key); err != nil {
					return err
				}
			}
			msg := &types.MsgRotateVaultKey{Patient: clientCtx.GetFromAddress().String(), Vault: args[0], PublicKey: key}
			var res types.MsgRotateVaultKeyResponse
			return sendAndReport(cmd, clientCtx, "", func(in *txclient.Included) (string, map[string]any, error) {
				if err := in.Response(0, &res); err != nil {
					return "", nil, err
				}
				return fmt.Sprintf("vault %q is now at epoch %d", args[0], res.Epoch), map[string]any{"vault": args[0], "epoch": res.Epoch}, nil
			}, msg)
		},
	}
	flags.AddTxFlagsToCmd(cmd)
	txclient.AddWaitFlags(cmd)
	return cmd
}

// CheckNewVaultKey refuses a rotation to a key the vault already had: a
// "new" epoch under an old key would cut nobody off, defeating the reason to
// rotate after a revocation.
func CheckNewVaultKey(ctx context.Context, q types.QueryClient, patient, vault string, key []byte) error {
	cur, err := CurrentVault(ctx, q, patient, vault)
	if err != nil {
		return err
	}
	for e := cur.Epoch; e >= 1; e-- {
		res, err := q.VaultEpoch(ctx, &types.QueryVaultEpochRequest{Patient: patient, Vault: vault, Epoch: e})
		if err != nil {
			return txclient.QueryError(fmt.Sprintf("vault %q epoch %d", vault, e), err)
		}
		if bytes.Equal(res.Key.PublicKey, key) {
			return fmt.Errorf("vault %q already used this key in epoch %d: generate a new one (phr keygen vault --epoch %d)", vault, e, cur.Epoch+1)
		}
	}
	return nil
}
