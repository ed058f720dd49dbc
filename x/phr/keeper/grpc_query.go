package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/x/phr/types"
)

type queryServer struct{ *Keeper }

// NewQueryServerImpl returns the phr Query service.
func NewQueryServerImpl(k *Keeper) types.QueryServer { return queryServer{Keeper: k} }

func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

func (q queryServer) Patient(ctx context.Context, req *types.QueryPatientRequest) (*types.QueryPatientResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.queryAddress("address", req.Address)
	if err != nil {
		return nil, err
	}
	p, err := q.Patients.Get(ctx, addr)
	if errors.Is(err, collections.ErrNotFound) {
		return nil, status.Errorf(codes.NotFound, "patient %s is not registered", req.Address)
	}
	if err != nil {
		return nil, err
	}
	vaults, err := q.PatientVaults(ctx, addr)
	if err != nil {
		return nil, err
	}
	return &types.QueryPatientResponse{Patient: p, Vaults: vaults}, nil
}

func (q queryServer) Vaults(ctx context.Context, req *types.QueryVaultsRequest) (*types.QueryVaultsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.queryAddress("patient", req.Patient)
	if err != nil {
		return nil, err
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	vaults, page, err := query.CollectionPaginate(ctx, q.Keeper.Vaults, pageReq,
		func(_ collections.Pair[sdk.AccAddress, string], v types.Vault) (types.Vault, error) { return v, nil },
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, string](addr))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryVaultsResponse{Vaults: vaults, Pagination: page}, nil
}

func (q queryServer) Members(ctx context.Context, req *types.QueryMembersRequest) (*types.QueryMembersResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	// The role filter scans the members (few: each one admitted by the authority).
	members, page, err := query.CollectionFilteredPaginate(ctx, q.Keeper.Members, pageReq,
		func(_ collections.Pair[sdk.AccAddress, int32], m types.Member) (bool, error) {
			return req.Role == types.ROLE_UNSPECIFIED || m.Role == req.Role, nil
		},
		func(_ collections.Pair[sdk.AccAddress, int32], m types.Member) (types.Member, error) { return m, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryMembersResponse{Members: members, Pagination: page}, nil
}

// limitPage bounds a list query's page: the limit is lowered to
// types.MaxPageLimit, the offset may not pass types.MaxPageOffset, and
// count_total is refused, since counting walks the whole index.
func limitPage(page *query.PageRequest) (*query.PageRequest, error) {
	if page == nil {
		return &query.PageRequest{Limit: types.MaxPageLimit}, nil
	}
	if page.CountTotal {
		return nil, status.Error(codes.InvalidArgument, "count_total is not supported: counting would walk the whole index; follow next_key instead")
	}
	if page.Offset > types.MaxPageOffset {
		return nil, status.Errorf(codes.InvalidArgument, "offset %d is above %d: page with next_key instead", page.Offset, types.MaxPageOffset)
	}
	capped := *page
	if capped.Limit == 0 || capped.Limit > types.MaxPageLimit {
		capped.Limit = types.MaxPageLimit
	}
	return &capped, nil
}

func (q queryServer) queryAddress(field, bech32 string) (sdk.AccAddress, error) {
	addr, err := q.parseAddress(field, bech32)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return addr, nil
}
