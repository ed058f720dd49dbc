package types

// Gas charged for the crypto a tx makes the chain run, proportional to its
// measured cost and priced like the SDK prices its own crypto: the SDK
// charges 1000 gas (sig_verify_cost_secp256k1) for one secp256k1 signature
// check, so an operation that costs as much CPU as that check costs 1000
// gas. Each value is the operation's CPU time measured exactly as the chain
// runs it, divided by the secp256k1 check's time in the same run, × 1000,
// rounded up to 10 gas (x/phr/types/gas_bench_test.go, TestGasTable;
// scripts/gas-table.sh). The table, the machine and what whole txs cost are
// in docs/gas.md.
const (
	// GasPerMicrosecond is the calibration of those runs: 1000 gas ÷ 141-152 µs
	// for the SDK's (pure Go) secp256k1 check ≈ 6.6-7.1 gas per µs of CPU.
	// Informative; the constants below are calibrated directly.
	GasPerMicrosecond = 7

	// GasDecodeElement: a strict ristretto255 decode (canonical, not
	// identity): 4.9 µs.
	GasDecodeElement = 40
	// GasRerandomizeCapsule: (E·g^s, F·A^s) — crf.ChainRerandomize per
	// capsule with the vault key's decode and the encoding of the result
	// (75 µs), less the GasHashToScalar of its seed charged beside it.
	GasRerandomizeCapsule = 520
	// GasVerifyAnswer: the firewall's work per answer (one answer covers the
	// crf.NumCapsules = 2 capsules of a record) beyond the decode of its
	// E_i (charged as GasDecodeElement each): the proof's scalars, the
	// capsules' E from the record head, the cached V_i and the proxy's id,
	// and the batch DLEQ check pre.VerifyAnswer.
	GasVerifyAnswer = 1740
	// GasVerificationKeyPerCommitment: V_i = Π C_j^{id^j}, per commitment
	// per proxy, with the grant's decode and id checks spread over it
	// (fitted to the whole grant firewall at t-of-n = 2-of-3, 3-of-4,
	// 5-of-7; 2-of-3 is the largest per commitment).
	GasVerificationKeyPerCommitment = 170
	// GasCombinePerAnswer: completing a task, per capsule of its record and
	// per answer of its t: decode E_i, its proxy id, pre.Combine (Lagrange +
	// multi-scalar multiplication), the capsule and grant decodes and the
	// first-level capsule (t = 2 is the largest per answer).
	GasCombinePerAnswer = 400
	// GasHashToScalar: one H2S (ids, rerandomization seeds): 1.5 µs.
	GasHashToScalar = 20
)

// GasCombine is the cost of combining t answers for one capsule.
func GasCombine(t int) uint64 { return uint64(t) * GasCombinePerAnswer }
