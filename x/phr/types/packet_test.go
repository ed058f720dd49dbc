package types_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/x/phr/types"
)

func fetchData() *types.PacketData {
	return &types.PacketData{SenderAuditHash: bytes.Repeat([]byte{1}, 32),
		Body: &types.PacketData_Fetch{Fetch: &types.FetchPacket{GrantId: 3, Requester: "medex1x", RecordIds: []uint64{7, 8}}}}
}

// DecodePacketData accepts exactly the canonical encoding of one body with
// a 32-byte sender hash, and refuses everything else with ErrInvalidPacket.
func TestDecodePacketDataStrict(t *testing.T) {
	good, err := types.EncodePacketData(fetchData())
	require.NoError(t, err)
	d, err := types.DecodePacketData(good)
	require.NoError(t, err)
	require.Equal(t, fetchData(), d)
	require.Equal(t, types.PACKET_KIND_FETCH, d.Kind())

	share, err := types.EncodePacketData(&types.PacketData{SenderAuditHash: bytes.Repeat([]byte{1}, 32),
		Body: &types.PacketData_Share{Share: &types.SharePacket{GrantId: 3, RecordId: 7}}})
	require.NoError(t, err)
	shareBody := share[34:] // after field 1 (tag, length 32, hash)

	noHash, err := types.EncodePacketData(&types.PacketData{Body: fetchData().Body})
	require.NoError(t, err)
	shortHash, err := types.EncodePacketData(&types.PacketData{SenderAuditHash: []byte{1}, Body: fetchData().Body})
	require.NoError(t, err)
	noBody, err := types.EncodePacketData(&types.PacketData{SenderAuditHash: bytes.Repeat([]byte{1}, 32)})
	require.NoError(t, err)

	for name, bz := range map[string][]byte{
		"empty":                {},
		"unknown field":        append(bytes.Clone(good), 0x78, 0x01), // field 15, varint 1
		"trailing bytes":       append(bytes.Clone(good), 0x00),
		"truncated":            good[:len(good)-1],
		"two bodies":           append(bytes.Clone(good), shareBody...),
		"the body twice":       append(bytes.Clone(good), good[34:]...),
		"hash repeated":        append(bytes.Clone(good[:34]), good...),
		"no sender hash":       noHash,
		"short sender hash":    shortHash,
		"no body":              noBody,
		"over the payload cap": make([]byte, types.MaxPacketDataBytes+1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := types.DecodePacketData(bz)
			require.ErrorIs(t, err, types.ErrInvalidPacket)
		})
	}
}

// DecodePacketAck is as strict: the canonical encoding with a 32-byte
// receiver hash.
func TestDecodePacketAckStrict(t *testing.T) {
	ack := &types.PacketAck{ReceiverAuditHash: bytes.Repeat([]byte{2}, 32), TaskIds: []uint64{1, 2}, AlreadyComplete: []uint64{5}}
	good, err := types.EncodePacketAck(ack)
	require.NoError(t, err)
	got, err := types.DecodePacketAck(good)
	require.NoError(t, err)
	require.Equal(t, ack, got)
	short, err := types.EncodePacketAck(&types.PacketAck{ReceiverAuditHash: []byte{2}})
	require.NoError(t, err)
	for name, bz := range map[string][]byte{
		"unknown field":  append(bytes.Clone(good), 0x78, 0x01),
		"trailing bytes": append(bytes.Clone(good), 0x00),
		"short hash":     short,
		"empty":          {},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := types.DecodePacketAck(bz)
			require.ErrorIs(t, err, types.ErrInvalidPacket)
		})
	}
}
