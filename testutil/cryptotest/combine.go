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

// VerifyAndCombine verifies every submission for capsule E with
// pre.VerifyAnswer and combines the t with the smallest ids into E' with
// pre.Combine, as the chain does answer by answer.
func VerifyAndCombine(t int, E *group.Element, subs []Submission) (*group.Element, error) {
	va := make([]pre.VerifiedAnswer, len(subs))
	for i, s := range subs {
		if err := pre.VerifyAnswer(s.Key, s.Ctx, E, s.Answer); err != nil {
			return nil, fmt.Errorf("%w (submission %d)", err, i)
		}
		va[i] = pre.VerifiedAnswer{ID: s.Key.ID, Ei: s.Answer.Ei}
	}
	return pre.Combine(t, va)
}

// VerifyAnswerCircl verifies an answer with circl/zk/dleq's own
// Verifier.Verify (SHA-512, DST pre.AnswerDST(ctx)): the reference
// pre.VerifyAnswer reproduces with variable-time arithmetic.
func VerifyAnswerCircl(vk *pre.VerificationKey, ctx pre.AnswerContext, E *group.Element, a *pre.Answer) error {
	p := new(dleq.Proof)
	if err := p.UnmarshalBinary(circl.Ristretto255, append(a.C.Bytes(), a.S.Bytes()...)); err != nil {
		return pre.ErrProof
	}
	v := dleq.Verifier{Params: dleq.Params{G: circl.Ristretto255, H: crypto.SHA512, DST: pre.AnswerDST(&ctx)}}
	if !v.Verify(group.Generator().CirclElement(), vk.V.CirclElement(), E.CirclElement(), a.Ei.CirclElement(), p) {
		return pre.ErrProof
	}
	return nil
}
