package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/x/phr/types"
)

func (q queryServer) Peers(ctx context.Context, req *types.QueryPeersRequest) (*types.QueryPeersResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	peers, page, err := query.CollectionPaginate(ctx, q.Keeper.Peers, pageReq,
		func(_ string, p types.Peer) (types.Peer, error) { return p, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryPeersResponse{Peers: peers, Pagination: page}, nil
}

func (q queryServer) Peer(ctx context.Context, req *types.QueryPeerRequest) (*types.QueryPeerResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.GetPeer(ctx, req.ClientId)
	if err != nil {
		return nil, status.Error(codes.NotFound, err.Error())
	}
	return &types.QueryPeerResponse{Peer: p}, nil
}

func (q queryServer) OutboxEntry(ctx context.Context, req *types.QueryOutboxEntryRequest) (*types.QueryOutboxEntryResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	e, err := q.Keeper.Outbox.Get(ctx, req.Id)
	if errors.Is(err, collections.ErrNotFound) {
		err = errorsmod.Wrapf(types.ErrOutboxNotFound, "%d", req.Id)
	}
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryOutboxEntryResponse{Entry: e}, nil
}

// Outbox lists every entry by id, or the pending or in-flight ones through
// their indexes; the final statuses have no index (they are history), so
// they are listed unfiltered.
func (q queryServer) Outbox(ctx context.Context, req *types.QueryOutboxRequest) (*types.QueryOutboxResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	get := func(id uint64) (types.OutboxEntry, error) { return q.Keeper.Outbox.Get(ctx, id) }
	var entries []types.OutboxEntry
	var page *query.PageResponse
	switch req.Status {
	case types.OUTBOX_STATUS_UNSPECIFIED:
		entries, page, err = query.CollectionPaginate(ctx, q.Keeper.Outbox, pageReq,
			func(_ uint64, e types.OutboxEntry) (types.OutboxEntry, error) { return e, nil })
	case types.OUTBOX_STATUS_PENDING:
		entries, page, err = query.CollectionPaginate(ctx, q.OutboxPending, pageReq,
			func(k collections.Pair[int64, uint64], _ collections.NoValue) (types.OutboxEntry, error) {
				return get(k.K2())
			})
	case types.OUTBOX_STATUS_IN_FLIGHT:
		entries, page, err = query.CollectionPaginate(ctx, q.OutboxInFlight, pageReq,
			func(_ collections.Pair[string, uint64], id uint64) (types.OutboxEntry, error) { return get(id) })
	default:
		return nil, status.Errorf(codes.InvalidArgument, "status %s has no index: list the outbox unfiltered", req.Status)
	}
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryOutboxResponse{Entries: entries, Pagination: page}, nil
}
