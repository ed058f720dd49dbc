// Package v2 is phr over IBC v2: packets between client pairs, with no
// handshake, so every callback checks what a channel handshake would have
// fixed (ports, version, encoding) and that the client is an admitted peer.
package v2

import (
	"bytes"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	"github.com/cosmos/ibc-go/v11/modules/core/api"

	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

var _ api.IBCModule = IBCModule{}

// ErrorAckOutcome is the outcome's error for IBC v2's error ack, which
// carries no reason.
const ErrorAckOutcome = "error ack"

// IBCModule is phr's IBC v2 module over the keeper.
type IBCModule struct {
	keeper *keeper.Keeper
}

// NewIBCModule is phr's IBC v2 module over k.
func NewIBCModule(k *keeper.Keeper) IBCModule { return IBCModule{keeper: k} }

// checkPayload: both ports phr exactly, phr's version and encoding (IBC v2
// negotiates none of them; all are in the packet commitment).
func checkPayload(p channeltypesv2.Payload) error {
	if p.SourcePort != types.PortID || p.DestinationPort != types.PortID {
		return errorsmod.Wrapf(types.ErrInvalidPort, "ports %q -> %q", p.SourcePort, p.DestinationPort)
	}
	if p.Version != types.Version {
		return errorsmod.Wrapf(types.ErrInvalidVersion, "%q", p.Version)
	}
	if p.Encoding != types.EncodingProtobuf {
		return errorsmod.Wrapf(types.ErrInvalidEncoding, "%q", p.Encoding)
	}
	return nil
}

// OnSendPacket accepts only packets the phr keeper sends: MsgSendPacket is
// an ordinary tx message, so without the signer check any user could send
// a phr packet with any content; the module account has no key.
func (im IBCModule) OnSendPacket(ctx sdk.Context, sourceClient, _ string, _ uint64, payload channeltypesv2.Payload, signer sdk.AccAddress) error {
	if err := checkPayload(payload); err != nil {
		return err
	}
	if m := im.keeper.ModuleAddress(); len(m) == 0 || !signer.Equals(m) {
		return errorsmod.Wrapf(types.ErrInvalidSigner, "signer %s", signer)
	}
	_, err := im.keeper.CheckPeer(ctx, sourceClient)
	return err
}

// OnRecvPacket hands the payload to the keeper with its origin (this chain's
// client of the sender). Status is always set: a refusal is IBC v2's
// reason-less error ack, and core discards the keeper's writes.
func (im IBCModule) OnRecvPacket(ctx sdk.Context, _, destinationClient string, sequence uint64, payload channeltypesv2.Payload, _ sdk.AccAddress) channeltypesv2.RecvPacketResult {
	ack, err := im.recv(ctx, destinationClient, sequence, payload)
	if err != nil {
		ctx.Logger().Info("phr: refused IBC v2 packet", "client", destinationClient, "sequence", sequence, "error", err)
		return channeltypesv2.RecvPacketResult{Status: channeltypesv2.PacketStatus_Failure, Acknowledgement: channeltypesv2.ErrorAcknowledgement[:]}
	}
	return channeltypesv2.RecvPacketResult{Status: channeltypesv2.PacketStatus_Success, Acknowledgement: ack}
}

func (im IBCModule) recv(ctx sdk.Context, destinationClient string, sequence uint64, payload channeltypesv2.Payload) ([]byte, error) {
	if err := checkPayload(payload); err != nil {
		return nil, err
	}
	origin := types.PacketOrigin{ClientID: destinationClient, Sequence: sequence}
	ack, err := im.keeper.OnRecvPacket(ctx, origin, payload.Value)
	if err != nil {
		return nil, err
	}
	return types.EncodePacketAck(ack)
}

// OnAcknowledgementPacket reports the ack to the keeper (path: the source
// client). It never fails for an application-level condition, which would
// revert the relayer's tx and strand the packet: a payload that is not
// phr's is ignored (phr's OnSendPacket never let one out), an ack that does
// not decode is an error outcome. The peer is not checked: a packet this
// chain sent must get its outcome even if the peer was removed since.
func (im IBCModule) OnAcknowledgementPacket(ctx sdk.Context, sourceClient, _ string, sequence uint64, acknowledgement []byte, payload channeltypesv2.Payload, _ sdk.AccAddress) error {
	if err := checkPayload(payload); err != nil {
		ctx.Logger().Error("phr: ack of a payload phr did not send", "client", sourceClient, "sequence", sequence, "error", err)
		return nil
	}
	return im.keeper.OnPacketOutcome(ctx, sourceClient, sequence, DecodeAck(acknowledgement))
}

// DecodeAck is the outcome an IBC v2 app ack stands for.
func DecodeAck(acknowledgement []byte) types.PacketOutcome {
	if bytes.Equal(acknowledgement, channeltypesv2.ErrorAcknowledgement[:]) {
		return types.PacketOutcome{Error: ErrorAckOutcome}
	}
	a, err := types.DecodePacketAck(acknowledgement)
	if err != nil {
		return types.PacketOutcome{Error: "invalid phr ack"}
	}
	return types.PacketOutcome{Ack: a}
}

// OnTimeoutPacket reports the timeout to the keeper (path: the source
// client), under the same rules as OnAcknowledgementPacket.
func (im IBCModule) OnTimeoutPacket(ctx sdk.Context, sourceClient, _ string, sequence uint64, payload channeltypesv2.Payload, _ sdk.AccAddress) error {
	if err := checkPayload(payload); err != nil {
		ctx.Logger().Error("phr: timeout of a payload phr did not send", "client", sourceClient, "sequence", sequence, "error", err)
		return nil
	}
	return im.keeper.OnPacketOutcome(ctx, sourceClient, sequence, types.PacketOutcome{Timeout: true})
}
