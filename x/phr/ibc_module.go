package phr

import (
	"bytes"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	connectiontypes "github.com/cosmos/ibc-go/v11/modules/core/03-connection/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	porttypes "github.com/cosmos/ibc-go/v11/modules/core/05-port/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"

	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

var _ porttypes.IBCModule = IBCModule{}

// ChannelReader is the part of IBC core's channel keeper the handshake and
// packet callbacks read: the connection under a channel being opened (its
// client names the peer) and the client under an open channel.
type ChannelReader interface {
	GetConnection(ctx sdk.Context, connectionID string) (connectiontypes.ConnectionEnd, error)
	GetChannelClientState(ctx sdk.Context, portID, channelID string) (string, ibcexported.ClientState, error)
}

// IBCModule is phr over IBC classic: channels phr<->phr, UNORDERED, version
// medexchain-phr-1 exactly, to admitted peers only. Packets go to the
// keeper; acks are synchronous.
type IBCModule struct {
	keeper   *keeper.Keeper
	channels ChannelReader
}

// NewIBCModule is phr's IBC classic module over k; channels is IBC core's
// channel keeper.
func NewIBCModule(k *keeper.Keeper, channels ChannelReader) IBCModule {
	return IBCModule{keeper: k, channels: channels}
}

// checkChannel is what Init and Try share: phr's own port exactly (the port
// router falls back to substring matching, so "xphrx" reaches this module),
// the counterparty's port phr, UNORDERED (a timeout would close an ORDERED
// channel), and a connection whose client is an admitted peer.
func (im IBCModule) checkChannel(ctx sdk.Context, order channeltypes.Order, connectionHops []string, portID string, counterparty channeltypes.Counterparty) (string, error) {
	if portID != types.PortID {
		return "", errorsmod.Wrapf(types.ErrInvalidPort, "port %q", portID)
	}
	if counterparty.PortId != types.PortID {
		return "", errorsmod.Wrapf(types.ErrInvalidPort, "counterparty port %q", counterparty.PortId)
	}
	if order != channeltypes.UNORDERED {
		return "", errorsmod.Wrapf(types.ErrInvalidOrdering, "%s", order)
	}
	if len(connectionHops) != 1 {
		return "", errorsmod.Wrapf(types.ErrPeerNotAdmitted, "%d connection hops, phr channels have 1", len(connectionHops))
	}
	conn, err := im.channels.GetConnection(ctx, connectionHops[0])
	if err != nil {
		return "", errorsmod.Wrapf(types.ErrPeerNotAdmitted, "connection %q: %v", connectionHops[0], err)
	}
	if _, err := im.keeper.CheckPeer(ctx, conn.ClientId); err != nil {
		return "", err
	}
	return conn.ClientId, nil
}

// channelPeer is the admitted peer under an existing phr channel.
func (im IBCModule) channelPeer(ctx sdk.Context, portID, channelID string) (string, error) {
	if portID != types.PortID {
		return "", errorsmod.Wrapf(types.ErrInvalidPort, "port %q", portID)
	}
	clientID, _, err := im.channels.GetChannelClientState(ctx, portID, channelID)
	if err != nil {
		return "", errorsmod.Wrapf(types.ErrPeerNotAdmitted, "channel %q: %v", channelID, err)
	}
	if _, err := im.keeper.CheckPeer(ctx, clientID); err != nil {
		return "", err
	}
	return clientID, nil
}

// OnChanOpenInit accepts an empty version (and proposes medexchain-phr-1)
// or exactly medexchain-phr-1.
func (im IBCModule) OnChanOpenInit(ctx sdk.Context, order channeltypes.Order, connectionHops []string, portID string,
	_ string, counterparty channeltypes.Counterparty, version string,
) (string, error) {
	if _, err := im.checkChannel(ctx, order, connectionHops, portID, counterparty); err != nil {
		return "", err
	}
	if version == "" {
		return types.Version, nil
	}
	if version != types.Version {
		return "", errorsmod.Wrapf(types.ErrInvalidVersion, "%q", version)
	}
	return version, nil
}

// OnChanOpenTry accepts exactly medexchain-phr-1 and never counter-proposes:
// a counterparty speaking another version gets a refusal.
func (im IBCModule) OnChanOpenTry(ctx sdk.Context, order channeltypes.Order, connectionHops []string, portID, _ string,
	counterparty channeltypes.Counterparty, counterpartyVersion string,
) (string, error) {
	if _, err := im.checkChannel(ctx, order, connectionHops, portID, counterparty); err != nil {
		return "", err
	}
	if counterpartyVersion != types.Version {
		return "", errorsmod.Wrapf(types.ErrInvalidVersion, "counterparty version %q", counterpartyVersion)
	}
	return types.Version, nil
}

// OnChanOpenAck checks the version the counterparty's Try chose (a
// transfer-style app proposes its own there) and records the channel as the
// peer's phr channel.
func (im IBCModule) OnChanOpenAck(ctx sdk.Context, portID, channelID string, _ string, counterpartyVersion string) error {
	if counterpartyVersion != types.Version {
		return errorsmod.Wrapf(types.ErrInvalidVersion, "counterparty version %q", counterpartyVersion)
	}
	clientID, err := im.channelPeer(ctx, portID, channelID)
	if err != nil {
		return err
	}
	return im.keeper.SetPeerChannel(ctx, clientID, channelID)
}

// OnChanOpenConfirm records the channel as the peer's phr channel.
func (im IBCModule) OnChanOpenConfirm(ctx sdk.Context, portID, channelID string) error {
	clientID, err := im.channelPeer(ctx, portID, channelID)
	if err != nil {
		return err
	}
	return im.keeper.SetPeerChannel(ctx, clientID, channelID)
}

// OnChanCloseInit always refuses: grants, fetches and shares in flight rely
// on the channel, and no user may close it.
func (IBCModule) OnChanCloseInit(sdk.Context, string, string) error {
	return errorsmod.Wrap(types.ErrChannelClose, "phr channels stay open")
}

// OnChanCloseConfirm lets the channel close when the counterparty closed
// it (phr cannot stop that); packets on it then time out on close.
func (IBCModule) OnChanCloseConfirm(sdk.Context, string, string) error { return nil }

// OnRecvPacket hands the packet to the keeper with its proven origin (this
// chain's client of the sender and its phr channel). The success ack carries
// the PacketAck; a refusal is an error ack with the error's codespace and
// code only (its message is not deterministic).
func (im IBCModule) OnRecvPacket(ctx sdk.Context, channelVersion string, packet channeltypes.Packet, _ sdk.AccAddress) ibcexported.Acknowledgement {
	ack, err := im.recv(ctx, channelVersion, packet)
	if err != nil {
		ctx.Logger().Info("phr: refused packet", "channel", packet.DestinationChannel, "sequence", packet.Sequence, "error", err)
		return channeltypes.NewErrorAcknowledgementWithCodespace(err)
	}
	return channeltypes.NewResultAcknowledgement(ack)
}

func (im IBCModule) recv(ctx sdk.Context, channelVersion string, packet channeltypes.Packet) ([]byte, error) {
	if channelVersion != types.Version {
		return nil, errorsmod.Wrapf(types.ErrInvalidVersion, "channel version %q", channelVersion)
	}
	if packet.DestinationPort != types.PortID || packet.SourcePort != types.PortID {
		return nil, errorsmod.Wrapf(types.ErrInvalidPort, "ports %q -> %q", packet.SourcePort, packet.DestinationPort)
	}
	clientID, _, err := im.channels.GetChannelClientState(ctx, packet.DestinationPort, packet.DestinationChannel)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrPeerNotAdmitted, "channel %q: %v", packet.DestinationChannel, err)
	}
	origin := types.PacketOrigin{ClientID: clientID, ChannelID: packet.DestinationChannel, Sequence: packet.Sequence}
	ack, err := im.keeper.OnRecvPacket(ctx, origin, packet.Data)
	if err != nil {
		return nil, err
	}
	return types.EncodePacketAck(ack)
}

