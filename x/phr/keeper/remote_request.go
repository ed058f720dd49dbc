package keeper

// The hospital chain's access requests to patients on peer chains: the
// request is kept here (RemoteRequest) and travels as an AccessRequest
// packet whose requester and key B this module fills from state.

import (
	"context"
	"errors"
	"strconv"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// remotePath is where packets to a peer go: this chain's client of it and,
// for IBC classic, the phr channel over that client ("" for IBC v2).
type remotePath struct {
	ClientID  string
	ChannelID string
}

// RequestRemoteAccess records hospital's request for access to a patient's
// vault on the peer chain that channelID leads to, and queues its
// AccessRequest packet. channelID is an OPEN phr channel whose client is an
// admitted peer or, when no phr channel of that id exists, an admitted
// peer's client id (IBC v2). The scope, purpose and expiry are checked as a
// local request's are (the patient chain checks them again, against its
// own params). The request id is this chain's; a failed send leaves the
// packet queued and never fails the tx.
func (k *Keeper) RequestRemoteAccess(ctx context.Context, hospital types.Requester, channelID string, req types.AccessRequest) (uint64, uint64, error) {
	path, err := k.resolvePath(ctx, channelID)
	if err != nil {
		return 0, 0, err
	}
	if err := types.ValidateVaultName(req.Vault); err != nil {
		return 0, 0, err
	}
	if err := validateScope(req.Scope); err != nil {
		return 0, 0, err
	}
	if len(req.Purpose) == 0 || len(req.Purpose) > maxPurposeLen {
		return 0, 0, errorsmod.Wrapf(types.ErrInvalidScope, "purpose must be 1-%d bytes", maxPurposeLen)
	}
	if err := k.checkExpiry(ctx, req.Expiry); err != nil {
		return 0, 0, err
	}
	id, err := k.RemoteRequestSeq.Next(ctx)
	if err != nil {
		return 0, 0, err
	}
	id++
	r := types.RemoteRequest{
		Id: id, Hospital: hospital.Address.String(), ClientId: path.ClientID, ChannelId: path.ChannelID,
		Patient: req.Patient.String(), Vault: req.Vault, Scope: req.Scope, Purpose: req.Purpose,
		Expiry: req.Expiry.UTC(), Status: types.REMOTE_REQUEST_STATUS_SENT,
		Height: sdk.UnwrapSDKContext(ctx).BlockHeight(), RequesterKey: hospital.Key,
	}
	// stored before the send: the packet is built from it
	if err := k.RemoteRequests.Set(ctx, id, r); err != nil {
		return 0, 0, err
	}
	if _, err := k.auditSuccess(ctx, types.ActionRequestAccess, r.Hospital, r.Patient, remoteRequestObject(id)); err != nil {
		return 0, 0, err
	}
	outboxID, err := k.enqueue(ctx, types.OutboxEntry{
		Kind: types.PACKET_KIND_ACCESS_REQUEST, ClientId: path.ClientID, ChannelId: path.ChannelID,
		ObjectId: remoteRequestObject(id), GrantId: id, Patient: r.Patient, Actor: r.Hospital,
	})
	if err != nil {
		return 0, 0, err
	}
	r, err = k.GetRemoteRequest(ctx, id)
	if err != nil {
		return 0, 0, err
	}
	r.OutboxId = outboxID
	return id, outboxID, k.RemoteRequests.Set(ctx, id, r)
}

// resolvePath finds the peer behind id: a phr channel (OPEN, phr on both
// ends, the phr version, over an admitted peer's client) or, if no phr
// channel has that id, an admitted peer's client id for IBC v2.
func (k *Keeper) resolvePath(ctx context.Context, id string) (remotePath, error) {
	if id == "" {
		return remotePath{}, errorsmod.Wrap(types.ErrNoChannel, "a phr channel id or a peer's client id is required")
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	if k.ibc.channels != nil {
		if ch, ok := k.ibc.channels.GetChannel(sdkCtx, types.PortID, id); ok {
			if ch.State != channeltypes.OPEN || ch.Counterparty.PortId != types.PortID || ch.Version != types.Version {
				return remotePath{}, errorsmod.Wrapf(types.ErrNoChannel, "phr channel %s is %s (counterparty port %q, version %q)",
					id, ch.State, ch.Counterparty.PortId, ch.Version)
			}
			clientID, _, err := k.ibc.channels.GetChannelClientState(sdkCtx, types.PortID, id)
			if err != nil {
				return remotePath{}, errorsmod.Wrapf(types.ErrNoChannel, "phr channel %s: %v", id, err)
			}
			if _, err := k.CheckPeer(ctx, clientID); err != nil {
				return remotePath{}, err
			}
			return remotePath{ClientID: clientID, ChannelID: id}, nil
		}
	}
	if _, err := k.GetPeer(ctx, id); err != nil {
		return remotePath{}, errorsmod.Wrapf(types.ErrNoChannel, "%q is neither a phr channel nor an admitted peer's client", id)
	}
	if _, err := k.CheckPeer(ctx, id); err != nil {
		return remotePath{}, err
	}
	return remotePath{ClientID: id}, nil
}

// GetRemoteRequest returns a hospital's request to a peer chain, or
// ErrRemoteRequestNotFound.
func (k *Keeper) GetRemoteRequest(ctx context.Context, id uint64) (types.RemoteRequest, error) {
	r, err := k.RemoteRequests.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return r, errorsmod.Wrapf(types.ErrRemoteRequestNotFound, "%d", id)
	}
	return r, err
}

// accessRequestPacket builds the AccessRequest of outbox entry e from the
// stored request: the requester is the hospital that signed it and B is the
// key its member record held then, never anything a user typed in.
func (k *Keeper) accessRequestPacket(ctx context.Context, e *types.OutboxEntry) (*types.PacketData, error) {
	r, err := k.GetRemoteRequest(ctx, e.GrantId)
	if err != nil {
		return nil, err
	}
	if r.ClientId != e.ClientId || r.ChannelId != e.ChannelId {
		return nil, errorsmod.Wrapf(types.ErrInvalidPacket, "request %d is over %s/%s, the outbox entry over %s/%s",
			r.Id, r.ClientId, r.ChannelId, e.ClientId, e.ChannelId)
	}
	return &types.PacketData{Body: &types.PacketData_AccessRequest{AccessRequest: &types.AccessRequestPacket{
		RequestId: r.Id, Requester: r.Hospital, RequesterKey: r.RequesterKey, Patient: r.Patient, Vault: r.Vault,
		Scope: r.Scope, Purpose: r.Purpose, Expiry: r.Expiry,
	}}}, nil
}

// onAccessRequestOutcome moves the request on: accepted with the patient
// chain's grant id, refused with the error ack's codespace/code, or timed
// out. A GrantDecision that overtook the ack has already accepted it; the ack
// must then name the same grant.
func (k *Keeper) onAccessRequestOutcome(ctx context.Context, e types.OutboxEntry, out types.PacketOutcome) error {
	r, err := k.GetRemoteRequest(ctx, e.GrantId)
	if err != nil {
		return err
	}
	switch {
	case r.Status == types.REMOTE_REQUEST_STATUS_ACCEPTED && out.Ack != nil && out.Ack.GrantId == r.GrantId:
		return nil // the decision came first
	case r.Status != types.REMOTE_REQUEST_STATUS_SENT:
		return errorsmod.Wrapf(types.ErrGrantState, "request %d is %s; outcome %+v ignored", r.Id, r.Status, out)
	case out.Timeout:
		r.Status = types.REMOTE_REQUEST_STATUS_TIMED_OUT
	case out.Ack == nil:
		r.Status, r.Error = types.REMOTE_REQUEST_STATUS_REFUSED, out.Error
	case out.Ack.GrantId == 0:
		return errorsmod.Wrapf(types.ErrInvalidPacket, "request %d: ack without a grant id", r.Id)
	default:
		r.Status, r.GrantId = types.REMOTE_REQUEST_STATUS_ACCEPTED, out.Ack.GrantId
	}
	return k.RemoteRequests.Set(ctx, r.Id, r)
}

// remoteRequestObject names a request to a peer in the audit log and the outbox.
func remoteRequestObject(id uint64) string { return "remote-request/" + strconv.FormatUint(id, 10) }

// remoteGrantObject names a mirrored grant in this chain's audit log: the
// peer's grant id is only unique per client.
func remoteGrantObject(clientID string, grantID uint64) string {
	return "remote-grant/" + clientID + "/" + strconv.FormatUint(grantID, 10)
}
