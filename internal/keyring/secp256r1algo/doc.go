// Package secp256r1algo is the keyring signature algorithm "secp256r1"
// (NIST P-256 ECDSA) for medexchaind: chain B's hospitals may hold their
// account keys on P-256, the curve of HSMs, smart cards and platform key
// stores. The SDK keyring knows only secp256k1; KeyringOption adds this
// algorithm beside it (secp256k1 stays the default of `keys add`), and
// RegisterInterfaces lets the keyring's codec read stored P-256 private keys.
//
// Keys sign with the SDK's crypto/keys/secp256r1 (SHA-256, low-s, 64-byte
// r||s); the chain's ante handler verifies and charges them
// (SigVerifyCostSecp256r1), and the address is the SDK's ADR-028 hash of the
// compressed public key.
//
// Derivation from a mnemonic: there is no SDK derivation for P-256, so Derive
// takes the BIP-39 seed and the BIP-32 path through the SDK's hd package
// (exactly as for secp256k1: same mnemonic, same path syntax, coin type 118)
// and maps the 32-byte secp256k1 node secret k to a P-256 scalar with
//
//	d = (SHA-512(Domain || k) mod (n-1)) + 1
//
// where n is the P-256 group order: the "extra random bits" method of FIPS
// 186-5 A.2.1 with SHA-512 as the source of 512 bits. Why this and not k
// itself: k lies in [1, n_secp256k1), which is larger than P-256's n, so k
// would be out of range for about one path in 2^32, and using the same
// number as a secret on two curves is avoided by the domain-separated hash.
// Reduction rather than rejection: no loop, every input yields a valid
// scalar in [1, n-1], and the bias is below 2^-256. The mapping is part of
// the key format: changing Domain or the formula changes every recovered
// key, so it is fixed (the known-answer test pins it).
//
// This is not SLIP-0010's nist256p1 derivation (BIP-32 arithmetic on P-256
// itself), so a mnemonic recovered in a SLIP-0010 wallet yields other keys.
package secp256r1algo
