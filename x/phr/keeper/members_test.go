package keeper_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

func memberObj(a apptest.Account, r types.Role) string { return a.String() + "/" + r.String() }

// Each role is admitted with the key it carries: a hospital its requester key
// (ristretto255), a proxy its HPKE key, a validator none.
func TestAdmitMember(t *testing.T) {
	h := apptest.New(t, 3)
	srv := msgServer(h)
	authority := h.App.PhrKeeper.Authority()
	hospital, proxy, validator := h.Accounts[0], h.Accounts[1], h.Accounts[2]
	hkey, pkey := requesterKey(t).Public().Bytes(), proxyKey(t).Public().Bytes()

	for _, tc := range []struct {
		who  apptest.Account
		role types.Role
		key  []byte
	}{
		{hospital, types.ROLE_HOSPITAL, hkey},
		{proxy, types.ROLE_PROXY, pkey},
		{validator, types.ROLE_VALIDATOR, nil},
	} {
		ctx := h.Ctx()
		seq := auditHead(t, h)
		_, err := srv.AdmitMember(ctx, &types.MsgAdmitMember{Authority: authority, Member: tc.who.String(), Role: tc.role, PublicKey: tc.key})
		require.NoError(t, err, tc.role.String())
		m, err := h.App.PhrKeeper.GetMember(ctx, tc.who.Address, tc.role)
		require.NoError(t, err)
		require.Equal(t, tc.who.String(), m.Address)
		require.Equal(t, tc.role, m.Role)
		require.Equal(t, ctx.BlockHeight(), m.AdmittedHeight)
		require.True(t, bytes.Equal(tc.key, m.PublicKey), tc.role.String())
		requireOneEntry(t, h, seq, types.ActionAdmitMember, authority, "", memberObj(tc.who, tc.role))
	}
	// one address may hold several roles
	_, err := srv.AdmitMember(h.Ctx(), &types.MsgAdmitMember{Authority: authority, Member: hospital.String(), Role: types.ROLE_PROXY, PublicKey: pkey})
	require.NoError(t, err)
	committee, err := h.App.PhrKeeper.Committee(h.Ctx())
	require.NoError(t, err)
	require.Len(t, committee, 2)
	require.True(t, bytes.Compare(sdk.MustAccAddressFromBech32(committee[0].Address), sdk.MustAccAddressFromBech32(committee[1].Address)) < 0,
		"committee in address order")
}

