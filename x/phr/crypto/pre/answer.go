package pre

import (
	"crypto"
	"fmt"
	"io"

	circl "github.com/cloudflare/circl/group"
	"github.com/cloudflare/circl/zk/dleq"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// AnswerSize is E_i (32) ‖ proof c (32) ‖ proof s (32).
const AnswerSize = group.ElementSize + 2*group.ScalarSize

// Answer is a proxy's re-encryption answer for one capsule: E_i = E^{k_i}
// and a DLEQ proof (c, s) that log_g V_i = log_E E_i, produced by
// circl/zk/dleq (Prover.ProveWithRandomness, the generic two-base
// transcript, not the RFC 9497 one), over SHA-512 with DST AnswerDST(ctx).
type Answer struct {
	Ei   *group.Element
	C, S *group.Scalar
}

// dleqParams are circl's DLEQ parameters for ctx.
func dleqParams(dst []byte) dleq.Params {
	return dleq.Params{G: circl.Ristretto255, H: crypto.SHA512, DST: dst}
}

// Answer re-encrypts capsule E (read by the proxy from its own node's
// state, never from a message) under this fragment and proves it. ctx must
// name this fragment's chain, grant and proxy.
func (f *Fragment) Answer(ctx AnswerContext, E *group.Element, rnd io.Reader) (*Answer, error) {
	if !f.matches(&ctx) {
		return nil, fmt.Errorf("%w: answer context names another grant or proxy", ErrContext)
	}
	if E == nil || E.IsIdentity() {
		return nil, fmt.Errorf("answer: capsule E: %w", group.ErrIdentity)
	}
	Ei := new(group.Element).Mul(E, f.k)
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
	proof, err := prover.ProveWithRandomness(k, circl.Ristretto255.Generator(), f.Key.V.CirclElement(),
		E.CirclElement(), Ei.CirclElement(), cn)
	if err != nil {
		return nil, fmt.Errorf("answer: dleq: %w", err)
	}
	pb, err := proof.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("answer: dleq: %w", err)
	}
	c, err := group.DecodeScalar(pb[:32])
	if err != nil {
		return nil, fmt.Errorf("answer: degenerate proof: %w", err)
	}
	s, err := group.DecodeScalar(pb[32:])
	if err != nil {
		return nil, fmt.Errorf("answer: degenerate proof: %w", err)
	}
	return &Answer{Ei: Ei, C: c, S: s}, nil
}

// Bytes is E_i ‖ c ‖ s (96 bytes).
func (a *Answer) Bytes() []byte {
	b := make([]byte, 0, AnswerSize)
	b = append(b, a.Ei.Bytes()...)
	b = append(b, a.C.Bytes()...)
	return append(b, a.S.Bytes()...)
}

// DecodeAnswer decodes strictly: 96 bytes, E_i canonical and not the
// identity, c and s canonical and non-zero.
func DecodeAnswer(b []byte) (*Answer, error) {
	if len(b) != AnswerSize {
		return nil, fmt.Errorf("answer: %w", group.ErrMalformed)
	}
	Ei, err := group.DecodeElement(b[:32])
	if err != nil {
		return nil, fmt.Errorf("answer E_i: %w", err)
	}
	c, err := group.DecodeScalar(b[32:64])
	if err != nil {
		return nil, fmt.Errorf("answer proof c: %w", err)
	}
	s, err := group.DecodeScalar(b[64:])
	if err != nil {
		return nil, fmt.Errorf("answer proof s: %w", err)
	}
	return &Answer{Ei: Ei, C: c, S: s}, nil
}
