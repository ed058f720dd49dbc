package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/keys"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"
)

// keysCommand is the SDK's `keys` with two refusals for secp256r1 keys where
// the SDK would panic: both the armored export and a multisig key encode
// keys with legacy amino, which cannot encode P-256 keys (the SDK's
// secp256r1 types are protobuf-only). `keys export --unarmored-hex --unsafe`
// and `keys import-hex --key-type secp256r1` move such a key instead.
func keysCommand() *cobra.Command {
	cmd := keys.Commands()
	for _, c := range cmd.Commands() {
		switch c.Name() {
		case "export":
			guard(c, func(cmd *cobra.Command, args []string) error {
				if hex, _ := cmd.Flags().GetBool("unarmored-hex"); hex {
					return nil
				}
				return refuseR1(cmd, args[:1], "armored export encodes the key with legacy amino; use --unarmored-hex --unsafe")
			})
		case "add":
			guard(c, func(cmd *cobra.Command, _ []string) error {
				members, _ := cmd.Flags().GetStringSlice("multisig")
				return refuseR1(cmd, members, "a multisig key is encoded with legacy amino; its members must be secp256k1")
			})
		}
	}
	return cmd
}

// guard runs check before c's RunE.
func guard(c *cobra.Command, check func(*cobra.Command, []string) error) {
	run := c.RunE
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return err
		}
		return run(cmd, args)
	}
}

// refuseR1 fails when one of the keyring keys named is a secp256r1 key.
// Names the keyring does not hold are left to the command to report.
func refuseR1(cmd *cobra.Command, names []string, why string) error {
	ctx, err := client.GetClientQueryContext(cmd)
	if err != nil || ctx.Keyring == nil {
		return err
	}
	for _, name := range names {
		rec, err := ctx.Keyring.Key(name)
		if err != nil {
			continue
		}
		if pk, err := rec.GetPubKey(); err == nil {
			if _, ok := pk.(*secp256r1.PubKey); ok {
				return fmt.Errorf("key %q is secp256r1: %s", name, why)
			}
		}
	}
	return nil
}
