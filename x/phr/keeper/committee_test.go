package keeper_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// The committee check compares sets: a grant to every admitted proxy passes
// whatever the order of its fragments, also when the proxies' addresses have
// different lengths (the store orders members by address length first, a
// byte sort does not); a missing, extra or repeated proxy is refused.
func TestCommitteeCheckComparesSets(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	long := sdk.AccAddress(append([]byte{0, 0}, bytes.Repeat([]byte{7}, 30)...)) // 32 bytes, sorts first by bytes
	require.NoError(t, k.AdmitMember(h.Ctx(), k.Authority(), long, types.ROLE_PROXY, proxyKey(t).Public().Bytes()))
	h.NextBlock()

	committee, err := k.Committee(h.Ctx())
	require.NoError(t, err)
	require.Len(t, committee, 4)
	var addrs [][]byte
	for _, m := range committee {
		addrs = append(addrs, sdk.MustAccAddressFromBech32(m.Address))
	}
	require.True(t, bytes.Equal(addrs[3], long), "store order: the 32-byte address last")

	ctx := h.Ctx()
	byBytes := [][]byte{long, addrs[0], addrs[1], addrs[2]}
	reversed := [][]byte{addrs[3], addrs[2], addrs[1], addrs[0]}
	for _, proxies := range [][][]byte{addrs, byBytes, reversed} {
		require.NoError(t, k.CheckCommittee(ctx, proxies))
	}
	for name, proxies := range map[string][][]byte{
		"missing":  addrs[:3],
		"stranger": {addrs[0], addrs[1], addrs[2], w.Stranger.Address},
		"repeated": {addrs[0], addrs[1], addrs[2], addrs[2]},
		"extra":    {addrs[0], addrs[1], addrs[2], addrs[3], w.Stranger.Address},
	} {
		require.ErrorIs(t, k.CheckCommittee(ctx, proxies), types.ErrCommitteeMismatch, name)
	}
}
