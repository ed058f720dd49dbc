package types

import (
	"bytes"

	errorsmod "cosmossdk.io/errors"
)

// MaxPacketDataBytes is ibc-go's cap on a packet's data (v1) or a payload's
// value (v2); a Share carries one record of at most max_record_bytes below it.
const MaxPacketDataBytes = 256 << 10

// EncodePacketData is the wire form of d (protobuf, the one canonical form
// DecodePacketData accepts).
func EncodePacketData(d *PacketData) ([]byte, error) {
	return d.Marshal()
}

// DecodePacketData parses a packet's data strictly: it must be at most
// MaxPacketDataBytes, decode, carry exactly one body, and re-encode to the
// same bytes, which refuses unknown fields, duplicated fields and every
// other non-canonical encoding.
func DecodePacketData(bz []byte) (*PacketData, error) {
	if len(bz) == 0 || len(bz) > MaxPacketDataBytes {
		return nil, errorsmod.Wrapf(ErrInvalidPacket, "%d bytes of data, 1-%d allowed", len(bz), MaxPacketDataBytes)
	}
	var d PacketData
	if err := d.Unmarshal(bz); err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidPacket, "decode: %v", err)
	}
	if d.Body == nil {
		return nil, errorsmod.Wrap(ErrInvalidPacket, "no packet body")
	}
	again, err := d.Marshal()
	if err != nil || !bytes.Equal(again, bz) {
		return nil, errorsmod.Wrap(ErrInvalidPacket, "not the canonical encoding (unknown or repeated fields)")
	}
	if len(d.SenderAuditHash) != 32 {
		return nil, errorsmod.Wrapf(ErrInvalidPacket, "sender_audit_hash of %d bytes, want 32", len(d.SenderAuditHash))
	}
	return &d, nil
}

// Kind is the packet kind of d's body.
func (d *PacketData) Kind() PacketKind {
	switch d.Body.(type) {
	case *PacketData_AccessRequest:
		return PACKET_KIND_ACCESS_REQUEST
	case *PacketData_GrantDecision:
		return PACKET_KIND_GRANT_DECISION
	case *PacketData_Fetch:
		return PACKET_KIND_FETCH
	case *PacketData_Share:
		return PACKET_KIND_SHARE
	}
	return PACKET_KIND_UNSPECIFIED
}

// EncodePacketAck is the wire form of an ack.
func EncodePacketAck(a *PacketAck) ([]byte, error) { return a.Marshal() }

// DecodePacketAck parses a success ack as strictly as DecodePacketData.
func DecodePacketAck(bz []byte) (*PacketAck, error) {
	var a PacketAck
	if err := a.Unmarshal(bz); err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidPacket, "ack: %v", err)
	}
	again, err := a.Marshal()
	if err != nil || !bytes.Equal(again, bz) {
		return nil, errorsmod.Wrap(ErrInvalidPacket, "ack: not the canonical encoding")
	}
	if len(a.ReceiverAuditHash) != 32 {
		return nil, errorsmod.Wrapf(ErrInvalidPacket, "ack: receiver_audit_hash of %d bytes, want 32", len(a.ReceiverAuditHash))
	}
	return &a, nil
}

// PacketOrigin is where a received packet came from, as IBC core proved it:
// this chain's client of the sender, this chain's phr channel (empty for
// IBC v2), the chain id the admitted peer's client tracks, and the sequence.
type PacketOrigin struct {
	ClientID  string
	ChannelID string
	ChainID   string
	Sequence  uint64
}

// PacketOutcome is what became of a packet this chain sent: a success ack,
// an error ack (Error: the codespace/code form, or the raw ack for IBC v2's
// reason-less error), or a timeout.
type PacketOutcome struct {
	Ack     *PacketAck
	Error   string
	Timeout bool
}

// Path is the identifier an outbox entry is sent over: its channel for IBC
// classic, its client for IBC v2.
func (e *OutboxEntry) Path() string {
	if e.ChannelId != "" {
		return e.ChannelId
	}
	return e.ClientId
}
