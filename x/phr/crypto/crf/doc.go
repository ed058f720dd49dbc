// Package crf is medexchain's cryptographic reverse firewall
// (docs/crypto.md §3.3, §3.4).
//
// Edge firewall (the gateway, with real randomness, before anything is
// public): EdgeFirewall accepts exactly one device capsule and a
// bucket-sized body, rerandomizes the capsule (E, F) → (E·g^s, F·A^s), adds
// a masking capsule for a fresh M' whose keystream it XORs into the body,
// and attaches public metadata that the gateway sets itself (time truncated
// to the minute, registered device id, vault, epoch, FHIR resource type),
// never copied from the device. The published record has exactly two
// capsules.
//
// Chain firewall (the chain's ante handler): ValidatePublished checks a
// submitted record (exactly two canonical non-identity capsules, a
// bucket-sized body); ChainRerandomize rerandomizes the capsules with
// s = H2S("chain-rerand", header hash, tx hash, msg index, capsule index),
// deterministic so every validator stores the same bytes. This is input
// sanitization only: s is public, so it gives no unlinkability and no
// exfiltration resistance against anyone who reads blocks.
package crf

import "errors"

// NumCapsules is the number of capsules of a published record.
const NumCapsules = 2

// Errors (wrapping group sentinels where a decoding failed).
var (
	// ErrDeviceOutput: the device's output is not exactly one capsule and a
	// bucket-sized body.
	ErrDeviceOutput = errors.New("medexchain/crf: device output refused")
	// ErrRecord: a published record is not exactly two canonical
	// non-identity capsules and a bucket-sized body.
	ErrRecord = errors.New("medexchain/crf: invalid published record")
	// ErrPublicMeta: public metadata the gateway supplied is invalid.
	ErrPublicMeta = errors.New("medexchain/crf: invalid public metadata")
)
