package keeper_test

import (
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

func TestRequestAccess(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	k := h.App.PhrKeeper
	msg := w.RequestMsg(7)
	seq := auditHead(t, h)
	var resp types.MsgRequestAccessResponse
	mustDecode(t, w, w.Hospital, msg, &resp)
	require.Equal(t, uint64(1), resp.GrantId)
	requireOneEntry(t, h, seq, types.ActionRequestAccess, w.Hospital.String(), w.Patient.String(), grantObj(1))

	g := getGrant(t, h, resp.GrantId)
	require.Equal(t, types.GRANT_STATUS_REQUESTED, g.Status)
	require.Equal(t, w.Hospital.String(), g.Requester)
	require.Equal(t, w.RequesterKey.Public().Bytes(), g.RequesterKey)
	require.Equal(t, w.Patient.String(), g.Patient)
	require.Equal(t, phrtest.Vault, g.Vault)
	require.Equal(t, uint64(1), g.Epoch)
	require.Equal(t, uint32(7), g.Scope.MaxRecords)
	require.True(t, g.Scope.FromTime.Equal(msg.Scope.FromTime))
	require.True(t, g.Scope.ToTime.Equal(msg.Scope.ToTime))
	require.Equal(t, "treatment", g.Purpose)
	require.True(t, g.RequestedExpiry.Equal(msg.Expiry))
	require.Equal(t, h.App.LastBlockHeight(), g.RequestedHeight)
	require.Empty(t, g.Proxies)
	require.Empty(t, g.KeyGrant)

	ctx := h.Ctx()
	requested := int32(types.GRANT_STATUS_REQUESTED)
	has, err := k.Grants.Indexes.ByPatient.Has(ctx, collections.Join3(w.Patient.Address, requested, g.Id))
	require.NoError(t, err)
	require.True(t, has)
	has, err = k.Grants.Indexes.ByRequester.Has(ctx, collections.Join3(w.Hospital.Address, requested, g.Id))
	require.NoError(t, err)
	require.True(t, has)
	has, err = k.Grants.Indexes.RequestQueue.Has(ctx, collections.Join(g.RequestedExpiry.UnixNano(), g.Id))
	require.NoError(t, err)
	require.True(t, has, "a request waits in the request queue until its requested expiry")

	require.Equal(t, uint64(2), w.Request(1), "ids keep counting")
}

func TestRequestAccessRefusals(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	now := w.Now()
	req := func(edit func(m *types.MsgRequestAccess)) *types.MsgRequestAccess {
		m := w.RequestMsg(5)
		edit(m)
		return m
	}
	cases := []struct {
		name   string
		signer apptest.Account
		msg    *types.MsgRequestAccess
		want   *errorsmod.Error
	}{
		{"stranger", w.Stranger, req(func(m *types.MsgRequestAccess) { m.Requester = w.Stranger.String() }), types.ErrNotHospital},
		{"proxy", w.Proxies[0], req(func(m *types.MsgRequestAccess) { m.Requester = w.Proxies[0].String() }), types.ErrNotHospital},
		{"patient for itself", w.Patient, req(func(m *types.MsgRequestAccess) { m.Requester = w.Patient.String() }), types.ErrNotHospital},
		{"unknown patient", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Patient = w.Stranger.String() }), types.ErrVaultNotFound},
		{"malformed patient", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Patient = "patient" }), types.ErrInvalidAddress},
		{"unknown vault", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Vault = "sleep" }), types.ErrVaultNotFound},
		{"from after to", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Scope.FromTime, m.Scope.ToTime = m.Scope.ToTime, m.Scope.FromTime }), types.ErrInvalidScope},
		{"from equal to", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Scope.FromTime = m.Scope.ToTime }), types.ErrInvalidScope},
		{"max_records 0", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Scope.MaxRecords = 0 }), types.ErrInvalidScope},
		{"empty purpose", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Purpose = "" }), types.ErrInvalidScope},
		{"purpose too long", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Purpose = strings.Repeat("p", 257) }), types.ErrInvalidScope},
		{"expiry in the past", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Expiry = now.Add(-time.Hour) }), types.ErrInvalidExpiry},
		{"expiry at the last block time", w.Hospital, req(func(m *types.MsgRequestAccess) { m.Expiry = now }), types.ErrInvalidExpiry},
		{"expiry beyond the longest grant", w.Hospital, req(func(m *types.MsgRequestAccess) {
			m.Expiry = now.Add(time.Duration(types.DefaultMaxGrantDurationSeconds+3600) * time.Second)
		}), types.ErrInvalidExpiry},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			deliverRefused(t, h, tc.signer, tc.want, tc.msg)
		})
	}

	t.Run("max_grant_duration_seconds is a param", func(t *testing.T) {
		setParams(t, h, func(p *types.Params) { p.MaxGrantDurationSeconds = 3600 })
		deliverRefused(t, h, w.Hospital, types.ErrInvalidExpiry, req(func(m *types.MsgRequestAccess) { m.Expiry = w.Now().Add(2 * time.Hour) }))
		w.MustDeliver(w.Hospital, req(func(m *types.MsgRequestAccess) { m.Expiry = w.Now().Add(30 * time.Minute) }))
	})
	// a purpose of exactly 256 bytes is fine
	w.MustDeliver(w.Hospital, req(func(m *types.MsgRequestAccess) {
		m.Purpose = strings.Repeat("p", 256)
		m.Expiry = w.Now().Add(30 * time.Minute)
	}))
}

