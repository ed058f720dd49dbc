package keeper_test

import (
	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/apptest"
)

func joinVault(a apptest.Account, name string) collections.Pair[sdk.AccAddress, string] {
	return collections.Join(a.Address, name)
}

func joinU64(a, b uint64) collections.Pair[uint64, uint64] { return collections.Join(a, b) }
