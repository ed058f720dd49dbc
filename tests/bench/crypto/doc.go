// Package cryptobench holds the crypto benchmarks (make bench-crypto,
// scripts/bench-crypto.sh) and the baselines they compare against, which
// exist only here, outside the production crypto tree:
//
//   - afgh.go: AFGH05 second-level proxy re-encryption on circl's
//     BLS12-381 (type-3 adaptation), used as a KEM/DEM on the same signed
//     envelope with the same HKDF + ChaCha20 DEM as ours; with circl's
//     generic Gt.Exp and with a precomputed fixed-base table for Z;
//   - baselines.go: circl tkn20 CP-ABE with a 5-attribute AND policy, and
//     the floor of signed public-key encryption: the same Ed25519-signed
//     envelope HPKE-sealed (X25519, HKDF-SHA256, ChaCha20-Poly1305) to one
//     recipient.
//
// Every encryption benchmark (ours and the baselines) includes laying out
// and signing the same envelope of a 1 KiB FHIR reading (2 KiB bucket), so
// the ratios compare whole device paths. The headline ratios come from
// BenchmarkRatio, which interleaves the two operations inside one
// benchmark so that load from other processes on a shared machine affects
// both alike; the separate benchmarks give the absolute costs.
//
// Figures (name in the script → benchmark):
//
//	device_encrypt_vs_hpke      Ratio/device_vs_hpke: pre.DeviceEncrypt + encoding ÷ envelope.Seal + HPKE seal
//	afgh_fixedbase_…            Ratio/afgh_fixedbase_vs_device: envelope.Seal + AFGH Encrypt2 with a
//	                            fixed-base table for Z ÷ ours (the headline: a tuned baseline)
//	afgh_encrypt_vs_device      the same with circl's generic Gt.Exp (no precomputation)
//	tkn20_encrypt_vs_device     Ratio/tkn20_vs_device: envelope.Seal + tkn20 Encrypt (5-attribute AND) ÷ ours
//	capsule_overhead_bytes      EdgeFirewall: published ciphertext (u8 n ‖ 2 capsules ‖ u32 len ‖ body) − envelope
//	record_overhead_bytes       EdgeFirewall: public metadata fields + 2 capsules + body (no message framing) − envelope
//	record_overhead_vs_reading… EdgeFirewall: the same − the 1 KiB FHIR reading (padding included)
//	envelope_overhead_bytes     version, length fields, meta and signature (padding excluded)
//	combine_verify_t3_ms        CombineVerify/t3: cryptotest.VerifyAndCombine of 3 answers for one record
//	                            (each over both capsules with one batch proof; E'_1, E'_2; verification keys
//	                            V_i precomputed once per grant; "-cold" recomputes them)
//	grant_*                     pre.CreateGrant for (t, n) = (2,3), (3,4), (5,7), and its encoded size
//	proxy_answer_us             one record's answer: E_j^{k_i} for both capsules and one batch DLEQ proof
//	verify_answer_us            pre.VerifyAnswer of that answer ("_circl": circl's Verifier.VerifyBatch)
//	requester_decrypt_us        gk.Open of one record (2 first-level capsules, signature, parse)
package cryptobench