func TestGrantAccess(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	grantID := w.Request(5)
	msg := w.GrantMsg(grantID, 2)
	seq := auditHead(t, h)
	w.MustDeliver(w.Patient, msg)
	requireOneEntry(t, h, seq, types.ActionGrantAccess, w.Patient.String(), w.Patient.String(), grantObj(grantID))

	g := getGrant(t, h, grantID)
	require.Equal(t, types.GRANT_STATUS_GRANTED, g.Status)
	require.Equal(t, uint32(2), g.Threshold)
	require.Equal(t, msg.KeyGrant, g.KeyGrant)
	require.True(t, g.Expiry.Equal(msg.Expiry))
	require.Equal(t, h.App.LastBlockHeight(), g.DecidedHeight)
	require.Len(t, g.Proxies, 3)
	require.Len(t, g.VerificationKeys, 3)

	// each proxy's cached V_i is the one its own fragment checks against
	kg, err := pre.DecodeGrant(g.KeyGrant)
	require.NoError(t, err)
	ctx := h.Ctx()
	for i, p := range w.Proxies {
		frag, err := pre.OpenFragment(w.ProxyKeys[i], apptest.ChainID, grantID, p.Address, kg)
		require.NoError(t, err)
		slot := indexOf(g.Proxies, p.String())
		require.GreaterOrEqual(t, slot, 0)
		require.Equal(t, frag.Key.VBytes(), g.VerificationKeys[slot], "V of proxy %d", i)
		has, err := k.Grants.Indexes.ByProxy.Has(ctx, collections.Join3(p.Address, int32(types.GRANT_STATUS_GRANTED), grantID))
		require.NoError(t, err)
		require.True(t, has)
	}
	has, err := k.Grants.Indexes.GrantQueue.Has(ctx, collections.Join(g.Expiry.UnixNano(), grantID))
	require.NoError(t, err)
	require.True(t, has)
	has, err = k.Grants.Indexes.RequestQueue.Has(ctx, collections.Join(g.RequestedExpiry.UnixNano(), grantID))
	require.NoError(t, err)
	require.False(t, has, "a granted request leaves the request queue")

	// the requester can derive its grant key (C_0^d = A)
	_, err = pre.DeriveGrantKey(w.RequesterKey, w.GrantContext(grantID), w.VaultKey.Public(), kg)
	require.NoError(t, err)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// keyGrantFor is a key grant of w's vault for grantID sealed to an arbitrary committee.
func keyGrantFor(t *testing.T, w *phrtest.World, grantID uint64, threshold int, committee []pre.ProxyRecipient) []byte {
	t.Helper()
	g, err := pre.CreateGrant(w.VaultKey, w.GrantContext(grantID), w.RequesterKey.Public(), threshold, committee, rand.Reader)
	require.NoError(t, err)
	return g.Bytes()
}

func outsider(t *testing.T, a apptest.Account) pre.ProxyRecipient {
	pk, err := keys.DecodeProxyPublicKey(proxyKey(t).Public().Bytes())
	require.NoError(t, err)
	return pre.ProxyRecipient{Address: a.Address, Key: pk}
}

func TestGrantAccessRefusals(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	grantID := w.Request(5)
	granted := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(granted, 2))
	denied := w.Request(5)
	w.MustDeliver(w.Patient, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: denied})

	grant := func(edit func(m *types.MsgGrantAccess)) *types.MsgGrantAccess {
		m := w.GrantMsg(grantID, 2)
		edit(m)
		return m
	}
	committee := w.Committee()
	cases := []struct {
		name   string
		signer apptest.Account
		msg    *types.MsgGrantAccess
		want   *errorsmod.Error
		check  bool // refused in CheckTx already (the chain firewall)
	}{
		{"stranger", w.Stranger, grant(func(m *types.MsgGrantAccess) { m.Patient = w.Stranger.String() }), types.ErrNotPatient, false},
		{"the requester", w.Hospital, grant(func(m *types.MsgGrantAccess) { m.Patient = w.Hospital.String() }), types.ErrNotPatient, false},
		{"unknown grant", w.Patient, w.GrantMsg(99, 2), types.ErrGrantNotFound, false},
		{"already granted", w.Patient, w.GrantMsg(granted, 2), types.ErrGrantState, false},
		{"denied", w.Patient, w.GrantMsg(denied, 2), types.ErrGrantState, false},
		{"truncated key grant", w.Patient, grant(func(m *types.MsgGrantAccess) { m.KeyGrant = m.KeyGrant[:len(m.KeyGrant)-1] }), types.ErrInvalidKeyGrant, true},
		{"trailing byte", w.Patient, grant(func(m *types.MsgGrantAccess) { m.KeyGrant = append(m.KeyGrant, 0) }), types.ErrInvalidKeyGrant, true},
		{"empty key grant", w.Patient, grant(func(m *types.MsgGrantAccess) { m.KeyGrant = nil }), types.ErrInvalidKeyGrant, true},
		{"garbage key grant", w.Patient, grant(func(m *types.MsgGrantAccess) { m.KeyGrant = []byte("not a key grant at all") }), types.ErrInvalidKeyGrant, true},
		{"threshold 1", w.Patient, grant(func(m *types.MsgGrantAccess) { m.KeyGrant[0] = 1 }), types.ErrInvalidKeyGrant, true},
		{"threshold above n", w.Patient, grant(func(m *types.MsgGrantAccess) { m.KeyGrant[0] = 4 }), types.ErrInvalidKeyGrant, true},
		{"identity X", w.Patient, grant(func(m *types.MsgGrantAccess) { copy(m.KeyGrant[2:34], make([]byte, 32)) }), types.ErrInvalidKeyGrant, true},
		{"identity commitment", w.Patient, grant(func(m *types.MsgGrantAccess) { copy(m.KeyGrant[34:66], make([]byte, 32)) }), types.ErrInvalidKeyGrant, true},
		{"committee missing a proxy", w.Patient, grant(func(m *types.MsgGrantAccess) { m.KeyGrant = keyGrantFor(t, w, grantID, 2, committee[:2]) }), types.ErrCommitteeMismatch, false},
		{"committee with an extra non-proxy", w.Patient, grant(func(m *types.MsgGrantAccess) {
			m.KeyGrant = keyGrantFor(t, w, grantID, 2, append(append([]pre.ProxyRecipient(nil), committee...), outsider(t, w.Stranger)))
		}), types.ErrCommitteeMismatch, false},
		{"committee with a proxy replaced", w.Patient, grant(func(m *types.MsgGrantAccess) {
			m.KeyGrant = keyGrantFor(t, w, grantID, 2, []pre.ProxyRecipient{committee[0], committee[1], outsider(t, w.Hospital)})
		}), types.ErrCommitteeMismatch, false},
		{"expiry after the requested expiry", w.Patient, grant(func(m *types.MsgGrantAccess) { m.Expiry = getGrant(t, h, grantID).RequestedExpiry.Add(time.Second) }), types.ErrInvalidExpiry, false},
		{"expiry in the past", w.Patient, grant(func(m *types.MsgGrantAccess) { m.Expiry = w.Now().Add(-time.Minute) }), types.ErrInvalidExpiry, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.check {
				checkTxRefused(t, h, tc.signer, tc.want, tc.msg)
			}
			deliverRefused(t, h, tc.signer, tc.want, tc.msg)
		})
	}
	require.Equal(t, types.GRANT_STATUS_REQUESTED, getGrant(t, h, grantID).Status)
	// the requested expiry itself is fine
	w.MustDeliver(w.Patient, grant(func(m *types.MsgGrantAccess) { m.Expiry = getGrant(t, h, grantID).RequestedExpiry }))
	require.Equal(t, types.GRANT_STATUS_GRANTED, getGrant(t, h, grantID).Status)
}

