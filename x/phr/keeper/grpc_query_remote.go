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

// The hospital chain's cross-chain state: requests to peers, mirrored
// grants and the inbox. Lists page through their indexes or key prefixes.

func (q queryServer) RemoteRequest(ctx context.Context, req *types.QueryRemoteRequestRequest) (*types.QueryRemoteRequestResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	r, err := q.GetRemoteRequest(ctx, req.Id)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryRemoteRequestResponse{Request: r}, nil
}

func (q queryServer) RemoteRequestsByHospital(ctx context.Context, req *types.QueryRemoteRequestsByHospitalRequest) (*types.QueryRemoteRequestsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.queryAddress("hospital", req.Hospital)
	if err != nil {
		return nil, err
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	requests, page, err := query.CollectionPaginate(ctx, q.RemoteRequests.Indexes.ByHospital, pageReq,
		func(k collections.Pair[sdk.AccAddress, uint64], _ collections.NoValue) (types.RemoteRequest, error) {
			return q.GetRemoteRequest(ctx, k.K2())
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, uint64](addr))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryRemoteRequestsResponse{Requests: requests, Pagination: page}, nil
}

func (q queryServer) RemoteGrant(ctx context.Context, req *types.QueryRemoteGrantRequest) (*types.QueryRemoteGrantResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	g, err := q.GetRemoteGrant(ctx, req.ClientId, req.GrantId)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryRemoteGrantResponse{Grant: g}, nil
}

func (q queryServer) RemoteGrantsByHospital(ctx context.Context, req *types.QueryRemoteGrantsByHospitalRequest) (*types.QueryRemoteGrantsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := q.queryAddress("hospital", req.Hospital)
	if err != nil {
		return nil, err
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	type grantKey = collections.Pair[string, uint64]
	grants, page, err := query.CollectionPaginate(ctx, q.RemoteGrants.Indexes.ByHospital, pageReq,
		func(k collections.Pair[sdk.AccAddress, grantKey], _ collections.NoValue) (types.RemoteGrant, error) {
			return q.RemoteGrants.Get(ctx, k.K2())
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, grantKey](addr))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryRemoteGrantsResponse{Grants: grants, Pagination: page}, nil
}

func (q queryServer) InboxShare(ctx context.Context, req *types.QueryInboxShareRequest) (*types.QueryInboxShareResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	s, err := q.Keeper.Inbox.Get(ctx, collections.Join3(req.ClientId, req.GrantId, req.RecordId))
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryInboxShareResponse{Share: s}, nil
}

// Inbox lists the shares received under one mirrored grant, by record id.
func (q queryServer) Inbox(ctx context.Context, req *types.QueryInboxRequest) (*types.QueryInboxResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	shares, page, err := query.CollectionPaginate(ctx, q.Keeper.Inbox, pageReq,
		func(_ collections.Triple[string, uint64, uint64], s types.InboxShare) (types.InboxShare, error) {
			return s, nil
		},
		withPrefix(collections.TripleSuperPrefix[string, uint64, uint64](req.ClientId, req.GrantId)))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryInboxResponse{Shares: shares, Pagination: page}, nil
}
