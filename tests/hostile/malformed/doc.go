// Package malformed builds hostile medexchain transactions: every crypto
// field of every phr message replaced by random bytes, the identity,
// non-canonical encodings (p + x, the high bit set, a negative ristretto255
// encoding), small-order Ed25519 and X25519 keys and wrong lengths; wrong
// capsule counts, off-bucket and oversize bodies; key grants with bad
// thresholds, points, fragments and committees; answers with bad E_i and
// proofs, replayed or for foreign tasks; and raw garbage, truncated, huge
// and unknown-field txs.
//
// Cases returns them as messages (and, for the raw family, a rewrite of
// the signed bytes) against a Story, the on-chain state they attack, with
// the registered error each must be refused with. Signing is the caller's:
// tests/hostile signs them for a running node, and a load test can draw a
// stream of them (every call draws fresh random bytes).
package malformed