// With fewer than two admitted proxies no grant is possible.
func TestGrantAccessNoCommittee(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	grantID := w.Request(5)
	msg := w.GrantMsg(grantID, 2) // sealed to the committee of three
	for _, p := range w.Proxies[1:] {
		require.NoError(t, h.App.PhrKeeper.RemoveMember(h.Ctx(), h.App.PhrKeeper.Authority(), p.Address, types.ROLE_PROXY))
	}
	h.NextBlock()
	committee := w.Committee()
	require.Len(t, committee, 1)
	deliverRefused(t, h, w.Patient, types.ErrNoCommittee, msg)
	msg.KeyGrant = keyGrantFor(t, w, grantID, 2, append(committee, outsider(t, w.Stranger)))
	deliverRefused(t, h, w.Patient, types.ErrNoCommittee, msg)
}

// A key grant built for another grant id is well formed, names the right
// committee and decodes: the chain cannot tell (proxy ids are derived from
// the grant id, not encoded, and the grant id binds the sealed fragments
// through HPKE aad the chain cannot open), so GrantAccess accepts it. It is
// useless: no proxy can open its fragment under this grant, the requester
// cannot derive the grant key, and an answer made with the fragment opened
// under the other grant id fails the chain's proof check: refused as evidence
// (audited REFUSED, the seat spent), nothing stored.
func TestGrantAccessKeyGrantForAnotherGrantID(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	recordID := w.Upload(testPayload, w.Now())
	target := w.Request(5)
	other := w.Request(5)
	msg := w.GrantMsg(target, 2)
	kg := w.KeyGrant(other, 2)
	msg.KeyGrant = kg.Bytes()
	w.MustDeliver(w.Patient, msg)
	require.Equal(t, types.GRANT_STATUS_GRANTED, getGrant(t, h, target).Status)

	for i, p := range w.Proxies {
		_, err := pre.OpenFragment(w.ProxyKeys[i], apptest.ChainID, target, p.Address, kg)
		require.ErrorIs(t, err, pre.ErrFragment, "proxy %d", i)
	}
	_, err := pre.DeriveGrantKey(w.RequesterKey, w.GrantContext(target), w.VaultKey.Public(), kg)
	require.Error(t, err)

	tasks := w.Fetch(target, recordID)
	rec, err := h.App.PhrKeeper.GetRecord(h.Ctx(), recordID)
	require.NoError(t, err)
	frag, err := pre.OpenFragment(w.ProxyKeys[0], apptest.ChainID, other, w.Proxies[0].Address, kg)
	require.NoError(t, err, "the fragment opens under the grant id it was made for")
	E, err := pre.DecodeCapsuleEs(rec.Capsules)
	require.NoError(t, err)
	ans, err := frag.Answer(pre.AnswerContext{ChainID: apptest.ChainID, GrantID: other, TaskID: tasks[0], RecordID: recordID,
		Capsules: uint32(len(E)), Proxy: w.Proxies[0].Address}, E, rand.Reader)
	require.NoError(t, err)
	answer := &types.MsgSubmitAnswers{Proxy: w.Proxies[0].String(), Answers: []types.AnswerSubmission{{TaskId: tasks[0], Answer: ans.Bytes()}}}
	seq := auditHead(t, h)
	w.MustDeliver(w.Proxies[0], answer)
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 1)
	requireEntry(t, entries[0], types.ActionAnswerTask, w.Proxies[0].String(), w.Patient.String(), taskObj(tasks[0]), audittypes.OUTCOME_REFUSED)
	requireRefusedSeat(t, h, tasks[0], w.Proxies[0])
}

