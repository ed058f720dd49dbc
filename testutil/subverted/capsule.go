package subverted

import (
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// ElementDomain is the KeyedBit domain of one published element read on
// its own (a capsule's E or F, or the body).
const ElementDomain = "element"

// CapsulePart names the capsule point a SteerCapsule device steers.
type CapsulePart int

// The two points of a capsule (E, F) = (g^r, M·A^r).
const (
	PartE CapsulePart = iota
	PartF
)

// String names the part in figures.
func (p CapsulePart) String() string {
	if p == PartE {
		return "E"
	}
	return "F"
}

// DecodeElement is the accomplice's decoder of one published element read
// on its own: the keyed bit of its encoding, no other part mixed in.
func DecodeElement(k Key, enc []byte) uint8 { return KeyedBit(k, ElementDomain, enc) }

// SteerCapsule is a channel in the capsule alone: the device signs once,
// draws M once and keeps it, so its body is exactly the honest body of
// that M, then redraws r until the keyed bit of the chosen point (E = g^r,
// or F = M·A^r) read on its own equals bit. The output decrypts and
// verifies like an honest one. A gateway that only masks the body, or
// adds a layer without rerandomizing the device capsule, publishes that
// point unchanged.
func (d *Device) SteerCapsule(r Reading, part CapsulePart, bit uint8) (ct *pre.Ciphertext, embedded bool, err error) {
	env, err := envelope.Seal(r.Meta, r.Payload, d.Signer)
	if err != nil {
		return nil, false, err
	}
	m, err := group.RandomScalar(d.Rand)
	if err != nil {
		return nil, false, err
	}
	M := new(group.Element).BaseMul(m)
	return Sample(d.Tries, bit, func() (*pre.Ciphertext, error) {
		rr, err := group.RandomScalar(d.Rand)
		if err != nil {
			return nil, err
		}
		return sealWith(d.Vault, env, M, rr), nil
	}, func(ct *pre.Ciphertext) uint8 {
		return DecodeElement(d.Key, CapsulePoint(ct.Capsules[0], part).Bytes())
	})
}

// CapsulePoint returns the point part of capsule c.
func CapsulePoint(c *pre.Capsule, part CapsulePart) *group.Element {
	if part == PartE {
		return c.E
	}
	return c.F
}
