// Package types holds the audit module's messages, entries and their canonical
// hash, params, genesis, errors and store prefixes.
package types
