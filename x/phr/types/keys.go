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

	// Cross-chain state. 43-46 are kept for the patient chain's indexes of
	// remote grants, 47-50 for the hospital chain's indexes.
	PeersKey = collections.NewPrefix(32)
	// OutboxKey: outgoing packets by id; OutboxSeqKey numbers them.
	OutboxKey    = collections.NewPrefix(33)
	OutboxSeqKey = collections.NewPrefix(34)
	// OutboxPendingKey: ids of queued entries the end blocker (re)sends.
	OutboxPendingKey = collections.NewPrefix(35)
	// OutboxInFlightKey: (channel or client, sequence) -> entry id of sent packets.
	OutboxInFlightKey = collections.NewPrefix(36)
	// RemoteRequestsKey: a hospital's requests to peer chains; RemoteRequestSeqKey numbers them.
	RemoteRequestsKey   = collections.NewPrefix(37)
	RemoteRequestSeqKey = collections.NewPrefix(38)
	// RemoteRequestsByHospitalKey: (hospital, request id).
	RemoteRequestsByHospitalKey = collections.NewPrefix(39)
	// RemoteGrantsKey: (client, grant id) -> mirror of a peer's grant.
	RemoteGrantsKey = collections.NewPrefix(40)
	// RemoteGrantsByHospitalKey: (hospital, client, grant id).
	RemoteGrantsByHospitalKey = collections.NewPrefix(41)
	// InboxKey: (client, grant id, record id) -> a share received from a peer.
	InboxKey = collections.NewPrefix(42)
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

	ActionAdmitPeer  = "phr/admit-peer"
	ActionRemovePeer = "phr/remove-peer"
	// ActionIBCSend: a packet left this chain (object: "<kind>/<object>");
	// the packet carries this entry's hash.
	ActionIBCSend = "phr/ibc-send"
	// ActionIBCReceipt: a success ack came back; its counterparty entry_hash
	// is the receiver's entry.
	ActionIBCReceipt = "phr/ibc-receipt"
	// ActionIBCErrorAck and ActionIBCTimeout: a sent packet was refused by the
	// peer (object ends with the error's codespace/code) or timed out.
	ActionIBCErrorAck = "phr/ibc-error-ack"
	ActionIBCTimeout  = "phr/ibc-timeout"
	// The receiving side's entries; their counterparty entry_hash is the
	// sender's entry, and their hash goes back in the success ack.
	ActionRecvAccessRequest = "phr/ibc-recv-access-request"
	ActionRecvGrantDecision = "phr/ibc-recv-grant-decision"
	ActionRecvFetch         = "phr/ibc-recv-fetch"
	ActionRecvShare         = "phr/ibc-recv-share"
)

// IBC identifiers of the phr application.
const (
	// PortID is the phr port on both ends (checked exactly: ibc-go routes ports by substring).
	PortID = ModuleName
	// Version names the suite medexchain-v1-ristretto255; any other version is refused.
	Version = "medexchain-phr-1"
	// EncodingProtobuf is the only payload encoding of phr over IBC v2.
	EncodingProtobuf = "application/x-protobuf"
)
