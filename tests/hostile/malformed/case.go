package malformed

import (
	"errors"
	"fmt"
	"io"
	"time"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"

	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Role names an account of the Story that signs a case.
type Role string

// The story's accounts.
const (
	Admin    Role = "admin"    // the admission authority
	Patient  Role = "patient"  // owns the vault, the device and the grants
	Gateway  Role = "gateway"  // the device's gateway
	Hospital Role = "hospital" // the requester of the grants
	Proxy1   Role = "proxy1"   // proxies 1-3: the committee of both grants
	Proxy2   Role = "proxy2"
	Proxy3   Role = "proxy3"
	Proxy4   Role = "proxy4"   // admitted after the grants: on no task's committee
	Stranger Role = "stranger" // funded, in no role
)

// Roles lists every role a case may be signed by.
var Roles = []Role{Admin, Patient, Gateway, Hospital, Proxy1, Proxy2, Proxy3, Proxy4, Stranger}

// Stage is where a case's tx is expected to end.
type Stage string

const (
	// AtCheck is refused by CheckTx (never in a block, no fee).
	AtCheck Stage = "CheckTx"
	// InBlock is accepted by CheckTx and executed in a block (refused there
	// after its fee, or accepted).
	InBlock Stage = "block"
	// AtRPC is refused by the node's RPC server before the app sees it (no
	// ABCI code: an HTTP-level refusal).
	AtRPC Stage = "rpc"
)

// Expect is what the chain must do with a case.
type Expect struct {
	Stage Stage
	// Err is the registered error of the refusal; nil: the tx is accepted.
	Err *errorsmod.Error
	// Or are other registered errors that are equally right (a replayed
	// tx: still in the node's cache, or its sequence already used).
	Or []*errorsmod.Error
	// Cause, if set, is the decoder sentinel (group.ErrNonCanonical, ...)
	// whose text the refusal's log must carry: the registered error says
	// which object, the cause how it is malformed.
	Cause error
	// Audit lists the audit entries an accepted tx appends (action and
	// outcome, in order); nothing else of the audit log may change.
	Audit []AuditEntry
}

// AuditEntry is one expected audit entry.
type AuditEntry struct {
	Action, Outcome string
}

// Allows reports whether the registered error got is one the case expects.
func (e Expect) Allows(got *errorsmod.Error) bool {
	if e.Err == nil || got == nil {
		return e.Err == nil && got == nil
	}
	for _, w := range append([]*errorsmod.Error{e.Err}, e.Or...) {
		if w.Codespace() == got.Codespace() && w.ABCICode() == got.ABCICode() {
			return true
		}
	}
	return false
}

// Object is the kind of crypto object a case's malformed bytes claim to
// be, so that a test can decode them with the chain's own decoder.
type Object string

// The decoded objects (see Decode).
const (
	ObjElement   Object = "ristretto255 element"
	ObjCapsule   Object = "capsule"
	ObjDeviceKey Object = "Ed25519 device key"
	ObjProxyKey  Object = "X25519 proxy key"
	ObjKeyGrant  Object = "key grant"
	ObjAnswer    Object = "answer"
)

// Case is one hostile tx.
type Case struct {
	Family, Name string
	Signer       Role
	Msgs         []sdk.Msg
	// Gas is the tx's gas limit (DefaultGas if 0).
	Gas uint64
	// EditBody, if set, edits the encoded TxBody before it is signed (the
	// signature covers the edit): faults the tx builder cannot express.
	EditBody func(body []byte) []byte
	// Rewrite, if set, turns the signed tx bytes into the bytes sent.
	Rewrite func(signed []byte) []byte
	// Object, Bytes and Claim: the malformed object the case carries and
	// the decoder sentinel Decode(Object, Bytes) must return (checked by
	// the package's test without a node; empty Object: nothing to decode).
	Object Object
	Bytes  []byte
	Claim  error
	Want   Expect
}

// DefaultGas is enough for any phr message the cases carry.
const DefaultGas = 2_000_000

// Signer signs a tx of msgs with gas limit gas, passing its encoded body
// through editBody (if not nil) before signing it.
type Signer func(msgs []sdk.Msg, gas uint64, editBody func([]byte) []byte) ([]byte, error)

// Encode signs the case's messages with sign and applies its rewrite: the
// bytes to broadcast.
func (c Case) Encode(sign Signer) ([]byte, error) {
	gas := c.Gas
	if gas == 0 {
		gas = DefaultGas
	}
	bz, err := sign(c.Msgs, gas, c.EditBody)
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %w", c.Family, c.Name, err)
	}
	if c.Rewrite != nil {
		bz = c.Rewrite(bz)
	}
	return bz, nil
}

