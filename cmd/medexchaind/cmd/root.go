// Package cmd builds medexchaind's command tree by hand (no depinject).
package cmd

import (
	"os"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/spf13/cobra"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/config"
	"github.com/cosmos/cosmos-sdk/server"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/internal/keyring/secp256r1algo"
)

// NewRootCmd returns medexchaind's root command. A throw-away app instance
// (in-memory, never loaded) provides the codecs and the autocli module options.
// Every keyring a command opens accepts secp256r1 keys besides secp256k1
// (the default): see internal/keyring/secp256r1algo.
func NewRootCmd() *cobra.Command {
	tempApp := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.EmptyAppOptions{})
	secp256r1algo.RegisterInterfaces(tempApp.InterfaceRegistry())
	initClientCtx := client.Context{}.
		WithCodec(tempApp.AppCodec()).
		WithInterfaceRegistry(tempApp.InterfaceRegistry()).
		WithTxConfig(tempApp.TxConfig()).
		WithLegacyAmino(tempApp.LegacyAmino()).
		WithInput(os.Stdin).
		WithAccountRetriever(authtypes.AccountRetriever{}).
		WithHomeDir(app.DefaultNodeHome).
		WithKeyringOptions(secp256r1algo.KeyringOption()).
		WithViper("MEDEXCHAIND")

	rootCmd := &cobra.Command{
		Use:           "medexchaind",
		Short:         "medexchain: encrypted health records shared across hospital chains",
		SilenceUsage:  true,
		SilenceErrors: true, // main prints one line
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(cmd.OutOrStdout())
			cmd.SetErr(cmd.ErrOrStderr())
			clientCtx, err := client.ReadPersistentCommandFlags(initClientCtx.WithCmdContext(cmd.Context()), cmd.Flags())
			if err != nil {
				return err
			}
			if clientCtx, err = config.ReadFromClientConfig(clientCtx); err != nil {
				return err
			}
			if err := client.SetCmdClientContextHandler(clientCtx, cmd); err != nil {
				return err
			}
			appTemplate, appConfig := appConfig()
			return server.InterceptConfigsPreRunHandler(cmd, appTemplate, appConfig, cometConfig())
		},
	}
	addCommands(rootCmd, tempApp)
	handWritten := commandSet(rootCmd)

	autoCli := tempApp.AutoCliOpts()
	autoCli.ClientCtx = initClientCtx
	if err := autoCli.EnhanceRootCommand(rootCmd); err != nil {
		panic(err)
	}
	reportRefusals(rootCmd, handWritten)
	return rootCmd
}
