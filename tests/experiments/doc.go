// Package experiments holds security experiment 3 of issue 3
// (algorithm substitution): subverted-device models from
// testutil/subverted, each leaking one secret bit per record, run through
// the edge firewall (crf.EdgeFirewall), the chain firewall
// (crf.ChainRerandomize) or no firewall, with an accomplice decoding the
// bits from what it can see. The tests assert the figures reported in
// docs/crypto.md ("Experiment figures").
//
// Determinism: every source of randomness is a seeded ChaCha8 stream
// (subverted.SeededReader): one for keys, one for the device, one for the
// firewall, one for the world (reading times, latencies); secret bits come
// from a seeded PCG. Nothing reads crypto/rand, so each test computes the
// same numbers on every run and cannot flake. The bands are nevertheless
// chosen to hold for any seed with overwhelming probability: "chance"
// experiments use n = 10,000 records and assert 50% ± 2%, four standard
// deviations (σ = 0.5%); "leak" experiments expect 1 − 2^-8 = 99.6% and
// assert ≥ 95% on n ≥ 200 records.
//
// Run: go test -v ./x/phr/crypto/experiments/ (figures are logged as
// "FIGURE name value").
package experiments
