package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/x/audit/types"
)

type queryServer struct{ Keeper }

// NewQueryServerImpl returns the audit Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k} }

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Head(ctx context.Context, _ *types.QueryHeadRequest) (*types.QueryHeadResponse, error) {
	head, err := q.Keeper.Head(ctx)
	if errors.Is(err, types.ErrEmptyLog) {
		return nil, status.Error(codes.NotFound, "audit log is empty")
	}
	if err != nil {
		return nil, err
	}
	return &types.QueryHeadResponse{Entry: head}, nil
}

func (q queryServer) Entry(ctx context.Context, req *types.QueryEntryRequest) (*types.QueryEntryResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	e, err := q.Keeper.Entries.Get(ctx, req.Sequence)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "no audit entry with sequence %d", req.Sequence)
	}
	if err != nil {
		return nil, err
	}
	return &types.QueryEntryResponse{Entry: &e}, nil
}

func (q queryServer) Entries(ctx context.Context, req *types.QueryEntriesRequest) (*types.QueryEntriesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	page, err := q.limitPage(ctx, req.Pagination)
	if err != nil {
		return nil, err
	}
	entries, pageRes, err := query.CollectionPaginate(ctx, q.Keeper.Entries, page,
		func(_ uint64, e types.Entry) (types.Entry, error) { return e, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryEntriesResponse{Entries: entries, Pagination: pageRes}, nil
}

func (q queryServer) EntriesByPatient(ctx context.Context, req *types.QueryEntriesByPatientRequest) (*types.QueryEntriesResponse, error) {
	if req == nil || req.Patient == "" {
		return nil, status.Error(codes.InvalidArgument, "patient address is required")
	}
	return q.byIndex(ctx, q.ByPatient, req.Patient, req.Pagination)
}

func (q queryServer) EntriesByActor(ctx context.Context, req *types.QueryEntriesByActorRequest) (*types.QueryEntriesResponse, error) {
	if req == nil || req.Actor == "" {
		return nil, status.Error(codes.InvalidArgument, "actor address is required")
	}
	return q.byIndex(ctx, q.ByActor, req.Actor, req.Pagination)
}

// byIndex pages through one index's sequences under key and loads the entries.
func (q queryServer) byIndex(ctx context.Context, index collections.KeySet[collections.Pair[string, uint64]], key string, pageReq *query.PageRequest) (*types.QueryEntriesResponse, error) {
	page, err := q.limitPage(ctx, pageReq)
	if err != nil {
		return nil, err
	}
	entries, pageRes, err := query.CollectionPaginate(ctx, index, page,
		func(k collections.Pair[string, uint64], _ collections.NoValue) (types.Entry, error) {
			return q.Keeper.Entries.Get(ctx, k.K2())
		},
		query.WithCollectionPaginationPairPrefix[string, uint64](key))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryEntriesResponse{Entries: entries, Pagination: pageRes}, nil
}

// limitPage caps the page size at the max_query_limit param.
func (q queryServer) limitPage(ctx context.Context, page *query.PageRequest) (*query.PageRequest, error) {
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = &query.PageRequest{}
	}
	capped := *page
	if capped.Limit == 0 || capped.Limit > p.MaxQueryLimit {
		capped.Limit = p.MaxQueryLimit
	}
	return &capped, nil
}
