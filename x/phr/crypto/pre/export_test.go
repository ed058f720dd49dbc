package pre

// Test-only API of package pre: reference paths and conveniences the
// production code does not need.

import (
	"fmt"
	"io"

	circl "github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/zk/dleq"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// SealWith is Seal with explicit M and r.
func SealWith(vault *keys.VaultPublicKey, env []byte, M *group.Element, r *group.Scalar) (*Ciphertext, error) {
	return sealWith(vault, env, M, r)
}

// VerifyAnswerCircl is VerifyAnswer through circl's own
// Verifier.VerifyBatch: the reference the fast path is tested against.
func VerifyAnswerCircl(vk *VerificationKey, ctx AnswerContext, E []*group.Element, a *Answer) error {
	if !usable(vk, &ctx, E, a) {
		return ErrProof
	}
	p := new(dleq.Proof)
	if err := p.UnmarshalBinary(circl.Ristretto255, append(a.C.Bytes(), a.S.Bytes()...)); err != nil {
		return ErrProof
	}
	bi, kbi := make([]circl.Element, len(E)), make([]circl.Element, len(E))
	for j := range E {
		bi[j], kbi[j] = E[j].CirclElement(), a.Ei[j].CirclElement()
	}
	v := dleq.Verifier{Params: dleqParams(AnswerDST(&ctx))}
	if !v.VerifyBatch(group.Generator().CirclElement(), vk.V.CirclElement(), bi, kbi, p) {
		return ErrProof
	}
	return nil
}

// Submission is one proxy's answer as the chain holds it: the proxy's
// verification key, the answer's context and the answer.
type Submission struct {
	Key    *VerificationKey
	Ctx    AnswerContext
	Answer *Answer
}

// VerifyAndCombine verifies every submission for the capsules' E and
// combines, per capsule, the t with the smallest ids into E'_j (the chain
// verifies each answer as it arrives; this is the one-shot form for tests).
func VerifyAndCombine(t int, E []*group.Element, subs []Submission) ([]*group.Element, error) {
	for i, s := range subs {
		if err := VerifyAnswer(s.Key, s.Ctx, E, s.Answer); err != nil {
			return nil, fmt.Errorf("%w (submission %d)", err, i)
		}
	}
	out := make([]*group.Element, len(E))
	for j := range E {
		va := make([]VerifiedAnswer, len(subs))
		for i, s := range subs {
			va[i] = VerifiedAnswer{ID: s.Key.ID, Ei: s.Answer.Ei[j]}
		}
		ePrime, err := Combine(t, va)
		if err != nil {
			return nil, err
		}
		out[j] = ePrime
	}
	return out, nil
}

// RerandomizeRandom is Rerandomize with a fresh s from rnd.
func (fl *FirstLevel) RerandomizeRandom(C0, A *group.Element, rnd io.Reader) (*FirstLevel, error) {
	s, err := group.RandomScalar(rnd)
	if err != nil {
		return nil, err
	}
	defer s.Erase()
	return fl.Rerandomize(C0, A, s), nil
}
