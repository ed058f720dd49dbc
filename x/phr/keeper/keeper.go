package keeper

import (
	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// Keeper owns the phr registry: patients and their vaults, and the members the
// authority has admitted.
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	authority    string
	audit        types.AuditKeeper

	Schema   collections.Schema
	Params   collections.Item[types.Params]
	Patients collections.Map[sdk.AccAddress, types.Patient]
	Vaults   collections.Map[collections.Pair[sdk.AccAddress, string], types.Vault]
	Members  collections.Map[collections.Pair[sdk.AccAddress, int32], types.Member]
}

// NewKeeper builds the keeper; authority (the governance module account) may
// always update params and admit members.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string, audit types.AuditKeeper) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:          cdc,
		addressCodec: addressCodec,
		authority:    authority,
		audit:        audit,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Patients:     collections.NewMap(sb, types.PatientsKey, "patients", sdk.AccAddressKey, codec.CollValue[types.Patient](cdc)),
		Vaults: collections.NewMap(sb, types.VaultsKey, "vaults",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.StringKey), codec.CollValue[types.Vault](cdc)),
		Members: collections.NewMap(sb, types.MembersKey, "members",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Int32Key), codec.CollValue[types.Member](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Authority is the governance module account.
func (k Keeper) Authority() string { return k.authority }
