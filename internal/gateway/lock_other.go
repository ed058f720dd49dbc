//go:build !unix

package gateway

// Lock is a no-op where flock(2) is missing: run one gateway per spool.
func (s *Spool) Lock() (unlock func(), err error) { return func() {}, nil }
