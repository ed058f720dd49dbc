package pre

import (
	"fmt"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// FirstLevelSize is E' ‖ F ‖ X.
const FirstLevelSize = 3 * group.ElementSize

// FirstLevel is a re-encrypted capsule for one requester:
// (E', F, X) = (E^{a/d}, M·A^r, g^x).
type FirstLevel struct {
	EPrime, F, X *group.Element
}

// NewFirstLevel assembles the first-level capsule of capsule c from the
// combined E' and the grant's X.
func NewFirstLevel(c *Capsule, EPrime, X *group.Element) *FirstLevel {
	return &FirstLevel{EPrime: EPrime.Copy(), F: c.F.Copy(), X: X.Copy()}
}

// Bytes is E' ‖ F ‖ X (96 bytes).
func (fl *FirstLevel) Bytes() []byte {
	b := make([]byte, 0, FirstLevelSize)
	b = append(b, fl.EPrime.Bytes()...)
	b = append(b, fl.F.Bytes()...)
	return append(b, fl.X.Bytes()...)
}

// DecodeFirstLevel decodes strictly (96 bytes, canonical, no identity).
func DecodeFirstLevel(b []byte) (*FirstLevel, error) {
	if len(b) != FirstLevelSize {
		return nil, fmt.Errorf("first-level capsule: %w", group.ErrMalformed)
	}
	var p [3]*group.Element
	for i := range p {
		e, err := group.DecodeElement(b[32*i : 32*(i+1)])
		if err != nil {
			return nil, fmt.Errorf("first-level capsule: %w", err)
		}
		p[i] = e
	}
	return &FirstLevel{EPrime: p[0], F: p[1], X: p[2]}, nil
}

// Rerandomize returns (E'·C_0^s, F·A^s, X), a first-level capsule of the
// same M for the same requester, with randomness r+s:
//
//	(E'·C_0^s)^d = g^{(r+s)a} = A^{r+s}, and F·A^s = M·A^{r+s}.
//
// It needs only public values: C_0 = g^{a/d} (the grant's first
// commitment) and A. Who does not know d (or a) cannot link input and
// output: that would decide whether (C_0, A, E”/E', F”/F) is a DDH tuple
// of base C_0 and exponent d. X is unchanged (it is per grant, and needed to
// derive d).
func (fl *FirstLevel) Rerandomize(C0, A *group.Element, s *group.Scalar) *FirstLevel {
	cs := new(group.Element).Mul(C0, s)
	as := new(group.Element).Mul(A, s)
	return &FirstLevel{EPrime: cs.Add(cs, fl.EPrime), F: as.Add(as, fl.F), X: fl.X.Copy()}
}
