package app

import (
	"os"
	"path/filepath"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// Name is the application's name; the binary is medexchaind.
	Name = "medexchain"
	// AccountAddressPrefix is the Bech32 human-readable part of account addresses.
	AccountAddressPrefix = "medex"
	// BondDenom is the staking and fee denomination (1 MEDEX = 10^6 umedex).
	BondDenom = "umedex"
)

// DefaultNodeHome is where medexchaind keeps its config and data by default.
var DefaultNodeHome = func() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ".medexchaind"
	}
	return filepath.Join(home, ".medexchaind")
}()

// Prefixes and the bond denom are process-global in the SDK (and ibctesting reads
// them from there), so they are set once when the package loads.
func init() {
	cfg := sdk.GetConfig()
	cfg.SetBech32PrefixForAccount(AccountAddressPrefix, AccountAddressPrefix+sdk.PrefixPublic)
	cfg.SetBech32PrefixForValidator(AccountAddressPrefix+sdk.PrefixValidator+sdk.PrefixOperator,
		AccountAddressPrefix+sdk.PrefixValidator+sdk.PrefixOperator+sdk.PrefixPublic)
	cfg.SetBech32PrefixForConsensusNode(AccountAddressPrefix+sdk.PrefixValidator+sdk.PrefixConsensus,
		AccountAddressPrefix+sdk.PrefixValidator+sdk.PrefixConsensus+sdk.PrefixPublic)
	cfg.Seal()
	sdk.DefaultBondDenom = BondDenom
}
