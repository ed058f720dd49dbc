package pre

import (
	"crypto/ed25519"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// GrantKey is the requester's per-grant secret d with the grant's public
// values. It is not reusable beyond the grant: without t proxies' answers it
// decrypts nothing.
type GrantKey struct {
	d   *group.Scalar
	X   *group.Element
	C0  *group.Element
	A   *group.Element
	Ctx GrantContext
}

// DeriveGrantKey computes d = H2S("d", …, A, X, B, X^b) for the requester
// and checks that the grant targets the registered vault key: C_0^d = A
// (docs/crypto.md §4). Do this before fetching. ErrGrantKey if not, or
// if d = 0.
func DeriveGrantKey(sk *keys.RequesterSecretKey, ctx GrantContext, vault *keys.VaultPublicKey, g *Grant) (*GrantKey, error) {
	if checkChainID(ctx.ChainID) != nil || len(g.Commitments) < 2 {
		return nil, ErrGrantKey
	}
	Xb := new(group.Element).Mul(g.X, sk.Scalar())
	d := deriveD(&ctx, vault.A, g.X, sk.Public().B, Xb)
	Xb.Erase()
	if d.IsZero() {
		return nil, ErrGrantKey
	}
	if !new(group.Element).Mul(g.C0(), d).Equal(vault.A) {
		d.Erase()
		return nil, ErrGrantKey
	}
	return &GrantKey{d: d, X: g.X.Copy(), C0: g.C0().Copy(), A: vault.A.Copy(), Ctx: ctx}, nil
}

// Erase clears d.
func (gk *GrantKey) Erase() { gk.d.Erase() }

// Decrypt recovers the raw envelope bytes from the first-level capsules of
// every capsule of a record (in the record's capsule order) and its body:
// A^r = E'^d, M = F / A^r, body XOR all keystreams. It does not verify the
// signature; Open does. Failures are ErrDecrypt.
func (gk *GrantKey) Decrypt(caps []*FirstLevel, body []byte) ([]byte, error) {
	if len(caps) == 0 || len(caps) > MaxCapsules || !envelope.IsBucket(len(body)) {
		return nil, ErrDecrypt
	}
	out := append([]byte(nil), body...)
	for _, fl := range caps {
		if fl == nil || !fl.X.Equal(gk.X) {
			clear(out)
			return nil, ErrDecrypt
		}
		Ar := new(group.Element).Mul(fl.EPrime, gk.d)
		M := new(group.Element).Sub(fl.F, Ar)
		Ar.Erase()
		unmask(out, M)
	}
	return out, nil
}

// Open is Decrypt followed by envelope.Open with the device's registered
// key (signature over the raw bytes before any parsing). Every failure is
// ErrDecrypt. The caller then compares the Meta with the record's public
// metadata and the grant (patient, vault, epoch, device) and checks the
// sequence number is new.
func (gk *GrantKey) Open(caps []*FirstLevel, body []byte, device ed25519.PublicKey) (*envelope.Envelope, error) {
	raw, err := gk.Decrypt(caps, body)
	if err != nil {
		return nil, ErrDecrypt
	}
	return openEnvelope(raw, device)
}
