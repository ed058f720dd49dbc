package types

import errorsmod "cosmossdk.io/errors"

// DefaultMaxQueryLimit keeps one page of entries well under gRPC's message cap.
const DefaultMaxQueryLimit = 200

// DefaultParams are the params of a new chain.
func DefaultParams() Params { return Params{MaxQueryLimit: DefaultMaxQueryLimit} }

// Validate refuses a zero page size.
func (p Params) Validate() error {
	if p.MaxQueryLimit == 0 {
		return errorsmod.Wrap(ErrInvalidParams, "max_query_limit must be positive")
	}
	return nil
}
