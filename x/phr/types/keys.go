package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the phr module's name, store key and router key.
	ModuleName = "phr"
	StoreKey   = ModuleName
)

// Collection prefixes; each names one collection in keeper.Keeper.
var (
	ParamsKey            = collections.NewPrefix(0)
	PatientsKey          = collections.NewPrefix(1)
	VaultsKey            = collections.NewPrefix(2)
	MembersKey           = collections.NewPrefix(3)
	VaultEpochsKey       = collections.NewPrefix(4)
	DevicesKey           = collections.NewPrefix(5)
	DevicesByPatientKey  = collections.NewPrefix(6)
	RecordsKey           = collections.NewPrefix(7)
	RecordSeqKey         = collections.NewPrefix(8)
	RecordsByPatientKey  = collections.NewPrefix(9)
	GrantsKey            = collections.NewPrefix(10)
	GrantSeqKey          = collections.NewPrefix(11)
	GrantsByPatientKey   = collections.NewPrefix(12)
	GrantsByRequesterKey = collections.NewPrefix(13)
	GrantsByProxyKey     = collections.NewPrefix(14)
	GrantsByExpiryKey    = collections.NewPrefix(15)
	FetchedKey           = collections.NewPrefix(16)
	TasksKey             = collections.NewPrefix(17)
	TaskSeqKey           = collections.NewPrefix(18)
	OpenTasksKey         = collections.NewPrefix(19)
	TasksByDeadlineKey   = collections.NewPrefix(20)
	SharesKey            = collections.NewPrefix(21)
	OpenTasksByGrantKey  = collections.NewPrefix(22)
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
