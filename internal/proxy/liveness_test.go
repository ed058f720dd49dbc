package proxy_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/x/phr/types"
)

// flakyQuerier is a node that, for `bad` cycles, has lost one grant: the
// listing of granted grants omits it and Grant(id) answers with answer().
type flakyQuerier struct {
	*fakeChain
	grant  uint64
	bad    int
	answer func() (*types.Grant, error)
}

func (q *flakyQuerier) GrantsByProxy(ctx context.Context, p string, st types.GrantStatus) ([]types.Grant, error) {
	gs, err := q.fakeChain.GrantsByProxy(ctx, p, st)
	if q.bad > 0 {
		gs = slices.DeleteFunc(gs, func(g types.Grant) bool { return g.Id == q.grant })
	}
	return gs, err
}

func (q *flakyQuerier) Grant(ctx context.Context, id uint64) (*types.Grant, error) {
	if q.bad > 0 && id == q.grant {
		return q.answer()
	}
	return q.fakeChain.Grant(ctx, id)
}

// A fragment is deleted only on a positive REVOKED or EXPIRED status. A node
// that once answers NotFound, an empty (UNSPECIFIED) grant or an error for
// an active grant leaves the fragment in place (no tombstone), and the
// grant's next tasks are answered when the node answers GRANTED again.
func TestFragmentSurvivesTransientGrantAnswers(t *testing.T) {
	for _, c := range []struct {
		name   string
		answer func() (*types.Grant, error)
	}{
		{"registered NotFound", func() (*types.Grant, error) { return nil, errorsmod.Wrap(types.ErrGrantNotFound, "grant 1") }},
		{"gRPC NotFound", func() (*types.Grant, error) { return nil, status.Error(codes.NotFound, "grant 1: grant not found") }},
		{"UNSPECIFIED", func() (*types.Grant, error) { return &types.Grant{}, nil }},
		{"node error", func() (*types.Grant, error) { return nil, status.Error(codes.Internal, "store is being pruned") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			g := f.grant(t, 2, nil)
			first := f.record(t, g)
			st := keystore.NewMemStore()
			q := &flakyQuerier{fakeChain: f.chain, grant: g, answer: c.answer}
			var logs bytes.Buffer
			w := f.workerWith(t, 0, st, q, &logs)
			if rep := step(t, w); !slices.Equal(rep.Answered, first) {
				t.Fatalf("before: %+v", rep)
			}

			q.bad = 1
			rep := step(t, w)
			q.bad = 0
			if len(rep.Deleted) != 0 {
				t.Fatalf("fragment deleted on a transient answer: %+v\n%s", rep, logs.String())
			}
			ref := keystore.GrantRef{ChainID: chainID, GrantID: g}
			if _, err := st.Get(ref); err != nil {
				t.Fatalf("fragment gone after a transient answer: %v", err)
			}

			later := f.record(t, g)
			if rep := step(t, w); !slices.Equal(rep.Answered, later) {
				t.Fatalf("grant's tasks not answered after the node recovered: %+v\n%s", rep, logs.String())
			}
		})
	}
}

// A positive EXPIRED status deletes the fragment (as REVOKED does, see
// TestRevokedGrantFragmentDeleted), and a node listing a granted grant when
// asked for revoked ones does not make the sweep tombstone it.
func TestFragmentDeletedOnExpiredOnly(t *testing.T) {
	f := newFixture(t)
	g := f.grant(t, 2, nil)
	f.record(t, g)
	st := keystore.NewMemStore()
	var logs bytes.Buffer
	w := f.workerWith(t, 0, st, &filterIgnoringQuerier{f.chain}, &logs)
	step(t, w) // first cycle: sweep with a node that ignores the status filter
	ref := keystore.GrantRef{ChainID: chainID, GrantID: g}
	if _, err := st.Get(ref); err != nil {
		t.Fatalf("sweep tombstoned an active grant: %v\n%s", err, logs.String())
	}
	f.chain.setGrantStatus(g, types.GRANT_STATUS_EXPIRED)
	if rep := step(t, w); !slices.Equal(rep.Deleted, []uint64{g}) {
		t.Fatalf("expired grant not deleted: %+v", rep)
	}
	if _, err := st.Get(ref); !errors.Is(err, keystore.ErrRevoked) {
		t.Fatalf("after expiry: %v", err)
	}
}

// filterIgnoringQuerier lists every grant of the proxy whatever status is
// asked for.
type filterIgnoringQuerier struct{ *fakeChain }

func (q *filterIgnoringQuerier) GrantsByProxy(ctx context.Context, p string, st types.GrantStatus) ([]types.Grant, error) {
	if st == types.GRANT_STATUS_GRANTED {
		return q.fakeChain.GrantsByProxy(ctx, p, st)
	}
	return q.fakeChain.GrantsByProxy(ctx, p, types.GRANT_STATUS_UNSPECIFIED)
}
