package group

import "errors"

// Sentinel errors shared by every decoder of the suite. Decoders in other
// packages wrap these (errors.Is works), so the chain can map each to one
// registered error.
var (
	// ErrMalformed: wrong length, short input, trailing bytes, a field out
	// of range or an unknown version/kind.
	ErrMalformed = errors.New("medexchain/crypto: malformed encoding")
	// ErrNonCanonical: a scalar ≥ q or a non-canonical ristretto255
	// encoding.
	ErrNonCanonical = errors.New("medexchain/crypto: non-canonical encoding")
	// ErrIdentity: the identity element where a group element is required.
	ErrIdentity = errors.New("medexchain/crypto: identity element")
	// ErrZeroScalar: the zero scalar where a scalar is required.
	ErrZeroScalar = errors.New("medexchain/crypto: zero scalar")
)
