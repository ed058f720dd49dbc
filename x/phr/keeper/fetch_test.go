package keeper_test

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

func fetchMsg(w *phrtest.World, grantID uint64, records ...uint64) *types.MsgFetchRecords {
	return &types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grantID, RecordIds: records}
}

// requestFor asks, as w's hospital, for d's vault (another patient's).
func requestFor(t *testing.T, w *phrtest.World, d *device, maxRecords uint32) uint64 {
	t.Helper()
	m := w.RequestMsg(maxRecords)
	m.Patient, m.Vault = d.patient.String(), d.vault
	var resp types.MsgRequestAccessResponse
	mustDecode(t, w, w.Hospital, m, &resp)
	return resp.GrantId
}

// grantFor is d's patient granting grantID 2-of-n over d's vault.
func grantFor(t *testing.T, w *phrtest.World, d *device, grantID uint64) {
	t.Helper()
	kg, err := pre.CreateGrant(d.vaultSK, pre.GrantContext{ChainID: apptest.ChainID, GrantID: grantID, Vault: d.vault, Epoch: d.vaultSK.Epoch},
		w.RequesterKey.Public(), 2, w.Committee(), rand.Reader)
	require.NoError(t, err)
	w.MustDeliver(d.patient, &types.MsgGrantAccess{Patient: d.patient.String(), GrantId: grantID, KeyGrant: kg.Bytes(), Expiry: w.Now().Add(time.Hour)})
}

func TestFetchRecords(t *testing.T) {
	w, grantID, r1 := grantedWorld(t)
	h := w.H
	k := h.App.PhrKeeper
	r2 := w.Upload(testPayload, w.Now())

	seq := auditHead(t, h)
	var resp types.MsgFetchRecordsResponse
	mustDecode(t, w, w.Hospital, fetchMsg(w, grantID, r2, r1), &resp)
	require.Equal(t, []uint64{1, 2}, resp.TaskIds, "one task per record, in request order")
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 2)
	requireEntry(t, entries[0], types.ActionFetchRecords, w.Hospital.String(), w.Patient.String(), fetchObj(grantID, r2), audittypes.OUTCOME_SUCCESS)
	requireEntry(t, entries[1], types.ActionFetchRecords, w.Hospital.String(), w.Patient.String(), fetchObj(grantID, r1), audittypes.OUTCOME_SUCCESS)

	ctx := h.Ctx()
	height := h.App.LastBlockHeight()
	records := []uint64{r2, r1}
	for i, id := range resp.TaskIds {
		task := getTask(t, h, id)
		require.Equal(t, grantID, task.GrantId)
		require.Equal(t, records[i], task.RecordId)
		require.Equal(t, types.TASK_STATUS_OPEN, task.Status)
		require.Equal(t, height, task.OpenedHeight)
		require.Equal(t, height+types.DefaultTaskTimeoutBlocks, task.DeadlineHeight)
		require.Empty(t, task.Answers)
		require.Equal(t, getGrant(t, h, grantID).Proxies, task.Committee)
		requireTaskQueued(t, h, id, true)
	}
	for _, r := range []uint64{r1, r2} {
		share, err := k.Shares.Get(ctx, collections.Join(grantID, r))
		require.NoError(t, err)
		require.Equal(t, types.SHARE_STATUS_PENDING, share.Status)
		require.Equal(t, height, share.FetchedHeight)
		require.Equal(t, w.Hospital.String(), share.Requester)
		require.Len(t, share.FirstLevel, 2)
	}
	require.Equal(t, uint32(2), getGrant(t, h, grantID).RecordsFetched)
	for _, p := range w.Proxies {
		require.Equal(t, resp.TaskIds, pendingTaskIDs(t, h, p))
	}
}

