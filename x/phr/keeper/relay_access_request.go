package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// recvAccessRequest opens a request from a peer's hospital: the same checks
// as a local RequestAccess (checkRequest) on the packet's patient, vault,
// scope, purpose and expiry, after the packet's own: a bounded requester
// address, a canonical requester key B (the peer's phr module put its
// hospital's registered key in the proven packet), the peer's request id not
// seen before from this client. All of it before the first write. The grant
// names the remote identity and carries B; the ack carries its id.
func (k *Keeper) recvAccessRequest(ctx context.Context, origin types.PacketOrigin, senderHash []byte, p *types.AccessRequestPacket) (*types.PacketAck, error) {
	if err := types.ValidateRemoteAddress(p.Requester); err != nil {
		return nil, err
	}
	if p.RequestId == 0 {
		return nil, errorsmod.Wrap(types.ErrInvalidPacket, "request_id 0")
	}
	sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas(types.GasDecodeElement, "phr/decode-requester-key")
	if _, err := keys.DecodeRequesterPublicKey(p.RequesterKey); err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidMemberKey, "requester key: %v", err)
	}
	patient, err := k.parseAddress("patient", p.Patient)
	if err != nil {
		return nil, err
	}
	req := types.AccessRequest{Patient: patient, Vault: p.Vault, Scope: p.Scope, Purpose: p.Purpose, Expiry: p.Expiry}
	v, err := k.checkRequest(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := k.checkRequestUnseen(ctx, origin.ClientID, p.RequestId); err != nil {
		return nil, err
	}

	remote := &types.RemoteRequester{ClientId: origin.ClientID, ChannelId: origin.ChannelID, Address: p.Requester,
		ChainId: origin.ChainID, RequestId: p.RequestId}
	g, err := k.openRequest(ctx, v, remote.Identity(), p.RequesterKey, remote, req)
	if err != nil {
		return nil, err
	}
	hash, err := k.auditIBC(ctx, types.ActionRecvAccessRequest, g.Requester, g.Patient, grantObject(g.Id),
		originCounterparty(origin, senderHash), audittypes.OUTCOME_SUCCESS)
	if err != nil {
		return nil, err
	}
	return &types.PacketAck{ReceiverAuditHash: hash, GrantId: g.Id}, nil
}

// checkRequestUnseen refuses a request id the peer over clientID already
// sent: IBC core drops a packet relayed twice, but the same request under a
// new sequence is the application's to refuse.
func (k *Keeper) checkRequestUnseen(ctx context.Context, clientID string, requestID uint64) error {
	seen, err := k.Grants.Indexes.RemoteRequest.Has(ctx, collections.Join(clientID, requestID))
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return err
	}
	if seen {
		return errorsmod.Wrapf(types.ErrInvalidPacket, "request %d from client %s was already received", requestID, clientID)
	}
	return nil
}