func TestDenyAccess(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	grantID := w.Request(5)
	granted := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(granted, 2))

	deny := &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: grantID, Note: "not now"}
	deliverRefused(t, h, w.Stranger, types.ErrNotPatient, &types.MsgDenyAccess{Patient: w.Stranger.String(), GrantId: grantID})
	deliverRefused(t, h, w.Hospital, types.ErrNotPatient, &types.MsgDenyAccess{Patient: w.Hospital.String(), GrantId: grantID})
	deliverRefused(t, h, w.Patient, types.ErrGrantNotFound, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: 99})
	deliverRefused(t, h, w.Patient, types.ErrGrantState, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: granted})

	seq := auditHead(t, h)
	w.MustDeliver(w.Patient, deny)
	requireOneEntry(t, h, seq, types.ActionDenyAccess, w.Patient.String(), w.Patient.String(), grantObj(grantID))
	g := getGrant(t, h, grantID)
	require.Equal(t, types.GRANT_STATUS_DENIED, g.Status)
	require.Equal(t, "not now", g.Note)
	require.Equal(t, h.App.LastBlockHeight(), g.DecidedHeight)

	deliverRefused(t, h, w.Patient, types.ErrGrantState, deny)
	deliverRefused(t, h, w.Patient, types.ErrGrantState, w.GrantMsg(grantID, 2))
	deliverRefused(t, h, w.Patient, types.ErrGrantState, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: grantID})
	deliverRefused(t, h, w.Hospital, types.ErrGrantState,
		&types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grantID, RecordIds: []uint64{1}})
}

