package keeper

import (
	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

type addrKey = sdk.AccAddress

// Keeper owns the phr state: the registry (patients, vaults and their epochs,
// devices, members), the records, and the access machinery (grants, tasks,
// shares) with the indexes its queries walk and the expiry queues its end
// blocker drains (a bounded number per block).
type Keeper struct {
	cdc          codec.BinaryCodec
	addressCodec address.Codec
	authority    string
	audit        types.AuditKeeper

	Schema      collections.Schema
	Params      collections.Item[types.Params]
	Patients    collections.Map[addrKey, types.Patient]
	Vaults      collections.Map[collections.Pair[addrKey, string], types.Vault]
	VaultEpochs collections.Map[collections.Triple[addrKey, string, uint64], types.VaultEpochKey]
	Members     collections.Map[collections.Pair[addrKey, int32], types.Member]

	Devices          collections.Map[string, types.Device]
	DevicesByPatient collections.KeySet[collections.Pair[addrKey, string]]

	// Records holds each record without its body, which RecordBodies keeps:
	// answering a task or checking a fetch reads the capsules and metadata
	// (a few hundred bytes), never a body of up to max_record_bytes.
	Records      *collections.IndexedMap[uint64, types.Record, RecordIndexes]
	RecordBodies collections.Map[uint64, []byte]
	RecordSeq    collections.Sequence

	Grants   *collections.IndexedMap[uint64, types.Grant, GrantIndexes]
	GrantSeq collections.Sequence

	Tasks   *collections.IndexedMap[uint64, types.Task, TaskIndexes]
	TaskSeq collections.Sequence
	// Shares are keyed by (grant, record); a share exists from the fetch on
	// and marks the record fetched under the grant.
	Shares collections.Map[collections.Pair[uint64, uint64], types.Share]

	// Cross-chain state (docs/design.md, "Cross-chain").
	ibc   ibcDeps
	Peers collections.Map[string, types.Peer]
	// Outbox holds every packet this chain sends; OutboxPending queues
	// (height due, id) of entries to (re)send, OutboxInFlight maps (path,
	// sequence) of a sent packet back to its entry.
	Outbox         collections.Map[uint64, types.OutboxEntry]
	OutboxSeq      collections.Sequence
	OutboxPending  collections.KeySet[collections.Pair[int64, uint64]]
	OutboxInFlight collections.Map[collections.Pair[string, uint64], uint64]

	// The hospital chain's side: its requests to peers, its mirrors of the
	// peers' grants (keyed by client and the peer's grant id) and the shares
	// received (keyed by client, grant id and record id).
	RemoteRequests   *collections.IndexedMap[uint64, types.RemoteRequest, RemoteRequestIndexes]
	RemoteRequestSeq collections.Sequence
	RemoteGrants     *collections.IndexedMap[collections.Pair[string, uint64], types.RemoteGrant, RemoteGrantIndexes]
	Inbox            collections.Map[collections.Triple[string, uint64, uint64], types.InboxShare]
}

// NewKeeper builds the keeper; authority (the governance module account) may
// always update params and admit members.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string, audit types.AuditKeeper) *Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		cdc:          cdc,
		addressCodec: addressCodec,
		authority:    authority,
		audit:        audit,
		Params:       collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		Patients:     collections.NewMap(sb, types.PatientsKey, "patients", sdk.AccAddressKey, codec.CollValue[types.Patient](cdc)),
		Vaults: collections.NewMap(sb, types.VaultsKey, "vaults",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.StringKey), codec.CollValue[types.Vault](cdc)),
		VaultEpochs: collections.NewMap(sb, types.VaultEpochsKey, "vault_epochs",
			collections.TripleKeyCodec(sdk.AccAddressKey, collections.StringKey, collections.Uint64Key), codec.CollValue[types.VaultEpochKey](cdc)),
		Members: collections.NewMap(sb, types.MembersKey, "members",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Int32Key), codec.CollValue[types.Member](cdc)),

		Devices: collections.NewMap(sb, types.DevicesKey, "devices", collections.StringKey, codec.CollValue[types.Device](cdc)),
		DevicesByPatient: collections.NewKeySet(sb, types.DevicesByPatientKey, "devices_by_patient",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.StringKey)),

		Records: collections.NewIndexedMap(sb, types.RecordsKey, "records", collections.Uint64Key,
			codec.CollValue[types.Record](cdc), newRecordIndexes(sb, addressCodec)),
		RecordBodies: collections.NewMap(sb, types.RecordBodiesKey, "record_bodies", collections.Uint64Key, collections.BytesValue),
		RecordSeq:    collections.NewSequence(sb, types.RecordSeqKey, "record_seq"),

		Grants: collections.NewIndexedMap(sb, types.GrantsKey, "grants", collections.Uint64Key,
			codec.CollValue[types.Grant](cdc), newGrantIndexes(sb, addressCodec)),
		GrantSeq: collections.NewSequence(sb, types.GrantSeqKey, "grant_seq"),

		Tasks: collections.NewIndexedMap(sb, types.TasksKey, "tasks", collections.Uint64Key,
			codec.CollValue[types.Task](cdc), newTaskIndexes(sb, addressCodec)),
		TaskSeq: collections.NewSequence(sb, types.TaskSeqKey, "task_seq"),
		Shares: collections.NewMap(sb, types.SharesKey, "shares",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.Share](cdc)),

		Peers:          collections.NewMap(sb, types.PeersKey, "peers", collections.StringKey, codec.CollValue[types.Peer](cdc)),
		Outbox:         collections.NewMap(sb, types.OutboxKey, "outbox", collections.Uint64Key, codec.CollValue[types.OutboxEntry](cdc)),
		OutboxSeq:      collections.NewSequence(sb, types.OutboxSeqKey, "outbox_seq"),
		OutboxPending:  collections.NewKeySet(sb, types.OutboxPendingKey, "outbox_pending", collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		OutboxInFlight: collections.NewMap(sb, types.OutboxInFlightKey, "outbox_in_flight", collections.PairKeyCodec(collections.StringKey, collections.Uint64Key), collections.Uint64Value),
	}
	k.initRemoteState(sb)
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Authority is the governance module account.
func (k *Keeper) Authority() string { return k.authority }
