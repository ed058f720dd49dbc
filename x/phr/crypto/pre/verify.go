package pre

import (
	"crypto/sha512"
	"encoding/binary"
	"fmt"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// VerificationKey is what verifying a proxy's answers needs: its id_i and
// V_i = g^{k_i} = Π C_j^{id_i^j}, computed from the public commitments.
// It is fixed per proxy per grant, so a verifier (the chain) computes it
// once, or stores V_i (32 bytes) next to the grant.
type VerificationKey struct {
	ID *group.Scalar
	V  *group.Element
	vb []byte
}

// NewVerificationKey computes proxy's verification key for a grant from the
// public commitments alone.
func NewVerificationKey(commitments []*group.Element, chainID string, grantID uint64, proxy []byte) (*VerificationKey, error) {
	if len(commitments) < 2 {
		return nil, fmt.Errorf("%w: fewer than 2 commitments", ErrGrantParams)
	}
	if err := checkChainID(chainID); err != nil {
		return nil, err
	}
	if err := checkAddress(proxy); err != nil {
		return nil, err
	}
	id := ProxyID(chainID, grantID, proxy)
	if id.IsZero() {
		return nil, fmt.Errorf("%w: zero id", ErrGrantParams)
	}
	return newVerificationKey(commitments, id), nil
}

// VerificationKeyFromV rebuilds a verification key from a stored V_i.
func VerificationKeyFromV(V []byte, chainID string, grantID uint64, proxy []byte) (*VerificationKey, error) {
	v, err := group.DecodeElement(V)
	if err != nil {
		return nil, fmt.Errorf("verification key: %w", err)
	}
	if err := checkAddress(proxy); err != nil {
		return nil, err
	}
	id := ProxyID(chainID, grantID, proxy)
	if id.IsZero() {
		return nil, fmt.Errorf("%w: zero id", ErrGrantParams)
	}
	return &VerificationKey{ID: id, V: v, vb: v.Bytes()}, nil
}

// newVerificationKey: V = Π C_j^{id^j} by one variable-time multi-scalar
// multiplication (public values only).
func newVerificationKey(commitments []*group.Element, id *group.Scalar) *VerificationKey {
	pows := make([]*group.Scalar, len(commitments))
	pows[0] = group.ScalarFromUint64(1)
	for j := 1; j < len(pows); j++ {
		pows[j] = new(group.Scalar).Mul(pows[j-1], id)
	}
	V := new(group.Element).VarTimeMSM(pows, commitments)
	return &VerificationKey{ID: id, V: V, vb: V.Bytes()}
}

// VBytes is the encoding of V_i (to store on chain).
func (vk *VerificationKey) VBytes() []byte { return append([]byte(nil), vk.vb...) }

// VerifyAnswer checks answer a of the proxy behind vk for the capsules'
// first elements E (taken by the caller from chain state, in the record's
// capsule order) in context ctx. It returns nil or ErrProof.
//
// It recomputes circl/zk/dleq's VerifyBatch transcript for the n pairs
// (a = g, ka = V_i, b_j = E_j, kb_j = E_i,j) with variable-time
// multi-scalar multiplications. Tests check that it accepts and rejects
// exactly what circl's Verifier.VerifyBatch does.
func VerifyAnswer(vk *VerificationKey, ctx AnswerContext, E []*group.Element, a *Answer) error {
	if !usable(vk, &ctx, E, a) {
		return ErrProof
	}
	if !verifyDLEQ(AnswerDST(&ctx), vk.V, vk.vb, E, a.Ei, a.C, a.S) {
		return ErrProof
	}
	return nil
}

// usable rejects nil and degenerate inputs, and answers over another number
// of capsules than ctx and E, before any arithmetic.
func usable(vk *VerificationKey, ctx *AnswerContext, E []*group.Element, a *Answer) bool {
	if vk == nil || vk.V == nil || a == nil || a.C == nil || a.S == nil || a.C.IsZero() || a.S.IsZero() ||
		len(E) != len(a.Ei) || checkCapsules(ctx, E) != nil {
		return false
	}
	for _, e := range a.Ei {
		if e == nil || e.IsIdentity() {
			return false
		}
	}
	return true
}

// Labels of circl/zk/dleq's transcript.
const (
	labelSeed         = "Seed-"
	labelChallenge    = "Challenge"
	labelComposite    = "Composite"
	labelHashToScalar = "HashToScalar-"
)

var generatorBytes = group.Generator().Bytes()

// verifyDLEQ mirrors circl/zk/dleq Verifier.VerifyBatch with base a = g,
// ka = V and the pairs (b_j, kb_j) = (E_j, Ei_j) (circl v1.6.5, dleq.go):
//
//	seed = H(u16 len ‖ enc(V) ‖ u16 len ‖ "Seed-"‖DST)
//	d_j  = HashToScalar(u16 len ‖ seed ‖ u16 j ‖ u16 len ‖ enc(E_j) ‖ u16 len ‖ enc(Ei_j) ‖ "Composite", "HashToScalar-"‖DST)
//	M = Σ d_j·E_j, Z = Σ d_j·Ei_j, t2 = s·g + c·V, t3 = s·M + c·Z
//	c' = HashToScalar(Σ u16 len ‖ x for x in (g, V, M, Z, t2, t3) ‖ "Challenge", "HashToScalar-"‖DST)
//
// and accepts iff c' = c. M and Z are variable-time MSMs over the n pairs.
func verifyDLEQ(dst []byte, V *group.Element, vb []byte, E, Ei []*group.Element, c, s *group.Scalar) bool {
	h := sha512.New()
	h.Write(u16(len(vb)))
	h.Write(vb)
	seedDST := append([]byte(labelSeed), dst...)
	h.Write(u16(len(seedDST)))
	h.Write(seedDST)
	seed := h.Sum(nil)

	h2sDST := append([]byte(labelHashToScalar), dst...)
	d := make([]*group.Scalar, len(E))
	comp := make([]byte, 0, 2+len(seed)+2+2*(2+group.ElementSize)+len(labelComposite))
	for j := range E {
		eb, eib := E[j].Bytes(), Ei[j].Bytes()
		comp = append(comp[:0], u16(len(seed))...)
		comp = append(comp, seed...)
		comp = append(comp, u16(j)...)
		comp = append(comp, u16(len(eb))...)
		comp = append(comp, eb...)
		comp = append(comp, u16(len(eib))...)
		comp = append(comp, eib...)
		comp = append(comp, labelComposite...)
		d[j] = group.HashToScalarDST(comp, h2sDST)
	}

	M := new(group.Element).VarTimeMSM(d, E)
	Z := new(group.Element).VarTimeMSM(d, Ei)
	t2 := new(group.Element).VarTimeDoubleBaseMul(c, V, s)
	t3 := new(group.Element).VarTimeMSM([]*group.Scalar{s, c}, []*group.Element{M, Z})

	chal := make([]byte, 0, 6*(2+group.ElementSize)+len(labelChallenge))
	for _, x := range [][]byte{generatorBytes, vb, M.Bytes(), Z.Bytes(), t2.Bytes(), t3.Bytes()} {
		chal = append(chal, u16(len(x))...)
		chal = append(chal, x...)
	}
	chal = append(chal, labelChallenge...)
	return group.HashToScalarDST(chal, h2sDST).Equal(c)
}

func u16(n int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(n)) }