func TestFetchRecordsRefusals(t *testing.T) {
	w, grantID, r1 := grantedWorld(t)
	h := w.H
	r2 := w.Upload(testPayload, w.Now())
	setParams(t, h, func(p *types.Params) { p.MaxUploadDelaySeconds = 7 * 24 * 3600 })
	old := w.Upload(testPayload, w.Now().Add(-48*time.Hour)) // before the scope's window
	// a second hospital, and a second patient with two vaults
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), h.App.PhrKeeper.Authority(), w.Gateway.Address, types.ROLE_HOSPITAL, requesterKey(t).Public().Bytes()))
	h.NextBlock()
	other := registerPatientWithDevices(t, w, w.Stranger, w.Gateway, "vitals", "sleep")
	otherPatientsRecord := other["vitals"].upload(t, w, testPayload, w.Now())
	requested := w.Request(5)

	t.Run("not the requester", func(t *testing.T) {
		deliverRefused(t, h, w.Stranger, types.ErrNotRequester, &types.MsgFetchRecords{Requester: w.Stranger.String(), GrantId: grantID, RecordIds: []uint64{r1}})
		deliverRefused(t, h, w.Gateway, types.ErrNotRequester, &types.MsgFetchRecords{Requester: w.Gateway.String(), GrantId: grantID, RecordIds: []uint64{r1}})
		deliverRefused(t, h, w.Patient, types.ErrNotRequester, &types.MsgFetchRecords{Requester: w.Patient.String(), GrantId: grantID, RecordIds: []uint64{r1}})
	})
	t.Run("unknown grant", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrGrantNotFound, fetchMsg(w, 99, r1))
	})
	t.Run("not granted yet", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrGrantState, fetchMsg(w, requested, r1))
	})
	t.Run("unknown record", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrRecordNotFound, fetchMsg(w, grantID, 999))
	})
	t.Run("another patient's record", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrOutOfScope, fetchMsg(w, grantID, otherPatientsRecord))
	})
	t.Run("another vault of the same patient", func(t *testing.T) {
		sleepGrant := requestFor(t, w, other["sleep"], 5)
		grantFor(t, w, other["sleep"], sleepGrant)
		deliverRefused(t, h, w.Hospital, types.ErrOutOfScope, fetchMsg(w, sleepGrant, otherPatientsRecord))
		sleepRecord := other["sleep"].upload(t, w, testPayload, w.Now())
		w.Fetch(sleepGrant, sleepRecord)
	})
	t.Run("outside the time window", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrOutOfScope, fetchMsg(w, grantID, old))
	})
	t.Run("one record out of scope refuses the whole fetch", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrOutOfScope, fetchMsg(w, grantID, r1, r2, old))
	})
	t.Run("no records", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrTooManyRecords, fetchMsg(w, grantID))
	})
	t.Run("same record twice in one fetch", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrAlreadyFetched, fetchMsg(w, grantID, r1, r1))
	})
	t.Run("same record in a later fetch", func(t *testing.T) {
		w.Fetch(grantID, r1)
		deliverRefused(t, h, w.Hospital, types.ErrAlreadyFetched, fetchMsg(w, grantID, r1))
		deliverRefused(t, h, w.Hospital, types.ErrAlreadyFetched, fetchMsg(w, grantID, r2, r1))
	})
	t.Run("too many per fetch", func(t *testing.T) {
		setParams(t, h, func(p *types.Params) { p.MaxRecordsPerFetch = 2 })
		r3 := w.Upload(testPayload, w.Now())
		r4 := w.Upload(testPayload, w.Now())
		deliverRefused(t, h, w.Hospital, types.ErrTooManyRecords, fetchMsg(w, grantID, r2, r3, r4))
		require.Len(t, w.Fetch(grantID, r2, r3), 2)
	})
}

