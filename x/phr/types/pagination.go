package types

// Bounds of every phr list query's page, so that one query's work is bounded
// whatever the size of the chain's history.
const (
	// MaxPageLimit is the most entries one page holds; a larger (or zero)
	// pagination.limit is lowered to it, and next_key says where to go on.
	MaxPageLimit = 100
	// MaxPageOffset bounds offset pagination, which walks every entry it
	// skips; key pagination (next_key) has no bound.
	MaxPageOffset = 1000
)
