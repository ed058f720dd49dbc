package cli

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/x/audit/types"
)

// fetchPages hands visit the audit log's entries from sequence first on, in
// pages of size entries and in order, while up to ahead later pages are
// being fetched. Entries are keyed by sequence, so page i is asked for by
// its first sequence (first + i·size) without waiting for page i-1's
// next_key; visit still sees the pages in order, and a page that is not
// the contiguous continuation of the one before fails its VerifyChain. It
// stops after the page that has no next page (the head's), or at the first
// error.
func fetchPages(ctx context.Context, q types.QueryClient, first, size uint64, ahead int, visit func([]types.Entry) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // the requests still in flight at the end
	type page struct {
		res *types.QueryEntriesResponse
		err error
	}
	request := func(i uint64) <-chan page {
		ch := make(chan page, 1)
		go func() {
			key := binary.BigEndian.AppendUint64(nil, first+i*size)
			res, err := q.Entries(ctx, &types.QueryEntriesRequest{Pagination: &query.PageRequest{Key: key, Limit: size}})
			ch <- page{res, err}
		}()
		return ch
	}
	queue := make([]<-chan page, 0, ahead+1)
	next := uint64(0)
	for ; next <= uint64(ahead); next++ {
		queue = append(queue, request(next))
	}
	for {
		p := <-queue[0]
		queue = queue[1:]
		if p.err != nil {
			return p.err
		}
		entries, more := p.res.Entries, len(p.res.Pagination.GetNextKey()) > 0
		if more && uint64(len(entries)) != size {
			return fmt.Errorf("the node served %d entries for a page of %d", len(entries), size)
		}
		if len(entries) > 0 {
			if err := visit(entries); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		queue = append(queue, request(next))
		next++
	}
}
