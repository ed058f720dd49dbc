package pre

import (
	"bytes"
	"fmt"
	"io"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/wire"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// SealedFragmentSize is HPKE enc (32) ‖ ciphertext of k_i (32 + 16 tag).
const SealedFragmentSize = 32 + 32 + 16

// SealedFragment is one proxy's k_i sealed to its HPKE key.
type SealedFragment struct {
	Proxy  []byte // raw account address of the proxy
	Sealed []byte // SealedFragmentSize bytes
}

// Grant is the public part of a grant, posted on chain by the patient:
// threshold t, X = g^x, Feldman commitments C_0..C_{t-1} (C_0 = g^{a/d})
// and one sealed fragment per committee proxy.
//
// Encoding: u8 t ‖ u8 n ‖ X ‖ t × C_j ‖ n × (u8 len(addr) ‖ addr ‖
// sealed fragment). Size: 2 + 32(t+1) + Σ(1 + len(addr) + 80).
type Grant struct {
	Threshold   int
	X           *group.Element
	Commitments []*group.Element
	Fragments   []SealedFragment
}

// ProxyRecipient is a committee member as registered on chain.
type ProxyRecipient struct {
	Address []byte
	Key     *keys.ProxyPublicKey
}

// CreateGrant builds a t-of-n grant of vault (for ctx.Epoch) to the
// requester B for the committee proxies (docs/crypto.md §4):
//
//	x fresh, X = g^x, d = H2S("d", suite, chain, grant, vault, epoch, A, X, B, B^x) ≠ 0
//	f of degree t−1 with f(0) = a/d, C_j = g^{f_j}
//	id_i = ProxyID(chain, grant, addr_i), k_i = f(id_i), sealed with HPKE
//
// It refuses t < 2, t > n, n > MaxProxies, duplicate proxies, zero or
// duplicate ids, and an epoch other than the vault key's. Every secret (x,
// B^x, d, coefficients, k_i) is erased before returning.
func CreateGrant(vault *keys.VaultSecretKey, ctx GrantContext, requester *keys.RequesterPublicKey, t int, proxies []ProxyRecipient, rnd io.Reader) (*Grant, error) {
	n := len(proxies)
	if t < 2 || t > n || n > MaxProxies {
		return nil, fmt.Errorf("%w: need 2 ≤ t ≤ n ≤ %d, got t=%d n=%d", ErrGrantParams, MaxProxies, t, n)
	}
	if ctx.Epoch != vault.Epoch {
		return nil, fmt.Errorf("%w: context epoch %d, vault key epoch %d", ErrGrantParams, ctx.Epoch, vault.Epoch)
	}
	if err := checkChainID(ctx.ChainID); err != nil {
		return nil, err
	}
	ids := make([]*group.Scalar, n)
	for i, p := range proxies {
		if err := checkAddress(p.Address); err != nil {
			return nil, fmt.Errorf("%w: proxy %d: %v", ErrGrantParams, i, err)
		}
		if p.Key == nil {
			return nil, fmt.Errorf("%w: proxy %d has no key", ErrGrantParams, i)
		}
		for j := 0; j < i; j++ {
			if bytes.Equal(p.Address, proxies[j].Address) {
				return nil, fmt.Errorf("%w: duplicate proxy %x", ErrGrantParams, p.Address)
			}
		}
		ids[i] = ProxyID(ctx.ChainID, ctx.GrantID, p.Address)
	}
	if err := checkIDs(ids); err != nil {
		return nil, err
	}

	A := vault.Public().A
	// x and d: d = 0 is refused; draw a new x (probability 2^-252).
	var x, d *group.Scalar
	var X *group.Element
	for {
		var err error
		if x, err = group.RandomScalar(rnd); err != nil {
			return nil, err
		}
		X = new(group.Element).BaseMul(x)
		Bx := new(group.Element).Mul(requester.B, x)
		d = deriveD(&ctx, A, X, requester.B, Bx)
		x.Erase()
		Bx.Erase()
		if !d.IsZero() {
			break
		}
	}
	defer d.Erase()

	// f(0) = a/d; f_1..f_{t-1} uniform non-zero (so no C_j is the identity).
	coeffs := make([]*group.Scalar, t)
	defer func() {
		for _, c := range coeffs {
			c.Erase()
		}
	}()
	coeffs[0] = new(group.Scalar).Inv(d)
	coeffs[0].Mul(coeffs[0], vault.Scalar())
	for j := 1; j < t; j++ {
		c, err := group.RandomScalar(rnd)
		if err != nil {
			return nil, err
		}
		coeffs[j] = c
	}
	g := &Grant{Threshold: t, X: X, Commitments: make([]*group.Element, t), Fragments: make([]SealedFragment, n)}
	for j, c := range coeffs {
		g.Commitments[j] = new(group.Element).BaseMul(c)
	}
	for i, p := range proxies {
		k := evalPoly(coeffs, ids[i])
		if k.IsZero() { // f(id_i) = 0 would make an answer the identity
			return nil, fmt.Errorf("%w: fragment %d is zero; retry", ErrGrantParams, i)
		}
		sealed, err := sealFragment(p.Key, ctx.ChainID, ctx.GrantID, p.Address, ids[i], k, rnd)
		k.Erase()
		if err != nil {
			return nil, err
		}
		g.Fragments[i] = SealedFragment{Proxy: append([]byte(nil), p.Address...), Sealed: sealed}
	}
	return g, nil
}

// checkIDs refuses zero and duplicate ids.
func checkIDs(ids []*group.Scalar) error {
	for i, id := range ids {
		if id.IsZero() {
			return fmt.Errorf("%w: zero id", ErrGrantParams)
		}
		for j := 0; j < i; j++ {
			if id.Equal(ids[j]) {
				return fmt.Errorf("%w: duplicate id", ErrGrantParams)
			}
		}
	}
	return nil
}

// evalPoly is Horner's rule: Σ coeffs[j]·x^j.
func evalPoly(coeffs []*group.Scalar, x *group.Scalar) *group.Scalar {
	acc := new(group.Scalar).Set(coeffs[len(coeffs)-1])
	for j := len(coeffs) - 2; j >= 0; j-- {
		acc.Mul(acc, x)
		acc.Add(acc, coeffs[j])
	}
	return acc
}

func sealFragment(pk *keys.ProxyPublicKey, chainID string, grantID uint64, proxy []byte, id, k *group.Scalar, rnd io.Reader) ([]byte, error) {
	snd, err := keys.ProxyHPKE.NewSender(pk.KEM(), []byte(KFragInfo))
	if err != nil {
		return nil, err
	}
	enc, sealer, err := snd.Setup(rnd)
	if err != nil {
		return nil, fmt.Errorf("%w: hpke setup: %v", ErrGrantParams, err)
	}
	kb := k.Bytes()
	defer clear(kb)
	ct, err := sealer.Seal(kb, fragmentAAD(chainID, grantID, proxy, id))
	if err != nil {
		return nil, err
	}
	out := append(enc, ct...)
	if len(out) != SealedFragmentSize {
		return nil, fmt.Errorf("%w: sealed fragment size %d", group.ErrMalformed, len(out))
	}
	return out, nil
}

// Fragment returns the sealed fragment of proxy, or nil.
func (g *Grant) Fragment(proxy []byte) *SealedFragment {
	for i := range g.Fragments {
		if bytes.Equal(g.Fragments[i].Proxy, proxy) {
			return &g.Fragments[i]
		}
	}
	return nil
}

// C0 is the commitment to f(0): g^{a/d}.
func (g *Grant) C0() *group.Element { return g.Commitments[0] }

// Bytes returns the encoding.
func (g *Grant) Bytes() []byte {
	b := make([]byte, 0, 2+32*(len(g.Commitments)+1)+len(g.Fragments)*(1+20+SealedFragmentSize))
	b = wire.AppendU8(b, uint8(g.Threshold))
	b = wire.AppendU8(b, uint8(len(g.Fragments)))
	b = append(b, g.X.Bytes()...)
	for _, c := range g.Commitments {
		b = append(b, c.Bytes()...)
	}
	for _, f := range g.Fragments {
		b = wire.AppendU8(b, uint8(len(f.Proxy)))
		b = append(b, f.Proxy...)
		b = append(b, f.Sealed...)
	}
	return b
}

// DecodeGrant decodes strictly: 2 ≤ t ≤ n ≤ MaxProxies, canonical
// non-identity X and commitments, non-empty distinct addresses of at most
// MaxAddressLen bytes, fragments of exactly SealedFragmentSize, no trailing
// bytes. Ids are not encoded: they are derived from the addresses and the
// grant context (ValidateGrant checks them).
func DecodeGrant(b []byte) (*Grant, error) {
	r := wire.NewReader(b)
	t, n := int(r.U8()), int(r.U8())
	if r.Failed() || t < 2 || t > n || n > MaxProxies {
		return nil, fmt.Errorf("grant: %w: threshold %d of %d", group.ErrMalformed, t, n)
	}
	g := &Grant{Threshold: t, Commitments: make([]*group.Element, t), Fragments: make([]SealedFragment, n)}
	var err error
	if g.X, err = decodeElementFrom(r); err != nil {
		return nil, fmt.Errorf("grant X: %w", err)
	}
	for j := range g.Commitments {
		if g.Commitments[j], err = decodeElementFrom(r); err != nil {
			return nil, fmt.Errorf("grant commitment %d: %w", j, err)
		}
	}
	for i := range g.Fragments {
		al := int(r.U8())
		addr := r.Bytes(al)
		sealed := r.Bytes(SealedFragmentSize)
		if r.Failed() || al == 0 || al > MaxAddressLen {
			return nil, fmt.Errorf("grant fragment %d: %w", i, group.ErrMalformed)
		}
		for j := 0; j < i; j++ {
			if bytes.Equal(addr, g.Fragments[j].Proxy) {
				return nil, fmt.Errorf("grant: %w: duplicate proxy", group.ErrMalformed)
			}
		}
		g.Fragments[i] = SealedFragment{Proxy: append([]byte(nil), addr...), Sealed: append([]byte(nil), sealed...)}
	}
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("grant: %w", group.ErrMalformed)
	}
	return g, nil
}

// ValidateGrant checks a decoded grant against its context: ids derived
// from the addresses are non-zero and distinct. (The chain also checks that
// the proxies are the current committee; the requester checks C_0^d = A
// with DeriveGrantKey.)
func ValidateGrant(g *Grant, chainID string, grantID uint64) error {
	if err := checkChainID(chainID); err != nil {
		return err
	}
	ids := make([]*group.Scalar, len(g.Fragments))
	for i, f := range g.Fragments {
		ids[i] = ProxyID(chainID, grantID, f.Proxy)
	}
	return checkIDs(ids)
}

func decodeElementFrom(r *wire.Reader) (*group.Element, error) {
	b := r.Bytes(group.ElementSize)
	if r.Failed() {
		return nil, group.ErrMalformed
	}
	return group.DecodeElement(b)
}
