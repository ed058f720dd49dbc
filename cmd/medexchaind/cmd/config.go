package cmd

import (
	"time"

	cmtcfg "github.com/cometbft/cometbft/config"

	serverconfig "github.com/cosmos/cosmos-sdk/server/config"

	"github.com/medexchain/medexchain/app"
)

// appConfig sets a non-zero minimum gas price so that a node started with
// defaults is not open to zero-fee spam.
func appConfig() (string, any) {
	cfg := serverconfig.DefaultConfig()
	cfg.MinGasPrices = "0" + app.BondDenom
	return serverconfig.DefaultConfigTemplate, cfg
}

// cometConfig: one-second blocks suit a consortium chain of a few validators.
func cometConfig() *cmtcfg.Config {
	cfg := cmtcfg.DefaultConfig()
	cfg.Consensus.TimeoutCommit = time.Second
	return cfg
}
