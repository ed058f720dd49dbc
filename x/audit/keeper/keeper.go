package keeper

import (
	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/medexchain/medexchain/x/audit/types"
)

// Keeper owns the append-only audit log. Other modules write to it only through
// Append; nothing edits or deletes an entry.
type Keeper struct {
	cdc       codec.BinaryCodec
	authority string

	Schema    collections.Schema
	Params    collections.Item[types.Params]
	Entries   collections.Map[uint64, types.Entry]
	LastSeq   collections.Sequence
	ByPatient collections.KeySet[collections.Pair[string, uint64]]
	ByActor   collections.KeySet[collections.Pair[string, uint64]]
}

// NewKeeper builds the keeper; authority is the account allowed to update params
// (the governance module account).
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, authority string) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:       cdc,
		authority: authority,
		Params:    collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Entries:   collections.NewMap(sb, types.EntriesKey, "entries", collections.Uint64Key, codec.CollValue[types.Entry](cdc)),
		LastSeq:   collections.NewSequence(sb, types.SequenceKey, "last_sequence"),
		ByPatient: collections.NewKeySet(sb, types.ByPatientKey, "by_patient", collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
		ByActor:   collections.NewKeySet(sb, types.ByActorKey, "by_actor", collections.PairKeyCodec(collections.StringKey, collections.Uint64Key)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Authority is the account allowed to update params.
func (k Keeper) Authority() string { return k.authority }