// max_records bounds the records fetched under a grant over all fetches.
func TestFetchRecordsScopeExhausted(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	var records []uint64
	for i := 0; i < 4; i++ {
		records = append(records, w.Upload(testPayload, w.Now()))
	}
	grantID := w.Request(2)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	deliverRefused(t, h, w.Hospital, types.ErrScopeExhausted, fetchMsg(w, grantID, records[:3]...))
	w.Fetch(grantID, records[0])
	deliverRefused(t, h, w.Hospital, types.ErrScopeExhausted, fetchMsg(w, grantID, records[1], records[2]))
	w.Fetch(grantID, records[1])
	deliverRefused(t, h, w.Hospital, types.ErrScopeExhausted, fetchMsg(w, grantID, records[2]))
	require.Equal(t, uint32(2), getGrant(t, h, grantID).RecordsFetched)
}

// The time window is [from, to): a record at from is in, one at to is out.
func TestFetchRecordsWindowEdges(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	base := w.Now().Truncate(time.Minute)
	from, to := base.Add(-60*time.Minute), base.Add(-10*time.Minute)
	atFrom := w.Upload(testPayload, from)
	atTo := w.Upload(testPayload, to)
	before := w.Upload(testPayload, from.Add(-time.Minute))
	inside := w.Upload(testPayload, to.Add(-time.Minute))
	m := w.RequestMsg(10)
	m.Scope.FromTime, m.Scope.ToTime = from, to
	var resp types.MsgRequestAccessResponse
	mustDecode(t, w, w.Hospital, m, &resp)
	w.MustDeliver(w.Patient, w.GrantMsg(resp.GrantId, 2))

	deliverRefused(t, h, w.Hospital, types.ErrOutOfScope, fetchMsg(w, resp.GrantId, atTo))
	deliverRefused(t, h, w.Hospital, types.ErrOutOfScope, fetchMsg(w, resp.GrantId, before))
	require.Len(t, w.Fetch(resp.GrantId, atFrom, inside), 2)
}

// A grant stops serving fetches at its expiry: in the block that reaches it
// (before the end blocker marks it) and after.
func TestFetchRecordsExpiredGrant(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	r1 := w.Upload(testPayload, w.Now())
	r2 := w.Upload(testPayload, w.Now())
	r3 := w.Upload(testPayload, w.Now())
	grantID := w.Request(5)
	// blocks are 5 s apart: granted in the block at T+5, expiring at T+15
	msg := w.GrantMsg(grantID, 2)
	msg.Expiry = w.Now().Add(15 * time.Second)
	w.MustDeliver(w.Patient, msg)
	w.Fetch(grantID, r1) // block T+10: still active

	taskSeq, err := k.TaskSeq.Peek(h.Ctx())
	require.NoError(t, err)
	res := h.Deliver(w.Hospital, fetchMsg(w, grantID, r2)) // block T+15: expiry reached, status still GRANTED in the tx
	requireCode(t, types.ErrGrantExpired, res.Codespace, res.Code, res.Log)
	after, err := k.TaskSeq.Peek(h.Ctx())
	require.NoError(t, err)
	require.Equal(t, taskSeq, after, "no task opened")
	has, err := k.Shares.Has(h.Ctx(), collections.Join(grantID, r2))
	require.NoError(t, err)
	require.False(t, has)
	require.Equal(t, uint32(1), getGrant(t, h, grantID).RecordsFetched)

	// the end blocker of that block marked it expired
	require.Equal(t, types.GRANT_STATUS_EXPIRED, getGrant(t, h, grantID).Status)
	deliverRefused(t, h, w.Hospital, types.ErrGrantExpired, fetchMsg(w, grantID, r3))
}

// docs/design.md §7: "Every message checks its signer's role". A hospital whose
// admission the authority withdrew must not open new tasks under the grants
// it holds.
func TestFetchRecordsRemovedHospital(t *testing.T) {
	w, grantID, r1 := grantedWorld(t)
	h := w.H
	require.NoError(t, h.App.PhrKeeper.RemoveMember(h.Ctx(), h.App.PhrKeeper.Authority(), w.Hospital.Address, types.ROLE_HOSPITAL))
	h.NextBlock()
	deliverRefused(t, h, w.Hospital, types.ErrNotHospital, fetchMsg(w, grantID, r1))
}
