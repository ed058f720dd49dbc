package keeper

import (
	"context"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/x/phr/types"
)

func (q queryServer) Grant(ctx context.Context, req *types.QueryGrantRequest) (*types.QueryGrantResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	g, err := q.GetGrant(ctx, req.Id)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryGrantResponse{Grant: g}, nil
}

func (q queryServer) GrantsByPatient(ctx context.Context, req *types.QueryGrantsByPatientRequest) (*types.QueryGrantsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	return q.grantsByIndex(ctx, q.Grants.Indexes.ByPatient, "patient", req.Patient, req.Status, req.Pagination)
}

func (q queryServer) GrantsByRequester(ctx context.Context, req *types.QueryGrantsByRequesterRequest) (*types.QueryGrantsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	return q.grantsByIndex(ctx, q.Grants.Indexes.ByRequester, "requester", req.Requester, req.Status, req.Pagination)
}

func (q queryServer) GrantsByProxy(ctx context.Context, req *types.QueryGrantsByProxyRequest) (*types.QueryGrantsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	return q.grantsByIndex(ctx, q.Grants.Indexes.ByProxy, "proxy", req.Proxy, req.Status, req.Pagination)
}

// grantsByIndex pages through one index's grants of addr. Keys are
// (address, status, id): one status is a prefix, and the unfiltered list
// comes grouped by status.
func (q queryServer) grantsByIndex(ctx context.Context, index *refIndex[addrStatusID, uint64, types.Grant], field, bech32 string,
	want types.GrantStatus, pageReq *query.PageRequest,
) (*types.QueryGrantsResponse, error) {
	addr, err := q.queryAddress(field, bech32)
	if err != nil {
		return nil, err
	}
	if pageReq, err = limitPage(pageReq); err != nil {
		return nil, err
	}
	prefix := collections.TriplePrefix[sdk.AccAddress, int32, uint64](addr)
	if want != types.GRANT_STATUS_UNSPECIFIED {
		prefix = collections.TripleSuperPrefix[sdk.AccAddress, int32, uint64](addr, int32(want))
	}
	grants, page, err := query.CollectionPaginate(ctx, index.KeySet, pageReq,
		func(k addrStatusID, _ collections.NoValue) (types.Grant, error) { return q.GetGrant(ctx, k.K3()) },
		withPrefix(prefix))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryGrantsResponse{Grants: grants, Pagination: page}, nil
}

// withPrefix keeps a pagination inside a key prefix of any shape (the SDK
// offers a helper for pairs only).
func withPrefix[K any](prefix K) func(o *query.CollectionsPaginateOptions[K]) {
	return func(o *query.CollectionsPaginateOptions[K]) { o.Prefix = &prefix }
}

func (q queryServer) Task(ctx context.Context, req *types.QueryTaskRequest) (*types.QueryTaskResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	t, err := q.Tasks.Get(ctx, req.Id)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryTaskResponse{Task: t}, nil
}

// PendingTasks: open tasks of active grants that the proxy sits on and has
// not answered yet — what `medexchaind proxy run` works through. It walks
// only the proxy's own pending set; tasks of grants revoked or expired since
// stay in it until their deadline and are filtered out here.
func (q queryServer) PendingTasks(ctx context.Context, req *types.QueryPendingTasksRequest) (*types.QueryTasksResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	proxy, err := q.queryAddress("proxy", req.Proxy)
	if err != nil {
		return nil, err
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	tasks, page, err := query.CollectionFilteredPaginate(ctx, q.Tasks.Indexes.Pending.KeySet, pageReq,
		func(k collections.Pair[sdk.AccAddress, uint64], _ collections.NoValue) (bool, error) {
			_, err := q.AnswerTarget(ctx, proxy, k.K2())
			return err == nil, nil
		},
		func(k collections.Pair[sdk.AccAddress, uint64], _ collections.NoValue) (types.Task, error) {
			return q.Tasks.Get(ctx, k.K2())
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, uint64](proxy))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryTasksResponse{Tasks: tasks, Pagination: page}, nil
}

func (q queryServer) Share(ctx context.Context, req *types.QueryShareRequest) (*types.QueryShareResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	s, err := q.Shares.Get(ctx, collections.Join(req.GrantId, req.RecordId))
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryShareResponse{Share: s}, nil
}

func (q queryServer) SharesByGrant(ctx context.Context, req *types.QuerySharesByGrantRequest) (*types.QuerySharesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	shares, page, err := query.CollectionPaginate(ctx, q.Shares, pageReq,
		func(_ collections.Pair[uint64, uint64], s types.Share) (types.Share, error) { return s, nil },
		query.WithCollectionPaginationPairPrefix[uint64, uint64](req.GrantId))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QuerySharesResponse{Shares: shares, Pagination: page}, nil
}
