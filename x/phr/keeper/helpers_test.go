package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/apptest"
)

func joinVault(a apptest.Account, name string) collections.Pair[sdk.AccAddress, string] {
	return collections.Join(a.Address, name)
}

func joinU64(a, b uint64) collections.Pair[uint64, uint64] { return collections.Join(a, b) }

// requireTaskQueued says whether task id is in the deadline queue and in
// every committee member's pending set (open) or in none (closed).
func requireTaskQueued(t *testing.T, h *apptest.Harness, id uint64, open bool) {
	t.Helper()
	k := h.App.PhrKeeper
	ctx := h.Ctx()
	task, err := k.Tasks.Get(ctx, id)
	require.NoError(t, err)
	has, err := k.Tasks.Indexes.Queue.Has(ctx, collections.Join(task.DeadlineHeight, id))
	require.NoError(t, err)
	require.Equal(t, open, has, "task %d in the deadline queue", id)
	if !open {
		for _, p := range task.Committee {
			addr, err := sdk.AccAddressFromBech32(p)
			require.NoError(t, err)
			has, err := k.Tasks.Indexes.Pending.Has(ctx, collections.Join(addr, id))
			require.NoError(t, err)
			require.False(t, has, "closed task %d pending for %s", id, p)
		}
	}
}
