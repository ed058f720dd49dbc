package types

// Gas charged for the crypto a tx makes the chain run, proportional to its
// measured cost: GasPerMicrosecond gas per µs on the reference machine (2
// cores, see docs/gas.md for the table and how it was measured). The SDK
// charges 1000 gas for a secp256k1 signature check (~50 µs), about 20 gas/µs.
const (
	GasPerMicrosecond = 20

	// GasDecodeElement: a strict ristretto255 decode (canonical, not identity).
	GasDecodeElement = 10 * GasPerMicrosecond
	// GasRerandomizeCapsule: (E·g^s, F·A^s) — one fixed-base and one variable-base multiplication.
	GasRerandomizeCapsule = 90 * GasPerMicrosecond
	// GasVerifyAnswer: one DLEQ proof check against a cached verification key.
	GasVerifyAnswer = 250 * GasPerMicrosecond
	// GasVerificationKeyPerCommitment: V_i = Π C_j^{id^j}, per commitment per proxy.
	GasVerificationKeyPerCommitment = 60 * GasPerMicrosecond
	// GasCombinePerAnswer: one E_i^{λ_i} plus its Lagrange coefficient.
	GasCombinePerAnswer = 70 * GasPerMicrosecond
	// GasHashToScalar: one H2S (ids, rerandomization seeds).
	GasHashToScalar = 5 * GasPerMicrosecond
)

// GasCombine is the cost of combining t answers.
func GasCombine(t int) uint64 { return uint64(t) * GasCombinePerAnswer }
