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
func (e Entry) CanonicalBytes() []byte { return e.appendCanonical(nil) }

// appendCanonical appends CanonicalBytes to b (without a buffer of its own:
// verifying a million entries hashes a million of them).
func (e *Entry) appendCanonical(b []byte) []byte {
	b = appendString(b, hashDomain)
	b = appendBytes(b, e.PrevHash)
	b = binary.BigEndian.AppendUint64(b, e.Sequence)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Height))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Time.Unix()))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Time.Nanosecond()))
	for _, s := range [...]string{
		e.ChainId, e.Action, e.Actor, e.Patient, e.ObjectId,
		e.Counterparty.ClientId, e.Counterparty.ChannelId, e.Counterparty.ChainId,
	} {
		b = appendString(b, s)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(e.Outcome))
	return appendBytes(b, e.Counterparty.EntryHash)
}

func appendBytes(b, v []byte) []byte {
	return append(binary.BigEndian.AppendUint32(b, uint32(len(v))), v...)
}

func appendString(b []byte, s string) []byte {
	return append(binary.BigEndian.AppendUint32(b, uint32(len(s))), s...)
}

// ComputeHash is SHA-256 over CanonicalBytes.
func (e Entry) ComputeHash() []byte {
	var buf [512]byte // an entry's bytes fit, so no allocation
	h := sha256.Sum256(e.appendCanonical(buf[:0]))
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
