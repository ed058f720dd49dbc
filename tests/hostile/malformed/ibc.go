package malformed

import (
	"io"

	clienttypes "github.com/cosmos/ibc-go/v11/modules/core/02-client/types"
	clienttypesv2 "github.com/cosmos/ibc-go/v11/modules/core/02-client/v2/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// ibcCases: packets to the phr port a relayer could forge (random data, a
// random proof) over a channel and an IBC v2 client that do not exist:
// IBC core refuses them before the phr module sees them (in CheckTx: the
// redundant-relay ante runs the receive).
func ibcCases(s *Story, rnd io.Reader) ([]Case, error) {
	data, proof := make([]byte, 256), make([]byte, 128)
	if _, err := io.ReadFull(rnd, data); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(rnd, proof); err != nil {
		return nil, err
	}
	signer := s.Addr[Stranger].String()
	timeout := uint64(s.Now.Add(3600e9).UnixNano())
	v1 := &channeltypes.MsgRecvPacket{
		Packet: channeltypes.Packet{Sequence: 1, SourcePort: types.PortID, SourceChannel: "channel-7", DestinationPort: types.PortID,
			DestinationChannel: "channel-7", Data: data, TimeoutTimestamp: timeout},
		ProofCommitment: proof, ProofHeight: clienttypes.NewHeight(1, 100), Signer: signer}
	v2 := &channeltypesv2.MsgRecvPacket{
		Packet: channeltypesv2.Packet{Sequence: 1, SourceClient: "07-tendermint-7", DestinationClient: "07-tendermint-7",
			TimeoutTimestamp: uint64(s.Now.Add(3600e9).Unix()),
			Payloads: []channeltypesv2.Payload{{SourcePort: types.PortID, DestinationPort: types.PortID, Version: types.Version,
				Encoding: types.EncodingProtobuf, Value: data}}},
		ProofCommitment: proof, ProofHeight: clienttypes.NewHeight(1, 100), Signer: signer}
	return []Case{
		{Family: "ibc", Name: "recv-packet-no-such-channel", Signer: Stranger, Msgs: msgs(v1),
			Want: Expect{Stage: AtCheck, Err: channeltypes.ErrChannelNotFound}},
		{Family: "ibc", Name: "recv-packet-v2-no-such-client", Signer: Stranger, Msgs: msgs(v2),
			Want: Expect{Stage: AtCheck, Err: clienttypesv2.ErrCounterpartyNotFound}},
	}, nil
}
