package pre

import (
	"crypto"
	"fmt"
	"io"

	circl "github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/zk/dleq"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// MaxAnswerCapsules bounds the capsules one answer covers (a record has
// crf.NumCapsules = 2); it keeps a decode's work bounded before any length
// is trusted.
const MaxAnswerCapsules = 16

// AnswerSize is the encoded size of an answer over n capsules:
// E_i,1 ‖ … ‖ E_i,n (32 each) ‖ proof c (32) ‖ proof s (32).
func AnswerSize(n int) int { return n*group.ElementSize + 2*group.ScalarSize }

// Answer is a proxy's re-encryption answer for one task, that is for all
// capsules of one record: E_i,j = E_j^{k_i} for every capsule j and one
// batch DLEQ proof (c, s) that log_g V_i = log_{E_j} E_i,j for all j,
// produced by circl/zk/dleq (Prover.ProveBatchWithRandomness, the generic
// two-base transcript, not the RFC 9497 one), over SHA-512 with DST
// AnswerDST(ctx).
type Answer struct {
	Ei   []*group.Element
	C, S *group.Scalar
}

// dleqParams are circl's DLEQ parameters for ctx.
func dleqParams(dst []byte) dleq.Params {
	return dleq.Params{G: circl.Ristretto255, H: crypto.SHA512, DST: dst}
}

// Answer re-encrypts the capsules' first elements E (read by the proxy from
// its own node's state, never from a message, in the record's capsule
// order) under this fragment and proves all of them at once. ctx must name
// this fragment's chain, grant and proxy, and len(E) capsules.
func (f *Fragment) Answer(ctx AnswerContext, E []*group.Element, rnd io.Reader) (*Answer, error) {
	if !f.matches(&ctx) {
		return nil, fmt.Errorf("%w: answer context names another grant or proxy", ErrContext)
	}
	if err := checkCapsules(&ctx, E); err != nil {
		return nil, err
	}
	Ei := make([]*group.Element, len(E))
	bi, kbi := make([]circl.Element, len(E)), make([]circl.Element, len(E))
	for j, e := range E {
		Ei[j] = new(group.Element).Mul(e, f.k)
		bi[j], kbi[j] = e.CirclElement(), Ei[j].CirclElement()
	}
	nonce, err := group.RandomScalar(rnd)
	if err != nil {
		return nil, err
	}
	defer nonce.Erase()
	k := f.k.CirclScalar()
	defer k.SetUint64(0)
	cn := nonce.CirclScalar()
	defer cn.SetUint64(0)
	prover := dleq.Prover{Params: dleqParams(AnswerDST(&ctx))}
	proof, err := prover.ProveBatchWithRandomness(k, circl.Ristretto255.Generator(), f.Key.V.CirclElement(), bi, kbi, cn)
	if err != nil {
		return nil, fmt.Errorf("answer: dleq: %w", err)
	}
	pb, err := proof.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("answer: dleq: %w", err)
	}
	c, err := group.DecodeScalar(pb[:group.ScalarSize])
	if err != nil {
		return nil, fmt.Errorf("answer: degenerate proof: %w", err)
	}
	s, err := group.DecodeScalar(pb[group.ScalarSize:])
	if err != nil {
		return nil, fmt.Errorf("answer: degenerate proof: %w", err)
	}
	return &Answer{Ei: Ei, C: c, S: s}, nil
}

// checkCapsules: ctx names as many capsules as E holds, 1 to
// MaxAnswerCapsules, none nil or the identity.
func checkCapsules(ctx *AnswerContext, E []*group.Element) error {
	if len(E) == 0 || len(E) > MaxAnswerCapsules || int(ctx.Capsules) != len(E) {
		return fmt.Errorf("%w: %d capsules, context names %d", ErrContext, len(E), ctx.Capsules)
	}
	for j, e := range E {
		if e == nil || e.IsIdentity() {
			return fmt.Errorf("answer: capsule %d E: %w", j, group.ErrIdentity)
		}
	}
	return nil
}

// Bytes is E_i,1 ‖ … ‖ E_i,n ‖ c ‖ s.
func (a *Answer) Bytes() []byte {
	b := make([]byte, 0, AnswerSize(len(a.Ei)))
	for _, e := range a.Ei {
		b = append(b, e.Bytes()...)
	}
	b = append(b, a.C.Bytes()...)
	return append(b, a.S.Bytes()...)
}

// DecodeAnswer decodes an answer over n capsules strictly: exactly
// AnswerSize(n) bytes, every E_i,j canonical and not the identity, c and s
// canonical and non-zero.
func DecodeAnswer(b []byte, n int) (*Answer, error) {
	if n < 1 || n > MaxAnswerCapsules || len(b) != AnswerSize(n) {
		return nil, fmt.Errorf("answer: %w", group.ErrMalformed)
	}
	a := &Answer{Ei: make([]*group.Element, n)}
	for j := range n {
		e, err := group.DecodeElement(b[j*group.ElementSize : (j+1)*group.ElementSize])
		if err != nil {
			return nil, fmt.Errorf("answer E_i of capsule %d: %w", j, err)
		}
		a.Ei[j] = e
	}
	p := b[n*group.ElementSize:]
	var err error
	if a.C, err = group.DecodeScalar(p[:group.ScalarSize]); err != nil {
		return nil, fmt.Errorf("answer proof c: %w", err)
	}
	if a.S, err = group.DecodeScalar(p[group.ScalarSize:]); err != nil {
		return nil, fmt.Errorf("answer proof s: %w", err)
	}
	return a, nil
}
