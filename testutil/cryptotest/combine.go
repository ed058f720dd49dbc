// Package cryptotest holds test support for the crypto tests that live
// outside x/phr/crypto (tests/bench/crypto, tests/experiments): the
// one-shot verify-and-combine a chain spreads over several answers, and
// circl's own DLEQ verifier as the reference the fast verifier is measured
// against. Package pre keeps neither in its production API.
package cryptotest

import (
	"crypto"
	"fmt"

	circl "github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/zk/dleq"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// Submission is one proxy's answer as the chain holds it: the proxy's
// verification key, the answer's context and the answer.
type Submission struct {
	Key    *pre.VerificationKey
	Ctx    pre.AnswerContext
	Answer *pre.Answer
}

// VerifyAndCombine verifies every submission for the capsules' E with
// pre.VerifyAnswer and combines, per capsule, the t with the smallest ids
// into E'_j with pre.Combine, as the chain does answer by answer.
func VerifyAndCombine(t int, E []*group.Element, subs []Submission) ([]*group.Element, error) {
	for i, s := range subs {
		if err := pre.VerifyAnswer(s.Key, s.Ctx, E, s.Answer); err != nil {
			return nil, fmt.Errorf("%w (submission %d)", err, i)
		}
	}
	out := make([]*group.Element, len(E))
	for j := range E {
		va := make([]pre.VerifiedAnswer, len(subs))
		for i, s := range subs {
			va[i] = pre.VerifiedAnswer{ID: s.Key.ID, Ei: s.Answer.Ei[j]}
		}
		ePrime, err := pre.Combine(t, va)
		if err != nil {
			return nil, err
		}
		out[j] = ePrime
	}
	return out, nil
}

// VerifyAnswerCircl verifies an answer with circl/zk/dleq's own
// Verifier.VerifyBatch (SHA-512, DST pre.AnswerDST(ctx)): the reference
// pre.VerifyAnswer reproduces with variable-time arithmetic.
func VerifyAnswerCircl(vk *pre.VerificationKey, ctx pre.AnswerContext, E []*group.Element, a *pre.Answer) error {
	if len(E) != len(a.Ei) {
		return pre.ErrProof
	}
	p := new(dleq.Proof)
	if err := p.UnmarshalBinary(circl.Ristretto255, append(a.C.Bytes(), a.S.Bytes()...)); err != nil {
		return pre.ErrProof
	}
	bi, kbi := make([]circl.Element, len(E)), make([]circl.Element, len(E))
	for j := range E {
		bi[j], kbi[j] = E[j].CirclElement(), a.Ei[j].CirclElement()
	}
	v := dleq.Verifier{Params: dleq.Params{G: circl.Ristretto255, H: crypto.SHA512, DST: pre.AnswerDST(&ctx)}}
	if !v.VerifyBatch(group.Generator().CirclElement(), vk.V.CirclElement(), bi, kbi, p) {
		return pre.ErrProof
	}
	return nil
}

// CapsuleEs lists the first elements of capsules, in order.
func CapsuleEs(capsules []*pre.Capsule) []*group.Element {
	out := make([]*group.Element, len(capsules))
	for j, c := range capsules {
		out[j] = c.E
	}
	return out
}
