// Package keystore is the proxy daemon's fragment store: which grants this
// proxy holds a key fragment for, and the answering logic on top of it.
//
// Fragments are kept in their sealed form (the grant's public encoding,
// whose fragment for this proxy is HPKE-sealed to the proxy key), so a
// file-backed store never writes a fragment k_i in the clear; the opened
// fragment lives only in memory. Deleting a grant (revocation or expiry)
// removes it and leaves a tombstone, so the same grant cannot be re-added
// from chain state by mistake: after Revoke, Answer refuses the grant.
//
// What deletion cannot do (docs/crypto.md): the sealed fragment stays on
// chain, so a later compromise of the proxy's HPKE key still exposes it, and
// nobody can prove a proxy deleted anything.
package keystore

import "errors"

// Errors.
var (
	// ErrNotFound: no fragment for this grant.
	ErrNotFound = errors.New("medexchain/keystore: no fragment for this grant")
	// ErrRevoked: the grant was deleted from this store (revoked or
	// expired); it cannot be added back.
	ErrRevoked = errors.New("medexchain/keystore: grant revoked")
)

// GrantRef names a grant.
type GrantRef struct {
	ChainID string
	GrantID uint64
}
