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

// notFound maps a keeper's not-found errors to gRPC NotFound, others pass.
func notFound(err error) error {
	for _, nf := range []error{types.ErrVaultNotFound, types.ErrDeviceNotFound, types.ErrRecordNotFound,
		types.ErrGrantNotFound, types.ErrTaskNotFound, types.ErrShareNotFound, types.ErrRemoteRequestNotFound,
		types.ErrRemoteGrantNotFound, types.ErrOutboxNotFound, collections.ErrNotFound} {
		if errors.Is(err, nf) {
			return status.Error(codes.NotFound, err.Error())
		}
	}
	return err
}

func (q queryServer) VaultEpoch(ctx context.Context, req *types.QueryVaultEpochRequest) (*types.QueryVaultEpochResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	patient, err := q.queryAddress("patient", req.Patient)
	if err != nil {
		return nil, err
	}
	key, err := q.VaultEpochs.Get(ctx, collections.Join3(patient, req.Vault, req.Epoch))
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryVaultEpochResponse{Key: key}, nil
}

func (q queryServer) Device(ctx context.Context, req *types.QueryDeviceRequest) (*types.QueryDeviceResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	d, err := q.GetDevice(ctx, req.Id)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryDeviceResponse{Device: d}, nil
}

func (q queryServer) DevicesByPatient(ctx context.Context, req *types.QueryDevicesByPatientRequest) (*types.QueryDevicesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	patient, err := q.queryAddress("patient", req.Patient)
	if err != nil {
		return nil, err
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	devices, page, err := query.CollectionPaginate(ctx, q.Keeper.DevicesByPatient, pageReq,
		func(k collections.Pair[sdk.AccAddress, string], _ collections.NoValue) (types.Device, error) {
			return q.GetDevice(ctx, k.K2())
		}, query.WithCollectionPaginationPairPrefix[sdk.AccAddress, string](patient))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryDevicesResponse{Devices: devices, Pagination: page}, nil
}

func (q queryServer) Record(ctx context.Context, req *types.QueryRecordRequest) (*types.QueryRecordResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	r, err := q.GetRecord(ctx, req.Id)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryRecordResponse{Record: r}, nil
}

// RecordHead is Record without the body: what a proxy answering a task
// reads (the capsules), without the body's bytes.
func (q queryServer) RecordHead(ctx context.Context, req *types.QueryRecordHeadRequest) (*types.QueryRecordResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	r, err := q.recordHead(ctx, req.Id)
	if err != nil {
		return nil, notFound(err)
	}
	return &types.QueryRecordResponse{Record: r}, nil
}

func (q queryServer) RecordsByPatient(ctx context.Context, req *types.QueryRecordsByPatientRequest) (*types.QueryRecordsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	patient, err := q.queryAddress("patient", req.Patient)
	if err != nil {
		return nil, err
	}
	pageReq, err := limitPage(req.Pagination)
	if err != nil {
		return nil, err
	}
	// Keys are (patient, vault, id): one vault's records are a prefix, and
	// all of them come grouped by vault.
	prefix := collections.TriplePrefix[sdk.AccAddress, string, uint64](patient)
	if req.Vault != "" {
		prefix = collections.TripleSuperPrefix[sdk.AccAddress, string, uint64](patient, req.Vault)
	}
	records, page, err := query.CollectionPaginate(ctx, q.Records.Indexes.ByPatient.KeySet, pageReq,
		func(k patientVaultID, _ collections.NoValue) (types.Record, error) { return q.GetRecord(ctx, k.K3()) },
		withPrefix(prefix))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryRecordsResponse{Records: records, Pagination: page}, nil
}
