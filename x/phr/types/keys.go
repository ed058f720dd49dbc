package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the phr module's name, store key and router key.
	ModuleName = "phr"
	// StoreKey is the phr module's KV store key.
	StoreKey = ModuleName
)

// Collection prefixes; each names one collection in keeper.Keeper. A prefix is
// never reused: 9, 12-16, 19, 20 and 22 held hand-maintained indexes that the
// IndexedMaps' indexes below replaced.
var (
	ParamsKey      = collections.NewPrefix(0)
	PatientsKey    = collections.NewPrefix(1)
	VaultsKey      = collections.NewPrefix(2)
	MembersKey     = collections.NewPrefix(3)
	VaultEpochsKey = collections.NewPrefix(4)
	DevicesKey     = collections.NewPrefix(5)
	// DevicesByPatientKey: (patient, device id).
	DevicesByPatientKey = collections.NewPrefix(6)
	// RecordsKey: records without their bodies (metadata and capsules).
	RecordsKey   = collections.NewPrefix(7)
	RecordSeqKey = collections.NewPrefix(8)
	GrantsKey    = collections.NewPrefix(10)
	GrantSeqKey  = collections.NewPrefix(11)
	TasksKey     = collections.NewPrefix(17)
	TaskSeqKey   = collections.NewPrefix(18)
	// SharesKey: (grant, record).
	SharesKey = collections.NewPrefix(21)
	// RecordBodiesKey: record id -> body.
	RecordBodiesKey = collections.NewPrefix(23)
	// RecordsByPatientKey: (patient, vault, record id).
	RecordsByPatientKey = collections.NewPrefix(24)
	// GrantsByPatientKey, GrantsByRequesterKey, GrantsByProxyKey: (address, status, grant id).
	GrantsByPatientKey   = collections.NewPrefix(25)
	GrantsByRequesterKey = collections.NewPrefix(26)
	GrantsByProxyKey     = collections.NewPrefix(27)
	// RequestQueueKey: (requested expiry in unix ns, grant id) of open requests.
	RequestQueueKey = collections.NewPrefix(28)
	// GrantQueueKey: (expiry in unix ns, grant id) of granted grants.
	GrantQueueKey = collections.NewPrefix(29)
	// PendingTasksKey: (proxy, task id) of open tasks the proxy has not answered.
	PendingTasksKey = collections.NewPrefix(30)
	// TaskQueueKey: (deadline height, task id) of open tasks.
	TaskQueueKey = collections.NewPrefix(31)
)

// Audit actions written by this module.
const (
	ActionRegisterPatient  = "phr/register-patient"
	ActionAdmitMember      = "phr/admit-member"
	ActionRemoveMember     = "phr/remove-member"
	ActionUpdateMemberKey  = "phr/update-member-key"
	ActionRotateVaultKey   = "phr/rotate-vault-key"
	ActionRegisterDevice   = "phr/register-device"
	ActionDeactivateDevice = "phr/deactivate-device"
	ActionUploadRecord     = "phr/upload-record"
	ActionRequestAccess    = "phr/request-access"
	ActionGrantAccess      = "phr/grant-access"
	ActionDenyAccess       = "phr/deny-access"
	ActionRevokeAccess     = "phr/revoke-access"
	ActionExpireGrant      = "phr/expire-grant"
	ActionFetchRecords     = "phr/fetch-records"
	ActionAnswerTask       = "phr/answer-task"
	ActionShareRecord      = "phr/share-record"
	ActionExpireTask       = "phr/expire-task"
)
