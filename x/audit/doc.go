// Package audit is the append-only, hash-chained audit log of medexchain: every
// phr action appends an entry, indexed by patient and by actor, and anyone can
// recompute the chain of hashes (docs/audit.md).
package audit