// OnAcknowledgementPacket reports the ack to the keeper. It never fails for
// an application-level condition (that would revert the relayer's tx and
// strand the packet): an ack that does not decode is an error outcome.
func (im IBCModule) OnAcknowledgementPacket(ctx sdk.Context, _ string, packet channeltypes.Packet, acknowledgement []byte, _ sdk.AccAddress) error {
	return im.keeper.OnPacketOutcome(ctx, packet.SourceChannel, packet.Sequence, DecodeAck(acknowledgement))
}

// DecodeAck is the outcome an IBC classic ack stands for: its PacketAck for
// a result that decodes strictly, the ack's error string for an error ack,
// and an error outcome for anything else.
func DecodeAck(acknowledgement []byte) types.PacketOutcome {
	var ack channeltypes.Acknowledgement
	if err := channeltypes.SubModuleCdc.UnmarshalJSON(acknowledgement, &ack); err != nil {
		return types.PacketOutcome{Error: "undecodable ack"}
	}
	if !bytes.Equal(channeltypes.SubModuleCdc.MustMarshalJSON(&ack), acknowledgement) || ack.ValidateBasic() != nil {
		return types.PacketOutcome{Error: "non-canonical ack"}
	}
	switch resp := ack.Response.(type) {
	case *channeltypes.Acknowledgement_Result:
		a, err := types.DecodePacketAck(resp.Result)
		if err != nil {
			return types.PacketOutcome{Error: "invalid phr ack"}
		}
		return types.PacketOutcome{Ack: a}
	case *channeltypes.Acknowledgement_Error:
		return types.PacketOutcome{Error: resp.Error}
	}
	return types.PacketOutcome{Error: "undecodable ack"}
}

// OnTimeoutPacket reports the timeout to the keeper.
func (im IBCModule) OnTimeoutPacket(ctx sdk.Context, _ string, packet channeltypes.Packet, _ sdk.AccAddress) error {
	return im.keeper.OnPacketOutcome(ctx, packet.SourceChannel, packet.Sequence, types.PacketOutcome{Timeout: true})
}

// SetICS4Wrapper makes wrapper (the middleware above phr) the keeper's
// IBC classic sender.
func (im IBCModule) SetICS4Wrapper(wrapper porttypes.ICS4Wrapper) {
	if wrapper == nil {
		panic("phr: nil ICS4Wrapper")
	}
	im.keeper.SetPacketSender(wrapper)
}
