package cli

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/x/audit/types"
)

// fakeLog serves Entries from a slice by sequence key, capping pages at max;
// the other queries are not used by fetchPages.
type fakeLog struct {
	types.QueryClient
	entries []types.Entry
	max     uint64
}

func (f fakeLog) Entries(_ context.Context, req *types.QueryEntriesRequest, _ ...grpc.CallOption) (*types.QueryEntriesResponse, error) {
	from := binary.BigEndian.Uint64(req.Pagination.Key)
	limit := min(req.Pagination.Limit, f.max)
	res := &types.QueryEntriesResponse{Pagination: &query.PageResponse{}}
	for _, e := range f.entries {
		if e.Sequence < from {
			continue
		}
		if uint64(len(res.Entries)) == limit {
			res.Pagination.NextKey = binary.BigEndian.AppendUint64(nil, e.Sequence)
			break
		}
		res.Entries = append(res.Entries, e)
	}
	return res, nil
}

func chain(n int) []types.Entry {
	out := make([]types.Entry, n)
	for i := range out {
		e := types.Entry{Sequence: uint64(i + 1), Height: 1, Time: time.Unix(0, 0).UTC(), Action: "a", Actor: "b", Outcome: types.OUTCOME_SUCCESS}
		if i > 0 {
			e.PrevHash = out[i-1].Hash
		}
		e.Hash = e.ComputeHash()
		out[i] = e
	}
	return out
}

// verifyAll runs fetchPages from sequence 1 with VerifyChain as verify does
// and returns the entries it saw.
func verifyAll(q types.QueryClient, size uint64, ahead int) (int, error) {
	var prev *types.Entry
	n := 0
	err := fetchPages(context.Background(), q, 1, size, ahead, func(es []types.Entry) error {
		if err := types.VerifyChain(prev, es); err != nil {
			return err
		}
		prev, n = &es[len(es)-1], n+len(es)
		return nil
	})
	return n, err
}

// TestFetchPages: pages asked ahead by sequence reach visit whole and in
// order (so a log of 1050 entries verifies), a changed entry is named, and a
// node that serves shorter pages than asked is refused rather than skipped.
func TestFetchPages(t *testing.T) {
	log := chain(1050)
	for _, ahead := range []int{1, 4} {
		n, err := verifyAll(fakeLog{entries: log, max: 200}, 100, ahead)
		require.NoError(t, err)
		require.Equal(t, 1050, n)
	}
	n, err := verifyAll(fakeLog{entries: log[:100], max: 200}, 100, 4) // exactly one page
	require.NoError(t, err)
	require.Equal(t, 100, n)

	tampered := append([]types.Entry(nil), log...)
	tampered[733].Actor = "someone else"
	_, err = verifyAll(fakeLog{entries: tampered, max: 200}, 100, 4)
	require.ErrorIs(t, err, types.ErrBrokenChain)
	require.ErrorContains(t, err, "entry 734")

	_, err = verifyAll(fakeLog{entries: log, max: 50}, 100, 4)
	require.ErrorContains(t, err, "served 50 entries for a page of 100")
}
