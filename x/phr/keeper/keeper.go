package keeper

import (
	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"
	corestore "cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

type (
	addrKey   = sdk.AccAddress
	pairAddrU = collections.Pair[sdk.AccAddress, uint64]
)

// Keeper owns the phr state: the registry (patients, vaults and their epochs,
// devices, members), the records, and the access machinery (grants, tasks,
// shares) with the indexes its queries and end blocker walk.
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

	Records          collections.Map[uint64, types.Record]
	RecordSeq        collections.Sequence
	RecordsByPatient collections.KeySet[pairAddrU]

	Grants            collections.Map[uint64, types.Grant]
	GrantSeq          collections.Sequence
	GrantsByPatient   collections.KeySet[pairAddrU]
	GrantsByRequester collections.KeySet[pairAddrU]
	GrantsByProxy     collections.KeySet[pairAddrU]
	// GrantsByExpiry holds open requests by requested expiry and granted grants
	// by expiry (unix seconds), for the end blocker; see expiryKey.
	GrantsByExpiry collections.KeySet[collections.Pair[int64, uint64]]
	// Fetched marks (grant, record) pairs already fetched.
	Fetched collections.KeySet[collections.Pair[uint64, uint64]]

	Tasks     collections.Map[uint64, types.Task]
	TaskSeq   collections.Sequence
	OpenTasks collections.KeySet[uint64]
	// OpenTasksByGrant lets revocation and expiry close a grant's tasks
	// without walking every open task.
	OpenTasksByGrant collections.KeySet[collections.Pair[uint64, uint64]]
	TasksByDeadline  collections.KeySet[collections.Pair[int64, uint64]]
	// Shares are keyed by (grant, record).
	Shares collections.Map[collections.Pair[uint64, uint64], types.Share]
}

// NewKeeper builds the keeper; authority (the governance module account) may
// always update params and admit members.
func NewKeeper(cdc codec.BinaryCodec, storeService corestore.KVStoreService, addressCodec address.Codec, authority string, audit types.AuditKeeper) *Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	addrU64 := collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key)
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

		Records:          collections.NewMap(sb, types.RecordsKey, "records", collections.Uint64Key, codec.CollValue[types.Record](cdc)),
		RecordSeq:        collections.NewSequence(sb, types.RecordSeqKey, "record_seq"),
		RecordsByPatient: collections.NewKeySet(sb, types.RecordsByPatientKey, "records_by_patient", addrU64),

		Grants:            collections.NewMap(sb, types.GrantsKey, "grants", collections.Uint64Key, codec.CollValue[types.Grant](cdc)),
		GrantSeq:          collections.NewSequence(sb, types.GrantSeqKey, "grant_seq"),
		GrantsByPatient:   collections.NewKeySet(sb, types.GrantsByPatientKey, "grants_by_patient", addrU64),
		GrantsByRequester: collections.NewKeySet(sb, types.GrantsByRequesterKey, "grants_by_requester", addrU64),
		GrantsByProxy:     collections.NewKeySet(sb, types.GrantsByProxyKey, "grants_by_proxy", addrU64),
		GrantsByExpiry: collections.NewKeySet(sb, types.GrantsByExpiryKey, "grants_by_expiry",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		Fetched: collections.NewKeySet(sb, types.FetchedKey, "fetched",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key)),

		Tasks:     collections.NewMap(sb, types.TasksKey, "tasks", collections.Uint64Key, codec.CollValue[types.Task](cdc)),
		TaskSeq:   collections.NewSequence(sb, types.TaskSeqKey, "task_seq"),
		OpenTasks: collections.NewKeySet(sb, types.OpenTasksKey, "open_tasks", collections.Uint64Key),
		OpenTasksByGrant: collections.NewKeySet(sb, types.OpenTasksByGrantKey, "open_tasks_by_grant",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key)),
		TasksByDeadline: collections.NewKeySet(sb, types.TasksByDeadlineKey, "tasks_by_deadline",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		Shares: collections.NewMap(sb, types.SharesKey, "shares",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.Share](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	return k
}

// Authority is the governance module account.
func (k *Keeper) Authority() string { return k.authority }
