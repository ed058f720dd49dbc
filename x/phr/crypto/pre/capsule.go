package pre

import (
	"fmt"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// CapsuleSize is the encoded size of a Capsule: E ‖ F.
const CapsuleSize = 2 * group.ElementSize

// Capsule is a second-level capsule (E, F) = (g^r, M·A^r).
type Capsule struct {
	E, F *group.Element
}

// Bytes is E ‖ F (64 bytes).
func (c *Capsule) Bytes() []byte {
	b := make([]byte, 0, CapsuleSize)
	b = append(b, c.E.Bytes()...)
	return append(b, c.F.Bytes()...)
}

// DecodeCapsule decodes E ‖ F strictly (64 bytes, canonical, neither the
// identity).
func DecodeCapsule(b []byte) (*Capsule, error) {
	if len(b) != CapsuleSize {
		return nil, fmt.Errorf("capsule: %w", group.ErrMalformed)
	}
	E, err := group.DecodeElement(b[:32])
	if err != nil {
		return nil, fmt.Errorf("capsule E: %w", err)
	}
	F, err := group.DecodeElement(b[32:])
	if err != nil {
		return nil, fmt.Errorf("capsule F: %w", err)
	}
	return &Capsule{E: E, F: F}, nil
}

// Rerandomize returns (E·g^s, F·A^s): an encryption of the same M under the
// same A with randomness r+s. Whoever knows neither s nor a cannot link the
// result to the input (DDH), unless s is public (the chain firewall).
func (c *Capsule) Rerandomize(A *group.Element, s *group.Scalar) *Capsule {
	gs := new(group.Element).BaseMul(s)
	As := new(group.Element).Mul(A, s)
	return &Capsule{E: gs.Add(gs, c.E), F: As.Add(As, c.F)}
}

// Equal reports whether both points are equal.
func (c *Capsule) Equal(o *Capsule) bool { return c.E.Equal(o.E) && c.F.Equal(o.F) }

// DecodeCapsuleEs decodes strictly the first element E of each encoded
// capsule (64 bytes each), the part a re-encryption answer is computed and
// verified on, in capsule order.
func DecodeCapsuleEs(capsules [][]byte) ([]*group.Element, error) {
	out := make([]*group.Element, len(capsules))
	for j, b := range capsules {
		if len(b) != CapsuleSize {
			return nil, fmt.Errorf("capsule %d: %w", j, group.ErrMalformed)
		}
		E, err := group.DecodeElement(b[:group.ElementSize])
		if err != nil {
			return nil, fmt.Errorf("capsule %d E: %w", j, err)
		}
		out[j] = E
	}
	return out, nil
}
