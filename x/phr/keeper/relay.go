package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/types"
)

// OnRecvPacket handles a phr packet that IBC core proved came from origin:
// the client must be an admitted peer that still tracks its chain id, the
// data must decode strictly, and the packet kind's handler validates it in
// full before it changes any state. The ack carries the receiver's audit
// entry hash. An error becomes an error ack, and IBC core discards every
// write the handler made.
func (k *Keeper) OnRecvPacket(ctx context.Context, origin types.PacketOrigin, data []byte) (*types.PacketAck, error) {
	peer, err := k.CheckPeer(ctx, origin.ClientID)
	if err != nil {
		return nil, err
	}
	origin.ChainID = peer.ChainId
	d, err := types.DecodePacketData(data)
	if err != nil {
		return nil, err
	}
	switch body := d.Body.(type) {
	case *types.PacketData_AccessRequest:
		return k.recvAccessRequest(ctx, origin, d.SenderAuditHash, body.AccessRequest)
	case *types.PacketData_GrantDecision:
		return k.recvGrantDecision(ctx, origin, d.SenderAuditHash, body.GrantDecision)
	case *types.PacketData_Fetch:
		return k.recvFetch(ctx, origin, d.SenderAuditHash, body.Fetch)
	case *types.PacketData_Share:
		return k.recvShare(ctx, origin, d.SenderAuditHash, body.Share)
	}
	return nil, errorsmod.Wrap(types.ErrInvalidPacket, "unknown packet body")
}
