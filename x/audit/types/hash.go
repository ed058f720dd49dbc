package types

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	errorsmod "cosmossdk.io/errors"
)

// hashDomain separates audit entry hashes from every other SHA-256 use.
const hashDomain = "medexchain/v1/audit-entry"

// HashSize is the length of Entry.Hash and Entry.PrevHash (the genesis entry's
// PrevHash is empty).
const HashSize = sha256.Size

// CanonicalBytes is the byte string an entry's hash commits to. It is written by
// hand, not taken from protobuf, so that an auditor can recompute it in any
// language from docs/audit.md: every field in order, integers big-endian,
// strings and bytes prefixed with their u32 big-endian length.
func (e Entry) CanonicalBytes() []byte {
	var b bytes.Buffer
	putU64 := func(v uint64) { _ = binary.Write(&b, binary.BigEndian, v) }
	putBytes := func(v []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(v)))
		b.Write(v)
	}
	putBytes([]byte(hashDomain))
	putBytes(e.PrevHash)
	putU64(e.Sequence)
	putU64(uint64(e.Height))
	putU64(uint64(e.Time.Unix()))
	putU64(uint64(e.Time.Nanosecond()))
	for _, s := range []string{
		e.ChainId, e.Action, e.Actor, e.Patient, e.ObjectId,
		e.Counterparty.ClientId, e.Counterparty.ChannelId, e.Counterparty.ChainId,
	} {
		putBytes([]byte(s))
	}
	putU64(uint64(e.Outcome))
	putBytes(e.Counterparty.EntryHash)
	return b.Bytes()
}

// ComputeHash is SHA-256 over CanonicalBytes.
func (e Entry) ComputeHash() []byte {
	h := sha256.Sum256(e.CanonicalBytes())
	return h[:]
}

// VerifyLink checks that e is the successor of prev (nil for the first entry of
// the log) and that its stored hash is the one its content gives.
func VerifyLink(prev *Entry, e Entry) error {
	wantSeq, wantPrev := uint64(1), []byte(nil)
	if prev != nil {
		wantSeq, wantPrev = prev.Sequence+1, prev.Hash
	}
	switch {
	case e.Sequence != wantSeq:
		return errorsmod.Wrapf(ErrBrokenChain, "entry %d: expected sequence %d", e.Sequence, wantSeq)
	case !bytes.Equal(e.PrevHash, wantPrev):
		return errorsmod.Wrapf(ErrBrokenChain, "entry %d: prev_hash %X does not match the hash of entry %d", e.Sequence, e.PrevHash, wantSeq-1)
	case !bytes.Equal(e.Hash, e.ComputeHash()):
		return errorsmod.Wrapf(ErrBrokenChain, "entry %d: stored hash %X is not the hash of its content", e.Sequence, e.Hash)
	}
	return nil
}

// VerifyChain checks a contiguous run of entries. trusted, when not nil, is the
// entry just before entries[0] (a head the auditor already trusts); otherwise the
// run must start at sequence 1. It returns the first broken link.
func VerifyChain(trusted *Entry, entries []Entry) error {
	prev := trusted
	for i := range entries {
		if err := VerifyLink(prev, entries[i]); err != nil {
			return err
		}
		prev = &entries[i]
	}
	return nil
}

// ValidateBasic checks the fields an appender supplies.
func (e Entry) ValidateBasic() error {
	if e.Action == "" {
		return errorsmod.Wrap(ErrInvalidEntry, "action is empty")
	}
	if e.Actor == "" {
		return errorsmod.Wrap(ErrInvalidEntry, "actor is empty")
	}
	if _, ok := Outcome_name[int32(e.Outcome)]; !ok || e.Outcome == OUTCOME_UNSPECIFIED {
		return errorsmod.Wrap(ErrInvalidEntry, fmt.Sprintf("outcome %d is not a known outcome", e.Outcome))
	}
	return nil
}
