package malformed

import (
	"crypto/rand"
	"io"
	"strings"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Offsets in a key grant (pre.Grant.Bytes): t, n, X, t commitments, then
// per fragment an address length, the address and the sealed fragment.
const (
	grantX           = 2
	grantCommitments = grantX + group.ElementSize
)

// KeyGrant is an honest t-of-n key grant of the story's vault for grantID
// to proxies (the committee if nil).
func (s *Story) KeyGrant(grantID uint64, t int, proxies []pre.ProxyRecipient) (*pre.Grant, error) {
	if proxies == nil {
		proxies = s.Committee
	}
	return pre.CreateGrant(s.VaultKey, pre.GrantContext{ChainID: s.ChainID, GrantID: grantID, Vault: s.Vault, Epoch: s.VaultKey.Epoch},
		s.RequesterKey.Public(), t, proxies, rand.Reader)
}

// grantMsg is the patient's grant of request id with keyGrant.
func (s *Story) grantMsg(id uint64, keyGrant []byte) *types.MsgGrantAccess {
	return &types.MsgGrantAccess{Patient: s.Addr[Patient].String(), GrantId: id, KeyGrant: keyGrant, Expiry: s.Now.Add(time.Hour)}
}

// grantCases: a 2-of-n grant of the story's first open request with its
// threshold, count, X, commitments or fragments broken (refused at CheckTx:
// decoded by the chain firewall, the committee checked against today's),
// and two faults the chain cannot see, accepted (each on a request of its
// own): fragments sealed to the wrong proxies and commitments of another
// polynomial. Only the proxies can tell (pre.OpenFragment refuses both).
func grantCases(s *Story, rnd io.Reader) ([]Case, error) {
	req := s.Requests[0]
	g, err := s.KeyGrant(req, 2, nil)
	if err != nil {
		return nil, err
	}
	honest := g.Bytes()
	var out []Case
	add := func(name string, kg []byte, want Expect) *Case {
		if want.Stage == "" {
			want.Stage = AtCheck
		}
		out = append(out, Case{Family: "grant", Name: name, Signer: Patient, Msgs: msgs(s.grantMsg(req, kg)),
			Object: ObjKeyGrant, Bytes: kg, Claim: want.Cause, Want: want})
		return &out[len(out)-1]
	}
	edit := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), honest...)) }
	points := []struct {
		name string
		off  int
	}{{"X", grantX}, {"commitment-0", grantCommitments}, {"commitment-1", grantCommitments + group.ElementSize}}
	for _, p := range points {
		bads, err := BadElements(rnd, honest[p.off:p.off+group.ElementSize])
		if err != nil {
			return nil, err
		}
		for _, b := range bads {
			if len(b.Bytes) != group.ElementSize {
				continue
			}
			kg := edit(func(kg []byte) []byte { copy(kg[p.off:], b.Bytes); return kg })
			add(p.name+"/"+b.Name, kg, Expect{Err: types.ErrInvalidKeyGrant, Cause: b.Cause})
		}
	}
	n := len(g.Fragments)
	headers := []struct {
		name string
		t, n byte
	}{{"threshold-0", 0, byte(n)}, {"threshold-1", 1, byte(n)}, {"threshold-above-count", byte(n + 1), byte(n)},
		{"count-0", 2, 0}, {"count-above-max", 2, pre.MaxProxies + 1}}
	for _, h := range headers {
		add(h.name, edit(func(kg []byte) []byte { kg[0], kg[1] = h.t, h.n; return kg }), Expect{Err: types.ErrInvalidKeyGrant, Cause: group.ErrMalformed})
	}
	// threshold 3 over the two commitments of a 2-of-n grant: the third
	// commitment is read from the first fragment
	add("threshold-3-with-2-commitments", edit(func(kg []byte) []byte { kg[0] = 3; return kg }), Expect{Err: types.ErrInvalidKeyGrant}).Claim = ErrAny
	add("truncated", honest[:len(honest)-1], Expect{Err: types.ErrInvalidKeyGrant, Cause: group.ErrMalformed})
	add("trailing-byte", append(append([]byte(nil), honest...), 0), Expect{Err: types.ErrInvalidKeyGrant, Cause: group.ErrMalformed})
	add("empty", nil, Expect{Err: types.ErrInvalidKeyGrant}).Claim = group.ErrMalformed
	frag0 := grantCommitments + 2*group.ElementSize
	add("fragment-address-length-0", edit(func(kg []byte) []byte { kg[frag0] = 0; return kg }), Expect{Err: types.ErrInvalidKeyGrant, Cause: group.ErrMalformed})
	dup := *g
	dup.Fragments = append([]pre.SealedFragment(nil), g.Fragments...)
	dup.Fragments[1].Proxy = g.Fragments[0].Proxy
	add("fragment-duplicate-proxy", dup.Bytes(), Expect{Err: types.ErrInvalidKeyGrant, Cause: group.ErrMalformed})

	// committees other than today's: one proxy short, a stranger for the last
	short, err := s.KeyGrant(req, 2, s.Committee[:len(s.Committee)-1])
	if err != nil {
		return nil, err
	}
	add("committee-one-short", short.Bytes(), Expect{Err: types.ErrCommitteeMismatch}).Object = "" // well-formed
	strangers := append([]pre.ProxyRecipient(nil), s.Committee...)
	strangers[len(strangers)-1].Address = s.Addr[Stranger]
	withStranger, err := s.KeyGrant(req, 2, strangers)
	if err != nil {
		return nil, err
	}
	add("committee-with-stranger", withStranger.Bytes(), Expect{Err: types.ErrCommitteeMismatch}).Object = ""

	// notes over the bound: stored in the grant, sent to a remote
	// requester's chain (refused by the msg servers, in the block)
	long := strings.Repeat("n", 4<<10)
	out = append(out,
		Case{Family: "grant", Name: "deny-note-4KiB", Signer: Patient, Msgs: msgs(&types.MsgDenyAccess{Patient: s.Addr[Patient].String(),
			GrantId: req, Note: long}), Want: Expect{Stage: InBlock, Err: types.ErrInvalidNote}},
		Case{Family: "grant", Name: "revoke-note-4KiB", Signer: Patient, Msgs: msgs(&types.MsgRevokeAccess{Patient: s.Addr[Patient].String(),
			GrantId: s.Other, Note: long}), Want: Expect{Stage: InBlock, Err: types.ErrInvalidNote}})

	// accepted: what the chain cannot check without the proxies' keys
	if len(s.Requests) < 1+AcceptedRequests {
		return out, nil
	}
	granted := Expect{Stage: InBlock, Audit: []AuditEntry{{types.ActionGrantAccess, "OUTCOME_SUCCESS"}}}
	swapped, err := s.KeyGrant(s.Requests[1], 2, nil)
	if err != nil {
		return nil, err
	}
	swapped.Fragments[0].Sealed, swapped.Fragments[1].Sealed = swapped.Fragments[1].Sealed, swapped.Fragments[0].Sealed
	c := add("accepted-fragments-sealed-to-wrong-proxies", swapped.Bytes(), granted)
	c.Msgs, c.Object = msgs(s.grantMsg(s.Requests[1], swapped.Bytes())), ""
	other, err := s.KeyGrant(s.Requests[2], 2, nil)
	if err != nil {
		return nil, err
	}
	for j := range other.Commitments {
		x, err := group.RandomScalar(rand.Reader)
		if err != nil {
			return nil, err
		}
		other.Commitments[j] = new(group.Element).BaseMul(x)
	}
	c = add("accepted-commitments-of-another-polynomial", other.Bytes(), granted)
	c.Msgs, c.Object = msgs(s.grantMsg(s.Requests[2], other.Bytes())), ""
	return out, nil
}
