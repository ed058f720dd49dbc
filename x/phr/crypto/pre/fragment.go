package pre

import (
	"bytes"
	"fmt"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// Fragment is a proxy's opened and checked key fragment k_i of one grant.
// It lives in the proxy's memory only (the keystore keeps the sealed form).
type Fragment struct {
	ChainID string
	GrantID uint64
	Proxy   []byte
	Key     *VerificationKey // id_i and V_i = g^{k_i}
	k       *group.Scalar
}

// OpenFragment opens proxy's sealed fragment of grant g with its HPKE key
// and checks it against the Feldman commitments: g^{k_i} = Π C_j^{id_i^j}
// (docs/crypto.md §4). A fragment that does not open, is zero, or does
// not match is refused with ErrFragment; the proxy must not answer then.
func OpenFragment(sk *keys.ProxySecretKey, chainID string, grantID uint64, proxy []byte, g *Grant) (*Fragment, error) {
	if err := checkChainID(chainID); err != nil {
		return nil, err
	}
	sf := g.Fragment(proxy)
	if sf == nil {
		return nil, fmt.Errorf("%w: no fragment for this proxy", ErrFragment)
	}
	if len(sf.Sealed) != SealedFragmentSize {
		return nil, fmt.Errorf("%w: size", ErrFragment)
	}
	id := ProxyID(chainID, grantID, proxy)
	if id.IsZero() {
		return nil, fmt.Errorf("%w: zero id", ErrFragment)
	}
	rcv, err := keys.ProxyHPKE.NewReceiver(sk.KEM(), []byte(KFragInfo))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFragment, err)
	}
	op, err := rcv.Setup(sf.Sealed[:32])
	if err != nil {
		return nil, fmt.Errorf("%w: hpke setup", ErrFragment)
	}
	kb, err := op.Open(sf.Sealed[32:], fragmentAAD(chainID, grantID, proxy, id))
	if err != nil {
		return nil, fmt.Errorf("%w: does not open", ErrFragment)
	}
	defer clear(kb)
	k, err := group.DecodeScalar(kb)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFragment, err)
	}
	vk := newVerificationKey(g.Commitments, id)
	if !new(group.Element).BaseMul(k).Equal(vk.V) {
		k.Erase()
		return nil, fmt.Errorf("%w: does not match the commitments", ErrFragment)
	}
	return &Fragment{ChainID: chainID, GrantID: grantID, Proxy: append([]byte(nil), proxy...), Key: vk, k: k}, nil
}

// Erase clears k_i.
func (f *Fragment) Erase() { f.k.Erase() }

// matches reports whether ctx is a context this fragment may answer in.
func (f *Fragment) matches(ctx *AnswerContext) bool {
	return ctx.ChainID == f.ChainID && ctx.GrantID == f.GrantID && bytes.Equal(ctx.Proxy, f.Proxy)
}
