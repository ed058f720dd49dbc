// Package experiments holds the algorithm-substitution experiments of the
// reverse firewall: subverted-device models from testutil/subverted, each
// leaking one secret bit per record, run through the edge firewall
// (crf.EdgeFirewall), the chain firewall (crf.ChainRerandomize), parts of
// them, or no firewall, with an accomplice decoding the bits from what it
// can see: keyed hashes that mix parts together, and every published
// element on its own (each capsule's E and F, the body), the body length
// and the public time. The tests assert the figures reported in
// docs/crypto.md ("Experiment figures").
//
// Determinism: every source of randomness is a seeded ChaCha8 stream
// (subverted.SeededReader): one for keys, one for the device, one for the
// firewall, one for the world (reading times, latencies); secret bits come
// from a seeded PCG. Nothing reads crypto/rand, so each test computes the
// same numbers on every run and cannot flake. The bands are nevertheless
// chosen to hold for any seed with overwhelming probability: "chance"
// experiments use n = 10,000 records and assert 50% ± 4σ of a fair coin's
// rate over n (σ = 0.5/√n = 0.5%, band ± 2%); "leak" experiments expect
// 1 − 2^-8 = 99.6% and assert ≥ 95% on n ≥ 200 records.
//
// Run: go test -count=1 -v ./tests/experiments/ | grep FIGURE
package experiments
