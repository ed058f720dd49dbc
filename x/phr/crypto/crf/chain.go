package crf

import (
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// ChainRerandScalar is s = H2S("chain-rerand", header hash, tx hash,
// u32 msg index, u32 capsule index). Deterministic: every validator derives
// the same s. It is public, so the rerandomization it drives is input
// sanitization, not unlinkability. (s = 0 has probability 2^-252 and would
// leave the capsule unchanged, which is harmless.)
func ChainRerandScalar(headerHash, txHash []byte, msgIndex, capsuleIndex uint32) *group.Scalar {
	return group.H2S("chain-rerand", headerHash, txHash, group.U32(msgIndex), group.U32(capsuleIndex))
}

// ChainRerandomize rerandomizes a published record's capsules with
// ChainRerandScalar(header hash, tx hash, msg index, i) for capsule i,
// under the record's vault key A (from chain state). Same inputs, same
// output. Run it during block execution only (the header hash is not known
// in CheckTx or simulation, which only validate).
func ChainRerandomize(A *group.Element, caps [NumCapsules]*pre.Capsule, headerHash, txHash []byte, msgIndex uint32) [NumCapsules]*pre.Capsule {
	var out [NumCapsules]*pre.Capsule
	for i, c := range caps {
		out[i] = c.Rerandomize(A, ChainRerandScalar(headerHash, txHash, msgIndex, uint32(i)))
	}
	return out
}
