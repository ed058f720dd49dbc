package types

import (
	"context"
	"crypto/sha256"
	"encoding/binary"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Firewalled carries, within one tx, what the chain firewall (app/ante, and the
// IBC receive path) checked and produced, to the msg servers: the capsules to
// store for an upload, the decoded grant and its verification keys, the E_i of
// verified answers. A msg server refuses a message the firewall has not seen
// (ErrNotFirewalled), so a path that skips the ante handler cannot skip the
// checks.
type Firewalled struct {
	records map[[32]byte][][]byte
	grants  map[[32]byte]VerifiedGrant
	answers map[[32]byte][]byte
}

// VerifiedGrant is a decoded, validated key grant.
type VerifiedGrant struct {
	Threshold uint32
	// Proxies are raw account addresses, in fragment order.
	Proxies [][]byte
	// VerificationKeys are V_i per proxy, same order.
	VerificationKeys [][]byte
}

func NewFirewalled() *Firewalled {
	return &Firewalled{
		records: map[[32]byte][][]byte{},
		grants:  map[[32]byte]VerifiedGrant{},
		answers: map[[32]byte][]byte{},
	}
}

func digest(parts ...[]byte) [32]byte {
	h := sha256.New()
	for _, p := range parts {
		_ = binary.Write(h, binary.BigEndian, uint32(len(p)))
		h.Write(p)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// PutRecord records the capsules to store for an upload whose submitted
// capsules and body are given.
func (f *Firewalled) PutRecord(msg *MsgUploadRecord, stored [][]byte) {
	f.records[recordKey(msg)] = stored
}

// Record returns the capsules to store for msg.
func (f *Firewalled) Record(msg *MsgUploadRecord) ([][]byte, bool) {
	c, ok := f.records[recordKey(msg)]
	return c, ok
}

func recordKey(msg *MsgUploadRecord) [32]byte {
	parts := append([][]byte{[]byte(msg.Gateway), []byte(msg.DeviceId), u64(msg.Epoch), msg.Body}, msg.Capsules...)
	return digest(parts...)
}

func (f *Firewalled) PutGrant(msg *MsgGrantAccess, g VerifiedGrant) { f.grants[grantKey(msg)] = g }

func (f *Firewalled) Grant(msg *MsgGrantAccess) (VerifiedGrant, bool) {
	g, ok := f.grants[grantKey(msg)]
	return g, ok
}

func grantKey(msg *MsgGrantAccess) [32]byte {
	return digest([]byte(msg.Patient), u64(msg.GrantId), msg.KeyGrant)
}

// PutAnswer records the E_i of an answer whose proof verified.
func (f *Firewalled) PutAnswer(proxy string, a AnswerSubmission, ei []byte) {
	f.answers[answerKey(proxy, a)] = ei
}

func (f *Firewalled) Answer(proxy string, a AnswerSubmission) ([]byte, bool) {
	ei, ok := f.answers[answerKey(proxy, a)]
	return ei, ok
}

func answerKey(proxy string, a AnswerSubmission) [32]byte {
	return digest([]byte(proxy), u64(a.TaskId), a.Answer)
}

type firewalledKey struct{}

// WithFirewalled attaches f to the context the msg servers will receive.
func WithFirewalled(ctx sdk.Context, f *Firewalled) sdk.Context {
	return ctx.WithValue(firewalledKey{}, f)
}

// FirewalledFrom returns the firewall results attached to ctx.
func FirewalledFrom(ctx context.Context) (*Firewalled, bool) {
	f, ok := sdk.UnwrapSDKContext(ctx).Value(firewalledKey{}).(*Firewalled)
	return f, ok
}
