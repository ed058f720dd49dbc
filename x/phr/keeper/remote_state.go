package keeper

import (
	"cosmossdk.io/collections"
	"cosmossdk.io/collections/indexes"

	"github.com/cosmos/cosmos-sdk/codec"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// RemoteRequestIndexes lists a hospital's requests to peers.
type RemoteRequestIndexes struct {
	ByHospital *indexes.Multi[sdk.AccAddress, uint64, types.RemoteRequest]
}

// IndexesList implements collections.Indexes.
func (i RemoteRequestIndexes) IndexesList() []collections.Index[uint64, types.RemoteRequest] {
	return []collections.Index[uint64, types.RemoteRequest]{i.ByHospital}
}

// RemoteGrantIndexes lists a hospital's mirrored grants.
type RemoteGrantIndexes struct {
	ByHospital *indexes.Multi[sdk.AccAddress, collections.Pair[string, uint64], types.RemoteGrant]
}

// IndexesList implements collections.Indexes.
func (i RemoteGrantIndexes) IndexesList() []collections.Index[collections.Pair[string, uint64], types.RemoteGrant] {
	return []collections.Index[collections.Pair[string, uint64], types.RemoteGrant]{i.ByHospital}
}

func (k *Keeper) initRemoteState(sb *collections.SchemaBuilder) {
	hospital := func(addr string) (sdk.AccAddress, error) {
		bz, err := k.addressCodec.StringToBytes(addr)
		return bz, err
	}
	k.RemoteRequests = collections.NewIndexedMap(sb, types.RemoteRequestsKey, "remote_requests", collections.Uint64Key,
		codec.CollValue[types.RemoteRequest](k.cdc), RemoteRequestIndexes{
			ByHospital: indexes.NewMulti(sb, types.RemoteRequestsByHospitalKey, "remote_requests_by_hospital",
				sdk.AccAddressKey, collections.Uint64Key,
				func(_ uint64, r types.RemoteRequest) (sdk.AccAddress, error) { return hospital(r.Hospital) }),
		})
	k.RemoteRequestSeq = collections.NewSequence(sb, types.RemoteRequestSeqKey, "remote_request_seq")
	grantKey := collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)
	k.RemoteGrants = collections.NewIndexedMap(sb, types.RemoteGrantsKey, "remote_grants", grantKey,
		codec.CollValue[types.RemoteGrant](k.cdc), RemoteGrantIndexes{
			ByHospital: indexes.NewMulti(sb, types.RemoteGrantsByHospitalKey, "remote_grants_by_hospital",
				sdk.AccAddressKey, grantKey,
				func(_ collections.Pair[string, uint64], g types.RemoteGrant) (sdk.AccAddress, error) {
					return hospital(g.Hospital)
				}),
		})
	k.Inbox = collections.NewMap(sb, types.InboxKey, "inbox",
		collections.TripleKeyCodec(collections.StringKey, collections.Uint64Key, collections.Uint64Key),
		codec.CollValue[types.InboxShare](k.cdc))
}
