package keeper_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/x/audit/keeper"
	"github.com/medexchain/medexchain/x/audit/types"
)

func appendN(t *testing.T, h *apptest.Harness, n int, patient func(i int) string) []types.Entry {
	t.Helper()
	ctx := h.Ctx()
	out := make([]types.Entry, n)
	for i := range out {
		e, err := h.App.AuditKeeper.Append(ctx, types.Record{
			Action: "test/action", Actor: fmt.Sprintf("actor-%d", i%2), Patient: patient(i),
			ObjectID: fmt.Sprintf("obj-%d", i), Outcome: types.OUTCOME_SUCCESS,
		})
		require.NoError(t, err)
		out[i] = e
	}
	return out
}

func TestAppendLinksEntries(t *testing.T) {
	h := apptest.New(t, 1)
	entries := appendN(t, h, 5, func(int) string { return "p" })

	require.Empty(t, entries[0].PrevHash, "the first entry of the log has no predecessor")
	for i, e := range entries {
		require.Equal(t, uint64(i+1), e.Sequence)
		require.Equal(t, e.ComputeHash(), e.Hash)
		require.Equal(t, apptest.ChainID, e.ChainId)
		if i > 0 {
			require.Equal(t, entries[i-1].Hash, e.PrevHash)
		}
	}
	require.NoError(t, types.VerifyChain(nil, entries))
	require.NoError(t, types.VerifyChain(&entries[1], entries[2:]), "verification from a trusted head")

	head, err := h.App.AuditKeeper.Head(h.Ctx())
	require.NoError(t, err)
	require.Equal(t, entries[4], *head)
}

func TestVerifyChainNamesFirstBrokenLink(t *testing.T) {
	h := apptest.New(t, 1)
	entries := appendN(t, h, 4, func(int) string { return "p" })

	tampered := append([]types.Entry(nil), entries...)
	tampered[2].ObjectId = "rewritten"
	err := types.VerifyChain(nil, tampered)
	require.ErrorIs(t, err, types.ErrBrokenChain)
	require.Contains(t, err.Error(), "entry 3:")

	rehashed := append([]types.Entry(nil), entries...)
	rehashed[1].ObjectId = "rewritten"
	rehashed[1].Hash = rehashed[1].ComputeHash() // consistent entry, but its successor no longer links
	err = types.VerifyChain(nil, rehashed)
	require.ErrorIs(t, err, types.ErrBrokenChain)
	require.Contains(t, err.Error(), "entry 3: prev_hash")

	err = types.VerifyChain(nil, append(entries[:1:1], entries[2:]...))
	require.ErrorContains(t, err, "expected sequence 2")
}

func TestQueriesPageInOrder(t *testing.T) {
	h := apptest.New(t, 1)
	entries := appendN(t, h, 7, func(i int) string { return []string{"alice", "bob"}[i%2] })
	q := keeper.NewQueryServerImpl(h.App.AuditKeeper)
	ctx := h.Ctx()

	var got []types.Entry
	var next []byte
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		res, err := q.Entries(ctx, &types.QueryEntriesRequest{Pagination: &query.PageRequest{Key: next, Limit: 3}})
		require.NoError(t, err)
		require.LessOrEqual(t, len(res.Entries), 3)
		got = append(got, res.Entries...)
		if next = res.Pagination.NextKey; next == nil {
			break
		}
	}
	require.Equal(t, entries, got)

	res, err := q.EntriesByPatient(ctx, &types.QueryEntriesByPatientRequest{Patient: "alice", Pagination: &query.PageRequest{Limit: 2}})
	require.NoError(t, err)
	require.Equal(t, []uint64{1, 3}, sequences(res.Entries))
	res, err = q.EntriesByPatient(ctx, &types.QueryEntriesByPatientRequest{Patient: "alice", Pagination: &query.PageRequest{Key: res.Pagination.NextKey}})
	require.NoError(t, err)
	require.Equal(t, []uint64{5, 7}, sequences(res.Entries))

	res, err = q.EntriesByActor(ctx, &types.QueryEntriesByActorRequest{Actor: "actor-1"})
	require.NoError(t, err)
	require.Equal(t, []uint64{2, 4, 6}, sequences(res.Entries))
}

func TestGenesisRefusesBrokenChain(t *testing.T) {
	h := apptest.New(t, 1)
	entries := appendN(t, h, 3, func(int) string { return "p" })
	entries[1].Actor = "someone-else"
	gs := types.GenesisState{Params: types.DefaultParams(), Entries: entries}
	require.ErrorIs(t, gs.Validate(), types.ErrBrokenChain)
}

func sequences(es []types.Entry) []uint64 {
	out := make([]uint64, len(es))
	for i, e := range es {
		out[i] = e.Sequence
	}
	return out
}