// Resign edits the body of signed, a SIGN_MODE_DIRECT tx of one signer
// with account number accNum, and signs the new sign doc with signDoc: a
// Signer's editBody step over a tx its builder signed.
func Resign(signed []byte, chainID string, accNum uint64, edit func([]byte) []byte, signDoc func([]byte) ([]byte, error)) ([]byte, error) {
	var raw txtypes.TxRaw
	if err := raw.Unmarshal(signed); err != nil {
		return nil, err
	}
	raw.BodyBytes = edit(raw.BodyBytes)
	doc, err := (&txtypes.SignDoc{BodyBytes: raw.BodyBytes, AuthInfoBytes: raw.AuthInfoBytes, ChainId: chainID, AccountNumber: accNum}).Marshal()
	if err != nil {
		return nil, err
	}
	sig, err := signDoc(doc)
	if err != nil {
		return nil, err
	}
	raw.Signatures = [][]byte{sig}
	return raw.Marshal()
}

// Story is the on-chain state the cases attack, set up by the caller
// (tests/hostile does it on a fresh node).
type Story struct {
	ChainID, Denom string
	Addr           map[Role]sdk.AccAddress

	Vault        string
	VaultKey     *keys.VaultSecretKey
	RequesterKey *keys.RequesterSecretKey
	DeviceID     string
	DeviceKey    *keys.DeviceSecretKey
	// ProxyKeys of Proxy1..Proxy4.
	ProxyKeys map[Role]*keys.ProxySecretKey
	// Committee is today's admitted proxies, in the chain's order, with
	// their keys (what a grant must be made for).
	Committee []pre.ProxyRecipient

	// Requests are open access requests (REQUESTED) of the hospital: the
	// grant cases answer the first; an accepted case takes one of its own
	// (see Cases).
	Requests []uint64
	// Grant is an active 2-of-3 grant (Proxy1-3) with open Tasks; Proxy1
	// has answered Answered (committed), its task still open.
	Grant    uint64
	Tasks    []types.Task
	Answered *types.MsgSubmitAnswers
	// Other is a second active grant (Proxy1-3) with open tasks.
	Other      uint64
	OtherTasks []types.Task
	// TaskE is, per task, the E of each capsule of its record, as stored.
	TaskE map[uint64][][]byte
	// KeyGrants are the key grants of Grant and Other.
	KeyGrants map[uint64]*pre.Grant
	// AnsweredTx is the signed tx that carried Answered.
	AnsweredTx []byte

	// Upload is an honest upload committed in the setup and UploadTx the
	// signed tx that carried it.
	Upload   *types.MsgUploadRecord
	UploadTx []byte
	// Now is a block time of the chain (uploads' and grants' times).
	Now time.Time
}

// AcceptedRequests is how many of Story.Requests Cases consumes beyond the
// first (cases the chain accepts take one each).
const AcceptedRequests = 2

// Cases builds every case against s; rnd feeds the families that draw
// random bytes (the keys, grants and answers inside a case come from
// crypto/rand).
func Cases(s *Story, rnd io.Reader) ([]Case, error) {
	var out []Case
	for _, family := range []func(*Story, io.Reader) ([]Case, error){registryCases, targetCases, uploadCases, grantCases, answerCases, rawCases, multiCases, ibcCases} {
		cs, err := family(s, rnd)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// ErrAny as a Case's Claim: Decode must fail, with any error (bytes
// whose failure depends on how the decoder reads past the fault).
var ErrAny = errors.New("malformed: any decoding error")

// errNoBytes is a builder that could not draw invalid bytes.
var errNoBytes = errors.New("malformed: no invalid encoding drawn")
