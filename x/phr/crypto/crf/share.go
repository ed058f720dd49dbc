package crf

import (
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// ShareRerandScalar is s = H2S("ibc-rerand", header hash, path, u64
// sequence, u32 capsule index) for a Share packet received over path (the
// receiving chain's phr channel, or its client for IBC v2) with that
// sequence. A received packet has no tx hash or message index of its own
// that every validator agrees on, and (path, sequence) names it uniquely
// on the receiving chain. Public, like ChainRerandScalar: input
// sanitization, not unlinkability.
func ShareRerandScalar(headerHash []byte, path string, sequence uint64, capsuleIndex uint32) *group.Scalar {
	return group.H2S("ibc-rerand", headerHash, []byte(path), group.U64(sequence), group.U32(capsuleIndex))
}

// ChainRerandomizeShare rerandomizes a received share's first-level
// capsules with ShareRerandScalar(header hash, path, sequence, i) for
// capsule i, under the grant's C_0 and the vault key A (from the receiving
// chain's mirror of the grant): (E', F, X) → (E'·C_0^s, F·A^s, X), which the
// requester decrypts as before. Same inputs, same output; block execution
// only.
func ChainRerandomizeShare(C0, A *group.Element, fls [NumCapsules]*pre.FirstLevel, headerHash []byte, path string, sequence uint64) [NumCapsules]*pre.FirstLevel {
	var out [NumCapsules]*pre.FirstLevel
	for i, fl := range fls {
		out[i] = fl.Rerandomize(C0, A, ShareRerandScalar(headerHash, path, sequence, uint32(i)))
	}
	return out
}
