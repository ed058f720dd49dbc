// Package envelope is the signed plaintext of a medexchain record
// (docs/crypto.md §3.1):
//
//	u16 version ‖ u32 len(meta) ‖ meta ‖ u32 len(payload) ‖ payload ‖ padding ‖ sig
//
// meta is the canonical encoding of Meta (see meta.go). padding is zero
// bytes bringing the whole envelope to the smallest bucket in Buckets.
// sig is Ed25519 by the device over SignContext ‖ every preceding byte.
//
// The padding length has no field of its own: it is
// bucket − 2 − 4 − len(meta) − 4 − len(payload) − 64, fixed by the two
// signed length fields and by the total length, and the signature binds the
// total length because Ed25519 signs the exact byte string. A verifier
// therefore recovers it from signed data only, and Open refuses any
// non-zero padding byte.
//
// Open checks the signature over the raw bytes first (the last 64 bytes,
// at a fixed position) and parses nothing before that; every failure,
// whatever its cause, is the single error ErrOpen.
package envelope

// Version is the only envelope version.
const Version uint16 = 1

// SignContext prefixes the signed message (domain separation from any other
// use of the device key).
const SignContext = "medexchain/v1/envelope"

// SigSize is the Ed25519 signature size at the end of the envelope.
const SigSize = 64

// Buckets are the only allowed envelope (and therefore body) lengths.
var Buckets = [...]int{512, 2 << 10, 8 << 10, 32 << 10, 64 << 10}

// MaxSize is the largest bucket.
const MaxSize = 64 << 10

// fixedOverhead = version + two length fields + signature.
const fixedOverhead = 2 + 4 + 4 + SigSize

// IsBucket reports whether n is one of Buckets.
func IsBucket(n int) bool {
	for _, b := range Buckets {
		if n == b {
			return true
		}
	}
	return false
}

// BucketFor returns the smallest bucket holding n bytes, or 0 if none does.
func BucketFor(n int) int {
	for _, b := range Buckets {
		if n <= b {
			return b
		}
	}
	return 0
}