// Revocation cancels the grant's open tasks (and only those), takes them out
// of every proxy's pending list and of the deadline index, drops the grant
// from the expiry index, and keeps shares already completed.
func TestRevokeAccess(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	r1 := w.Upload(testPayload, w.Now())
	r2 := w.Upload(testPayload, w.Now())
	grantID := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	other := w.Request(5) // a second grant whose tasks must survive
	w.MustDeliver(w.Patient, w.GrantMsg(other, 2))
	done := w.Fetch(grantID, r1)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, done...))
	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, done...))
	open := w.Fetch(grantID, r2)
	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, open[0])) // one answer in, not enough
	survivors := w.Fetch(other, r2)

	deliverRefused(t, h, w.Stranger, types.ErrNotPatient, &types.MsgRevokeAccess{Patient: w.Stranger.String(), GrantId: grantID})
	deliverRefused(t, h, w.Hospital, types.ErrNotPatient, &types.MsgRevokeAccess{Patient: w.Hospital.String(), GrantId: grantID})
	deliverRefused(t, h, w.Patient, types.ErrGrantNotFound, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: 99})
	requested := w.Request(5)
	deliverRefused(t, h, w.Patient, types.ErrGrantState, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: requested})

	expiry := getGrant(t, h, grantID).Expiry
	seq := auditHead(t, h)
	w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: grantID, Note: "changed my mind"})
	requireOneEntry(t, h, seq, types.ActionRevokeAccess, w.Patient.String(), w.Patient.String(), grantObj(grantID))

	ctx := h.Ctx()
	g := getGrant(t, h, grantID)
	require.Equal(t, types.GRANT_STATUS_REVOKED, g.Status)
	require.Equal(t, "changed my mind", g.Note)
	has, err := k.Grants.Indexes.GrantQueue.Has(ctx, collections.Join(expiry.UnixNano(), grantID))
	require.NoError(t, err)
	require.False(t, has)
	for _, p := range w.Proxies {
		has, err := k.Grants.Indexes.ByProxy.Has(ctx, collections.Join3(p.Address, int32(types.GRANT_STATUS_GRANTED), grantID))
		require.NoError(t, err)
		require.False(t, has, "a revoked grant leaves the proxies' granted lists")
	}
	for _, id := range done {
		require.Equal(t, types.TASK_STATUS_DONE, getTask(t, h, id).Status)
	}
	// Revocation does not walk the grant's open tasks: they stay open until
	// their deadline, and no answer is accepted for them.
	for _, id := range open {
		require.Equal(t, types.TASK_STATUS_OPEN, getTask(t, h, id).Status)
	}
	for _, id := range survivors {
		require.Equal(t, types.TASK_STATUS_OPEN, getTask(t, h, id).Status)
	}
	for i, p := range w.Proxies {
		pending := pendingTaskIDs(t, h, p)
		require.ElementsMatch(t, survivors, pending, "proxy %d sees only the other grant's tasks", i)
	}
	env, err := w.Decrypt(grantID, r1)
	require.NoError(t, err, "a share completed before revocation stays")
	require.Equal(t, testPayload, env.Payload)

	// nothing more happens under the revoked grant
	r3 := w.Upload(testPayload, w.Now())
	deliverRefused(t, h, w.Hospital, types.ErrGrantRevoked,
		&types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grantID, RecordIds: []uint64{r3}})
	late := w.AnswerMsg(0, open...)
	deliverRefused(t, h, w.Proxies[0], types.ErrGrantRevoked, late)
	deliverRefused(t, h, w.Patient, types.ErrGrantState, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: grantID})
	deliverRefused(t, h, w.Patient, types.ErrGrantState, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: grantID})
}

func pendingTaskIDs(t *testing.T, h *apptest.Harness, proxy apptest.Account) []uint64 {
	t.Helper()
	res, err := queryServer(h).PendingTasks(h.Ctx(), &types.QueryPendingTasksRequest{Proxy: proxy.String()})
	require.NoError(t, err)
	ids := []uint64{}
	for _, task := range res.Tasks {
		ids = append(ids, task.Id)
	}
	return ids
}

func requireEmpty[K any](t *testing.T, set collections.KeySet[K], ctx sdk.Context, msg string) {
	t.Helper()
	it, err := set.Iterate(ctx, nil)
	require.NoError(t, err)
	defer it.Close()
	require.False(t, it.Valid(), msg)
}
