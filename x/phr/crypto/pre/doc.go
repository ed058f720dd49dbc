// Package pre is the medexchain threshold proxy re-encryption scheme on
// ristretto255 (docs/crypto.md §3–§5):
//
//   - second-level encryption by the device: capsule (E, F) = (g^r, M·A^r)
//     for a fresh M = g^m, body = envelope ⊕ ChaCha20(HKDF(enc(M)));
//   - records with several capsules (the body is XORed with every capsule's
//     keystream) and all-or-nothing decryption by the vault owner;
//   - grants: t-of-n Feldman-committed fragments of a/d, sealed to proxies
//     with HPKE, where d binds the grant to the requester's key;
//   - proxy answers E_i = E^{k_i} with DLEQ proofs (circl/zk/dleq), a fast
//     verifier working from the public commitments, Lagrange combination
//     into first-level capsules (E', F, X), their public rerandomization,
//     and requester decryption.
//
// Every byte layout and size is listed in docs/crypto.md. No Cosmos
// imports: the chain calls in with plain values.
package pre

import "errors"

// Errors. Decoding errors wrap the group sentinels (group.ErrMalformed,
// ErrNonCanonical, ErrIdentity, ErrZeroScalar).
var (
	// ErrDecrypt is the single error of every decryption failure (owner or
	// requester): wrong key, tampered capsule or body, bad signature, bad
	// envelope. One error so that a decryptor's behaviour reveals nothing
	// about which check failed.
	ErrDecrypt = errors.New("medexchain/pre: cannot decrypt record")
	// ErrGrantParams: threshold, committee or context refused when building
	// or decoding a grant (t < 2, t > n, duplicate proxies, zero or
	// duplicate ids, too many proxies, epoch mismatch).
	ErrGrantParams = errors.New("medexchain/pre: invalid grant parameters")
	// ErrGrantKey: the grant does not target this vault key for this
	// requester (C_0^d ≠ A) or d = 0.
	ErrGrantKey = errors.New("medexchain/pre: grant does not match the vault key")
	// ErrFragment: a sealed fragment does not open for this proxy and
	// grant, or does not match the Feldman commitments.
	ErrFragment = errors.New("medexchain/pre: invalid key fragment")
	// ErrProof: a re-encryption answer's DLEQ proof does not verify in this
	// context.
	ErrProof = errors.New("medexchain/pre: invalid re-encryption proof")
	// ErrCombine: fewer than t distinct verified answers.
	ErrCombine = errors.New("medexchain/pre: not enough distinct answers")
	// ErrContext: an object used with another grant, proxy or context than
	// its own.
	ErrContext = errors.New("medexchain/pre: context mismatch")
)

// Limits.
const (
	// MaxCapsules is the most capsules a ciphertext may carry (the published
	// format has exactly two; the library supports layering up to this).
	MaxCapsules = 4
	// MaxProxies bounds a grant's committee size n.
	MaxProxies = 64
	// MaxAddressLen bounds a proxy's raw account address.
	MaxAddressLen = 64
	// MaxChainIDLen bounds chain ids in contexts.
	MaxChainIDLen = 128
)
