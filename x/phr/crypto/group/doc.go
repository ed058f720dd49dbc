// Package group is the medexchain-v1-ristretto255 suite's algebra: the
// ristretto255 prime-order group, its scalars, the suite's hash-to-scalar
// H2S, strict decoders and the suite's name.
//
// Arithmetic runs on filippo.io/edwards25519 (the code behind Go's
// crypto/ed25519: constant-time scalar multiplication, assembly field
// multiplication on amd64, and variable-time multi-scalar multiplication
// for verifiers that only touch public values), with the RFC 9496
// ristretto255 encoding, decoding and equality in ristretto.go.
// Hash-to-scalar is circl's group.Ristretto255.HashToScalar, exactly as
// docs/crypto.md specifies, and DLEQ proofs are produced by circl/zk/dleq
// through the conversion helpers in circl.go. Tests check encodings,
// decodings and arithmetic against circl and gtank/ristretto255 byte for
// byte, on random and adversarial inputs.
//
// Why not circl's arithmetic throughout: on the reference 2-core machine
// circl's ristretto255 takes ~38 µs per fixed-base and ~77 µs per
// variable-base multiplication, gtank/ristretto255 ~20 µs and ~54 µs,
// filippo.io/edwards25519 ~15 µs and ~52 µs (and ~59 µs for a 3-term
// variable-time multi-scalar multiplication, against gtank's ~84 µs). The
// device path (2 fixed-base + 1 variable-base) must stay within 1.6× of an
// HPKE seal plus an Ed25519 signature (~95–128 µs here).
//
// Decoders here are strict: wrong length, non-canonical encodings, the
// identity element and the zero scalar are all refused (circl and gtank both
// accept the identity and zero, so the checks are explicit).
package group

// Suite is the ciphersuite identifier bound into every hash, KDF and
// signature context of the scheme.
const Suite = "medexchain-v1-ristretto255"

// DSTPrefix prefixes every domain-separation tag of the suite.
const DSTPrefix = "medexchain/v1/"

// Sizes of canonical encodings.
const (
	ScalarSize  = 32
	ElementSize = 32
)