func TestAdmitMemberRefusals(t *testing.T) {
	h := apptest.New(t, 3)
	srv := msgServer(h)
	authority := h.App.PhrKeeper.Authority()
	admitted, member, stranger := h.Accounts[0], h.Accounts[1], h.Accounts[2]
	hkey, pkey := requesterKey(t).Public().Bytes(), proxyKey(t).Public().Bytes()
	_, err := srv.AdmitMember(h.Ctx(), &types.MsgAdmitMember{Authority: authority, Member: admitted.String(), Role: types.ROLE_HOSPITAL, PublicKey: hkey})
	require.NoError(t, err)
	h.NextBlock()

	highBit := bytes.Clone(pkey)
	highBit[31] |= 0x80 // non-canonical X25519 encoding
	cases := []struct {
		name string
		msg  types.MsgAdmitMember
		want *errorsmod.Error
	}{
		{"hospital with identity key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_HOSPITAL, PublicKey: make([]byte, 32)}, types.ErrInvalidMemberKey},
		{"hospital with short key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_HOSPITAL, PublicKey: hkey[:31]}, types.ErrInvalidMemberKey},
		{"hospital without key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_HOSPITAL}, types.ErrInvalidMemberKey},
		{"hospital with non-canonical key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_HOSPITAL, PublicKey: bytes.Repeat([]byte{0xff}, 32)}, types.ErrInvalidMemberKey},
		{"proxy with small-order key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_PROXY, PublicKey: make([]byte, 32)}, types.ErrInvalidMemberKey},
		{"proxy with non-canonical key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_PROXY, PublicKey: highBit}, types.ErrInvalidMemberKey},
		{"proxy with long key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_PROXY, PublicKey: append(bytes.Clone(pkey), 0)}, types.ErrInvalidMemberKey},
		{"proxy without key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_PROXY}, types.ErrInvalidMemberKey},
		{"validator with a key", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_VALIDATOR, PublicKey: hkey}, types.ErrInvalidMemberKey},
		{"unspecified role", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.ROLE_UNSPECIFIED}, types.ErrInvalidRole},
		{"unknown role", types.MsgAdmitMember{Authority: authority, Member: member.String(), Role: types.Role(9), PublicKey: hkey}, types.ErrInvalidRole},
		{"malformed member", types.MsgAdmitMember{Authority: authority, Member: "medex1nope", Role: types.ROLE_HOSPITAL, PublicKey: hkey}, types.ErrInvalidAddress},
		{"duplicate", types.MsgAdmitMember{Authority: authority, Member: admitted.String(), Role: types.ROLE_HOSPITAL, PublicKey: requesterKey(t).Public().Bytes()}, types.ErrMemberExists},
		{"not the authority", types.MsgAdmitMember{Authority: stranger.String(), Member: member.String(), Role: types.ROLE_HOSPITAL, PublicKey: hkey}, types.ErrInvalidAuthority},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(h)
			_, err := srv.AdmitMember(h.Ctx(), &tc.msg)
			require.ErrorIs(t, err, tc.want)
			requireUnchanged(t, h, before)
		})
	}
	// the duplicate kept the first key
	m, err := h.App.PhrKeeper.GetMember(h.Ctx(), admitted.Address, types.ROLE_HOSPITAL)
	require.NoError(t, err)
	require.Equal(t, hkey, m.PublicKey)
}

// Through signed txs: an account that is not the authority is refused; the
// admission_authority param lets a named account admit and remove, and only
// while it is named.
func TestAdmissionAuthorityParam(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	admin, newcomer := w.Stranger, w.Gateway
	hkey := requesterKey(t).Public().Bytes()
	admit := &types.MsgAdmitMember{Authority: admin.String(), Member: newcomer.String(), Role: types.ROLE_HOSPITAL, PublicKey: hkey}

	deliverRefused(t, h, admin, types.ErrInvalidAuthority, admit)
	deliverRefused(t, h, admin, types.ErrInvalidAuthority, &types.MsgRemoveMember{Authority: admin.String(), Member: w.Hospital.String(), Role: types.ROLE_HOSPITAL})

	setParams(t, h, func(p *types.Params) { p.AdmissionAuthority = admin.String() })
	seq := auditHead(t, h)
	w.MustDeliver(admin, admit)
	requireOneEntry(t, h, seq, types.ActionAdmitMember, admin.String(), "", memberObj(newcomer, types.ROLE_HOSPITAL))
	ok, err := h.App.PhrKeeper.IsMember(h.Ctx(), newcomer.Address, types.ROLE_HOSPITAL)
	require.NoError(t, err)
	require.True(t, ok)

	// another account is still refused, and so is the admission authority for params
	deliverRefused(t, h, newcomer, types.ErrInvalidAuthority,
		&types.MsgAdmitMember{Authority: newcomer.String(), Member: newcomer.String(), Role: types.ROLE_VALIDATOR})
	deliverRefused(t, h, admin, types.ErrInvalidAuthority,
		&types.MsgUpdateParams{Authority: admin.String(), Params: types.DefaultParams()})

	// a duplicate through a tx
	deliverRefused(t, h, admin, types.ErrMemberExists, admit)

	// removal by the admission authority
	seq = auditHead(t, h)
	w.MustDeliver(admin, &types.MsgRemoveMember{Authority: admin.String(), Member: newcomer.String(), Role: types.ROLE_HOSPITAL})
	requireOneEntry(t, h, seq, types.ActionRemoveMember, admin.String(), "", memberObj(newcomer, types.ROLE_HOSPITAL))
	ok, err = h.App.PhrKeeper.IsMember(h.Ctx(), newcomer.Address, types.ROLE_HOSPITAL)
	require.NoError(t, err)
	require.False(t, ok)
	deliverRefused(t, h, admin, types.ErrMemberNotFound,
		&types.MsgRemoveMember{Authority: admin.String(), Member: newcomer.String(), Role: types.ROLE_HOSPITAL})
	deliverRefused(t, h, admin, types.ErrMemberNotFound,
		&types.MsgRemoveMember{Authority: admin.String(), Member: w.Hospital.String(), Role: types.ROLE_PROXY})

	// no longer named: refused again
	setParams(t, h, func(p *types.Params) { p.AdmissionAuthority = "" })
	deliverRefused(t, h, admin, types.ErrInvalidAuthority, admit)
}

// A removed hospital can no longer request access.
func TestRemoveMember(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	authority := h.App.PhrKeeper.Authority()
	seq := auditHead(t, h)
	_, err := msgServer(h).RemoveMember(h.Ctx(), &types.MsgRemoveMember{Authority: authority, Member: w.Hospital.String(), Role: types.ROLE_HOSPITAL})
	require.NoError(t, err)
	requireOneEntry(t, h, seq, types.ActionRemoveMember, authority, "", memberObj(w.Hospital, types.ROLE_HOSPITAL))
	h.NextBlock()
	deliverRefused(t, h, w.Hospital, types.ErrNotHospital, w.RequestMsg(1))

	// refusals leave the store alone
	for _, tc := range []struct {
		name string
		msg  types.MsgRemoveMember
		want *errorsmod.Error
	}{
		{"not admitted", types.MsgRemoveMember{Authority: authority, Member: w.Hospital.String(), Role: types.ROLE_HOSPITAL}, types.ErrMemberNotFound},
		{"not the authority", types.MsgRemoveMember{Authority: w.Patient.String(), Member: w.Proxies[0].String(), Role: types.ROLE_PROXY}, types.ErrInvalidAuthority},
		{"malformed member", types.MsgRemoveMember{Authority: authority, Member: "x", Role: types.ROLE_PROXY}, types.ErrInvalidAddress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshot(h)
			_, err := msgServer(h).RemoveMember(h.Ctx(), &tc.msg)
			require.ErrorIs(t, err, tc.want)
			requireUnchanged(t, h, before)
		})
	}
}

// A member rotates its own key; nobody else can, and the new key must be
// valid for the role.
func TestUpdateMemberKey(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	newHospitalKey := requesterKey(t).Public().Bytes()
	seq := auditHead(t, h)
	w.MustDeliver(w.Hospital, &types.MsgUpdateMemberKey{Member: w.Hospital.String(), Role: types.ROLE_HOSPITAL, PublicKey: newHospitalKey})
	requireOneEntry(t, h, seq, types.ActionUpdateMemberKey, w.Hospital.String(), "", memberObj(w.Hospital, types.ROLE_HOSPITAL))
	m, err := h.App.PhrKeeper.GetMember(h.Ctx(), w.Hospital.Address, types.ROLE_HOSPITAL)
	require.NoError(t, err)
	require.Equal(t, newHospitalKey, m.PublicKey)

	// a new request carries the new key
	grantID := w.Request(1)
	require.Equal(t, newHospitalKey, getGrant(t, h, grantID).RequesterKey)

	newProxyKey := proxyKey(t).Public().Bytes()
	w.MustDeliver(w.Proxies[1], &types.MsgUpdateMemberKey{Member: w.Proxies[1].String(), Role: types.ROLE_PROXY, PublicKey: newProxyKey})
	m, err = h.App.PhrKeeper.GetMember(h.Ctx(), w.Proxies[1].Address, types.ROLE_PROXY)
	require.NoError(t, err)
	require.Equal(t, newProxyKey, m.PublicKey)

	deliverRefused(t, h, w.Stranger, types.ErrMemberNotFound,
		&types.MsgUpdateMemberKey{Member: w.Stranger.String(), Role: types.ROLE_HOSPITAL, PublicKey: requesterKey(t).Public().Bytes()})
	deliverRefused(t, h, w.Hospital, types.ErrMemberNotFound, // admitted as hospital, not as proxy
		&types.MsgUpdateMemberKey{Member: w.Hospital.String(), Role: types.ROLE_PROXY, PublicKey: proxyKey(t).Public().Bytes()})
	deliverRefused(t, h, w.Hospital, types.ErrInvalidMemberKey,
		&types.MsgUpdateMemberKey{Member: w.Hospital.String(), Role: types.ROLE_HOSPITAL, PublicKey: make([]byte, 32)})
	deliverRefused(t, h, w.Proxies[0], types.ErrInvalidMemberKey,
		&types.MsgUpdateMemberKey{Member: w.Proxies[0].String(), Role: types.ROLE_PROXY, PublicKey: newProxyKey[:16]})

	// the stranger signs an update of the hospital's key: the signature is
	// not the member's, refused by the ante chain before the module.
	before := snapshot(h)
	res := h.Deliver(w.Stranger, &types.MsgUpdateMemberKey{Member: w.Hospital.String(), Role: types.ROLE_HOSPITAL, PublicKey: requesterKey(t).Public().Bytes()})
	requireCode(t, sdkerrors.ErrInvalidPubKey, res.Codespace, res.Code, res.Log)
	requireUnchanged(t, h, before)
	m, err = h.App.PhrKeeper.GetMember(h.Ctx(), w.Hospital.Address, types.ROLE_HOSPITAL)
	require.NoError(t, err)
	require.Equal(t, newHospitalKey, m.PublicKey)
}
