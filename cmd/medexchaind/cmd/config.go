package cmd

import (
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/medexchain/medexchain/app"
)

// appConfig is the SDK's default app.toml with a minimum gas price of
// 0umedex: the SDK refuses to start with none at all, and the price is each
// network's choice, set in app.toml (the local network sets 0.001umedex, see
// scripts/localnet.sh). A node left at 0 accepts zero-fee transactions.
func appConfig() (string, any) {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = "0" + app.BondDenom
	return serverconfig.DefaultConfigTemplate, cfg
}

// cometConfig is CometBFT's default with one-second blocks, which suit a
// consortium chain of a few validators.
func cometConfig() *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.Consensus.TimeoutCommit = time.Second
	return cfg
}
