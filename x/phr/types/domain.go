package types

import (
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// The keeper's methods take these domain values rather than Msgs, so that the
// msg servers and the IBC packet handlers run the same core; each path parses
// its own wire form into them.

// Requester is who asks for access: the account the grant names and the
// requester key the share will be encrypted to.
type Requester struct {
	Address sdk.AccAddress
	Key     []byte
}

// AccessRequest is what a requester asks of a patient's vault.
type AccessRequest struct {
	Patient sdk.AccAddress
	Vault   string
	Scope   Scope
	Purpose string
	Expiry  time.Time
}

// RecordUpload is an upload's public metadata and body. The capsules travel
// apart: the chain firewall replaces them by their rerandomization.
type RecordUpload struct {
	DeviceID     string
	Epoch        uint64
	Time         time.Time
	ResourceType string
	Body         []byte
}

// AnswerEI is a proxy's answer for one task as the chain firewall leaves it:
// EI holds the verified E_i per capsule of the task's record; Refusal is set
// (ErrProof) when the answer decoded but its proof did not verify, which the
// msg server records as evidence; both are empty when the firewall verified
// nothing for the task.
type AnswerEI struct {
	TaskID  uint64
	EI      [][]byte
	Refusal error
}

// AccessRequest is the domain value of msg.
func (msg *MsgRequestAccess) AccessRequest(patient sdk.AccAddress) AccessRequest {
	return AccessRequest{Patient: patient, Vault: msg.Vault, Scope: msg.Scope, Purpose: msg.Purpose, Expiry: msg.Expiry}
}

// RecordUpload is the domain value of msg.
func (msg *MsgUploadRecord) RecordUpload() RecordUpload {
	return RecordUpload{DeviceID: msg.DeviceId, Epoch: msg.Epoch, Time: msg.Time, ResourceType: msg.ResourceType, Body: msg.Body}
}
