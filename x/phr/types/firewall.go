package types

import (
	"context"
	"crypto/sha256"
	"encoding/binary"

	gogoproto "github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Firewalled carries, within one tx, what the chain firewall (app/ante)
// checked and produced to the msg servers: the capsules to store for an
// upload, the decoded grant and its verification keys, the E_i of verified
// answers and the refusals of answers whose proof failed. Results are keyed
// by a digest of the whole message, so a field added to a message is
// covered without a change here. A msg server refuses a message the
// firewall produced nothing for (ErrNotFirewalled) after its own stateful
// checks, so a path that skips the ante handler cannot skip the checks.
type Firewalled struct {
	// results holds one queue per message digest: two identical messages in
	// one tx each get their own result, in message order (the order the msg
	// servers run in).
	results map[[32]byte][]Sanitized
}

// Sanitized is what the chain firewall produced for one message; the field of
// the message's type is set, or Refusal.
type Sanitized struct {
	// Capsules of an upload, to store (rerandomized in block execution).
	Capsules [][]byte
	// Grant is a key grant decoded, with its verification keys.
	Grant *VerifiedGrant
	// Answers holds, per answer of a batch, the verified E_i per capsule or
	// the refusal of its proof (AnswerEI.Refusal), or neither for a task that
	// was no longer answerable when the firewall ran.
	Answers []AnswerEI
	// Refusal is, in block execution only, a refusal that depends on state:
	// the msg server returns it, after the fee was taken.
	Refusal error
}

// VerifiedGrant is a decoded, validated key grant.
type VerifiedGrant struct {
	Threshold uint32
	// Proxies are raw account addresses, in fragment order.
	Proxies [][]byte
	// VerificationKeys are V_i per proxy, same order.
	VerificationKeys [][]byte
}

// NewFirewalled is an empty hand-off for one tx.
func NewFirewalled() *Firewalled {
	return &Firewalled{results: map[[32]byte][]Sanitized{}}
}

// MsgDigest is SHA-256 over the message's type URL and its deterministic
// protobuf encoding (gogoproto marshals fields in number order; phr messages
// have no maps), both length-prefixed.
func MsgDigest(msg sdk.Msg) ([32]byte, error) {
	bz, err := gogoproto.Marshal(msg)
	if err != nil {
		return [32]byte{}, err
	}
	h := sha256.New()
	for _, p := range [][]byte{[]byte(sdk.MsgTypeURL(msg)), bz} {
		_ = binary.Write(h, binary.BigEndian, uint32(len(p)))
		h.Write(p)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out, nil
}

// Put records the result for msg.
func (f *Firewalled) Put(msg sdk.Msg, s Sanitized) error {
	d, err := MsgDigest(msg)
	if err != nil {
		return err
	}
	f.results[d] = append(f.results[d], s)
	return nil
}

// Take hands out the oldest result recorded for msg, once.
func (f *Firewalled) Take(msg sdk.Msg) (Sanitized, bool) {
	if f == nil {
		return Sanitized{}, false
	}
	d, err := MsgDigest(msg)
	if err != nil {
		return Sanitized{}, false
	}
	q := f.results[d]
	if len(q) == 0 {
		return Sanitized{}, false
	}
	f.results[d] = q[1:]
	return q[0], true
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

// TakeFirewalled hands out the result the firewall recorded for msg in ctx.
func TakeFirewalled(ctx context.Context, msg sdk.Msg) (Sanitized, bool) {
	f, _ := FirewalledFrom(ctx)
	return f.Take(msg)
}
