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
func NewQueryServerImpl(k *Keeper) types.QueryServer { return queryServer{k} }

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
	vaults, page, err := query.CollectionPaginate(ctx, q.Keeper.Vaults, req.Pagination,
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
	members, page, err := query.CollectionFilteredPaginate(ctx, q.Keeper.Members, req.Pagination,
		func(_ collections.Pair[sdk.AccAddress, int32], m types.Member) (bool, error) {
			return req.Role == types.ROLE_UNSPECIFIED || m.Role == req.Role, nil
		},
		func(_ collections.Pair[sdk.AccAddress, int32], m types.Member) (types.Member, error) { return m, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryMembersResponse{Members: members, Pagination: page}, nil
}

func (q queryServer) queryAddress(field, bech32 string) (sdk.AccAddress, error) {
	addr, err := q.parseAddress(field, bech32)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return addr, nil
}
