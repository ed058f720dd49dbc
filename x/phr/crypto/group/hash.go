package group

import (
	"encoding/binary"

	circl "github.com/cloudflare/circl/group"
)

// H2S is the suite's hash-to-scalar: circl's Ristretto255.HashToScalar
// (expand_message_xmd with SHA-512 to 64 bytes, wide reduction mod q) over
// the fields, each prefixed with its u32 big-endian length, with the
// domain-separation tag "medexchain/v1/<tag>". One tag per use.
//
// The result may be zero with probability 2^-252; callers for whom zero is
// meaningful (d, ids, rerandomizers) check it.
func H2S(tag string, fields ...[]byte) *Scalar {
	n := 0
	for _, f := range fields {
		n += 4 + len(f)
	}
	msg := make([]byte, 0, n)
	for _, f := range fields {
		msg = binary.BigEndian.AppendUint32(msg, uint32(len(f)))
		msg = append(msg, f...)
	}
	cs := circl.Ristretto255.HashToScalar(msg, []byte(DSTPrefix+tag))
	s, err := ScalarFromCircl(cs)
	if err != nil {
		panic("medexchain/crypto: circl produced a non-canonical scalar")
	}
	return s
}

// U32 and U64 are the big-endian field encodings used for integers inside
// H2S and other transcripts.
func U32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// U64 is the big-endian encoding of v.
func U64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// HashToScalarDST is circl's Ristretto255.HashToScalar over msg with a raw
// DST, without H2S's field framing. Only for reproducing transcripts that
// circl defines (the DLEQ verifier).
func HashToScalarDST(msg, dst []byte) *Scalar {
	cs := circl.Ristretto255.HashToScalar(msg, dst)
	s, err := ScalarFromCircl(cs)
	if err != nil {
		panic("medexchain/crypto: circl produced a non-canonical scalar")
	}
	return s
}
