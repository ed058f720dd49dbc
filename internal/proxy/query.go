package proxy

import (
	"context"
	"fmt"
	"time"

	query "github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

// DefaultQueryTimeout bounds one query, so a node that accepts connections
// but does not answer counts as unreachable instead of hanging the worker.
const DefaultQueryTimeout = 15 * time.Second

// maxPages stops a listing that never ends (a node returning the same
// next_key forever); 1000 pages of 100 grants is far beyond any committee.
const (
	pageLimit = 100
	maxPages  = 1000
)

// queryFuncs are the four queries, from a gRPC client or a query server.
type queryFuncs struct {
	pending       func(context.Context, *types.QueryPendingTasksRequest) (*types.QueryTasksResponse, error)
	grant         func(context.Context, *types.QueryGrantRequest) (*types.QueryGrantResponse, error)
	grantsByProxy func(context.Context, *types.QueryGrantsByProxyRequest) (*types.QueryGrantsResponse, error)
	recordHead    func(context.Context, *types.QueryRecordHeadRequest) (*types.QueryRecordResponse, error)
	// wrap turns a query error into the Querier contract (ErrUnavailable
	// for transport failures).
	wrap    func(error) error
	timeout time.Duration
	ctx     func(context.Context) context.Context
}

// NewGRPCQuerier reads the node through a phr query client, for example
// types.NewQueryClient(clientCtx), which goes over gRPC (--grpc-addr) or the
// CometBFT RPC (--node). Transport failures become ErrUnavailable.
func NewGRPCQuerier(c types.QueryClient) Querier {
	return &queryFuncs{
		pending: func(ctx context.Context, r *types.QueryPendingTasksRequest) (*types.QueryTasksResponse, error) {
			return c.PendingTasks(ctx, r)
		},
		grant: func(ctx context.Context, r *types.QueryGrantRequest) (*types.QueryGrantResponse, error) {
			return c.Grant(ctx, r)
		},
		grantsByProxy: func(ctx context.Context, r *types.QueryGrantsByProxyRequest) (*types.QueryGrantsResponse, error) {
			return c.GrantsByProxy(ctx, r)
		},
		recordHead: func(ctx context.Context, r *types.QueryRecordHeadRequest) (*types.QueryRecordResponse, error) {
			return c.RecordHead(ctx, r)
		},
		wrap:    txclient.TransportError,
		timeout: DefaultQueryTimeout,
	}
}

// NewServerQuerier calls a phr query server in process (the app harness:
// keeper.NewQueryServerImpl); sdkCtx returns the context to run each query
// in (e.g. the harness's committed-state context). Its errors are the
// chain's own.
func NewServerQuerier(s types.QueryServer, sdkCtx func() context.Context) Querier {
	return &queryFuncs{
		pending:       s.PendingTasks,
		grant:         s.Grant,
		grantsByProxy: s.GrantsByProxy,
		recordHead:    s.RecordHead,
		wrap:          func(err error) error { return err },
		ctx:           func(context.Context) context.Context { return sdkCtx() },
	}
}

func (q *queryFuncs) begin(ctx context.Context) (context.Context, context.CancelFunc) {
	if q.ctx != nil {
		return q.ctx(ctx), func() {}
	}
	if q.timeout > 0 {
		return context.WithTimeout(ctx, q.timeout)
	}
	return ctx, func() {}
}

// PendingTasks implements Querier (one page of up to limit tasks).
func (q *queryFuncs) PendingTasks(ctx context.Context, proxy string, limit uint64) ([]types.Task, error) {
	c, cancel := q.begin(ctx)
	defer cancel()
	res, err := q.pending(c, &types.QueryPendingTasksRequest{Proxy: proxy, Pagination: &query.PageRequest{Limit: limit}})
	if err != nil {
		return nil, q.wrap(err)
	}
	return res.Tasks, nil
}

// Grant implements Querier.
func (q *queryFuncs) Grant(ctx context.Context, id uint64) (*types.Grant, error) {
	c, cancel := q.begin(ctx)
	defer cancel()
	res, err := q.grant(c, &types.QueryGrantRequest{Id: id})
	if err != nil {
		return nil, q.wrap(err)
	}
	return &res.Grant, nil
}

// GrantsByProxy implements Querier, following next_key to the end.
func (q *queryFuncs) GrantsByProxy(ctx context.Context, proxy string, st types.GrantStatus) ([]types.Grant, error) {
	var out []types.Grant
	var key []byte
	for page := 0; page < maxPages; page++ {
		c, cancel := q.begin(ctx)
		res, err := q.grantsByProxy(c, &types.QueryGrantsByProxyRequest{
			Proxy: proxy, Status: st, Pagination: &query.PageRequest{Key: key, Limit: pageLimit},
		})
		cancel()
		if err != nil {
			return nil, q.wrap(err)
		}
		out = append(out, res.Grants...)
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return out, nil
		}
		key = res.Pagination.NextKey
	}
	return nil, fmt.Errorf("grants of %s: more than %d pages", proxy, maxPages)
}

// RecordHead implements Querier.
func (q *queryFuncs) RecordHead(ctx context.Context, id uint64) (*types.Record, error) {
	c, cancel := q.begin(ctx)
	defer cancel()
	res, err := q.recordHead(c, &types.QueryRecordHeadRequest{Id: id})
	if err != nil {
		return nil, q.wrap(err)
	}
	return &res.Record, nil
}
