package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/medexchain/medexchain/x/phr/types"
)

// Placeholder until the hospital chain's side lands: its queries answer Unimplemented.

func (q queryServer) RemoteRequest(context.Context, *types.QueryRemoteRequestRequest) (*types.QueryRemoteRequestResponse, error) {
	return nil, status.Error(codes.Unimplemented, "not yet")
}

func (q queryServer) RemoteRequestsByHospital(context.Context, *types.QueryRemoteRequestsByHospitalRequest) (*types.QueryRemoteRequestsResponse, error) {
	return nil, status.Error(codes.Unimplemented, "not yet")
}

func (q queryServer) RemoteGrant(context.Context, *types.QueryRemoteGrantRequest) (*types.QueryRemoteGrantResponse, error) {
	return nil, status.Error(codes.Unimplemented, "not yet")
}

func (q queryServer) RemoteGrantsByHospital(context.Context, *types.QueryRemoteGrantsByHospitalRequest) (*types.QueryRemoteGrantsResponse, error) {
	return nil, status.Error(codes.Unimplemented, "not yet")
}

func (q queryServer) InboxShare(context.Context, *types.QueryInboxShareRequest) (*types.QueryInboxShareResponse, error) {
	return nil, status.Error(codes.Unimplemented, "not yet")
}

func (q queryServer) Inbox(context.Context, *types.QueryInboxRequest) (*types.QueryInboxResponse, error) {
	return nil, status.Error(codes.Unimplemented, "not yet")
}
