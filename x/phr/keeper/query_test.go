package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// pageAll follows next keys with pages of size limit and returns every id
// and the number of pages; fetch returns one page's ids and next key.
func pageAll(t *testing.T, limit uint64, fetch func(p *query.PageRequest) ([]uint64, []byte)) (ids []uint64, pages int) {
	t.Helper()
	ids = []uint64{}
	var key []byte
	for {
		got, next := fetch(&query.PageRequest{Key: key, Limit: limit})
		require.LessOrEqual(t, uint64(len(got)), limit)
		ids = append(ids, got...)
		pages++
		require.Less(t, pages, 100, "pagination does not end")
		if len(next) == 0 {
			return ids, pages
		}
		key = next
	}
}

func grantIDs(gs []types.Grant) []uint64 {
	out := []uint64{}
	for _, g := range gs {
		out = append(out, g.Id)
	}
	return out
}

// grantsQueryWorld: w's patient has grants 1 granted, 2 denied, 3 requested,
// 4 revoked (all by the hospital) and 5 requested by a second hospital (the
// gateway account); the stranger is a second patient with grant 6 requested
// and 7 granted by the hospital.
func grantsQueryWorld(t *testing.T) *phrtest.World {
	t.Helper()
	w := phrtest.NewWorld(t, 3)
	h := w.H
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), h.App.PhrKeeper.Authority(), w.Gateway.Address, types.ROLE_HOSPITAL, requesterKey(t).Public().Bytes()))
	h.NextBlock()
	g1 := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(g1, 2))
	g2 := w.Request(5)
	w.MustDeliver(w.Patient, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: g2})
	w.Request(5)
	g4 := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(g4, 2))
	w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: g4})
	m := w.RequestMsg(5)
	m.Requester = w.Gateway.String()
	w.MustDeliver(w.Gateway, m)
	other := registerPatientWithDevices(t, w, w.Stranger, w.Gateway, "vitals")["vitals"]
	requestFor(t, w, other, 5)
	g7 := requestFor(t, w, other, 5)
	grantFor(t, w, other, g7)
	return w
}

func TestGrantQueries(t *testing.T) {
	w := grantsQueryWorld(t)
	h := w.H
	q := queryServer(h)
	ctx := h.Ctx()
	byPatient := func(a apptest.Account, s types.GrantStatus, p *query.PageRequest) *types.QueryGrantsResponse {
		res, err := q.GrantsByPatient(ctx, &types.QueryGrantsByPatientRequest{Patient: a.String(), Status: s, Pagination: p})
		require.NoError(t, err)
		return res
	}
	byRequester := func(a apptest.Account, s types.GrantStatus) []uint64 {
		res, err := q.GrantsByRequester(ctx, &types.QueryGrantsByRequesterRequest{Requester: a.String(), Status: s})
		require.NoError(t, err)
		return grantIDs(res.Grants)
	}
	byProxy := func(a apptest.Account, s types.GrantStatus) []uint64 {
		res, err := q.GrantsByProxy(ctx, &types.QueryGrantsByProxyRequest{Proxy: a.String(), Status: s})
		require.NoError(t, err)
		return grantIDs(res.Grants)
	}

	// an unfiltered list comes grouped by status (requested, granted, denied,
	// revoked, expired), each in id order
	require.Equal(t, []uint64{3, 5, 1, 2, 4}, grantIDs(byPatient(w.Patient, types.GRANT_STATUS_UNSPECIFIED, nil).Grants))
	require.Equal(t, []uint64{1}, grantIDs(byPatient(w.Patient, types.GRANT_STATUS_GRANTED, nil).Grants))
	require.Equal(t, []uint64{2}, grantIDs(byPatient(w.Patient, types.GRANT_STATUS_DENIED, nil).Grants))
	require.Equal(t, []uint64{3, 5}, grantIDs(byPatient(w.Patient, types.GRANT_STATUS_REQUESTED, nil).Grants))
	require.Equal(t, []uint64{4}, grantIDs(byPatient(w.Patient, types.GRANT_STATUS_REVOKED, nil).Grants))
	require.Empty(t, byPatient(w.Patient, types.GRANT_STATUS_EXPIRED, nil).Grants)
	require.Equal(t, []uint64{6, 7}, grantIDs(byPatient(w.Stranger, types.GRANT_STATUS_UNSPECIFIED, nil).Grants))
	require.Empty(t, byPatient(w.Hospital, types.GRANT_STATUS_UNSPECIFIED, nil).Grants)

	require.Equal(t, []uint64{3, 6, 1, 7, 2, 4}, byRequester(w.Hospital, types.GRANT_STATUS_UNSPECIFIED))
	require.Equal(t, []uint64{3, 6}, byRequester(w.Hospital, types.GRANT_STATUS_REQUESTED))
	require.Equal(t, []uint64{5}, byRequester(w.Gateway, types.GRANT_STATUS_UNSPECIFIED))
	require.Empty(t, byRequester(w.Gateway, types.GRANT_STATUS_GRANTED))

	for _, p := range w.Proxies {
		require.Equal(t, []uint64{1, 7, 4}, byProxy(p, types.GRANT_STATUS_UNSPECIFIED), "only decided grants name proxies")
		require.Equal(t, []uint64{1, 7}, byProxy(p, types.GRANT_STATUS_GRANTED))
		require.Equal(t, []uint64{4}, byProxy(p, types.GRANT_STATUS_REVOKED))
	}
	require.Empty(t, byProxy(w.Hospital, types.GRANT_STATUS_UNSPECIFIED))

	// pagination stays inside the patient's prefix, with and without a filter
	first := byPatient(w.Patient, types.GRANT_STATUS_UNSPECIFIED, &query.PageRequest{Limit: 2})
	require.Equal(t, []uint64{3, 5}, grantIDs(first.Grants))
	require.NotEmpty(t, first.Pagination.NextKey)
	for _, limit := range []uint64{1, 2, 3} {
		ids, _ := pageAll(t, limit, func(p *query.PageRequest) ([]uint64, []byte) {
			res := byPatient(w.Patient, types.GRANT_STATUS_UNSPECIFIED, p)
			return grantIDs(res.Grants), res.Pagination.NextKey
		})
		require.Equal(t, []uint64{3, 5, 1, 2, 4}, ids, "limit %d", limit)
		ids, _ = pageAll(t, limit, func(p *query.PageRequest) ([]uint64, []byte) {
			res := byPatient(w.Patient, types.GRANT_STATUS_REQUESTED, p)
			return grantIDs(res.Grants), res.Pagination.NextKey
		})
		require.Equal(t, []uint64{3, 5}, ids, "limit %d, requested only", limit)
	}
	offset := byPatient(w.Patient, types.GRANT_STATUS_UNSPECIFIED, &query.PageRequest{Offset: 3, Limit: 10})
	require.Equal(t, []uint64{2, 4}, grantIDs(offset.Grants))
	require.Len(t, byPatient(w.Patient, types.GRANT_STATUS_UNSPECIFIED, &query.PageRequest{Limit: 10 * types.MaxPageLimit}).Grants, 5,
		"a limit above the cap is lowered, not refused")

	// page bounds: counting and deep offsets would walk the whole index
	_, err := q.GrantsByPatient(ctx, &types.QueryGrantsByPatientRequest{Patient: w.Patient.String(),
		Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	require.Contains(t, err.Error(), "count_total")
	_, err = q.GrantsByProxy(ctx, &types.QueryGrantsByProxyRequest{Proxy: w.Proxies[0].String(),
		Pagination: &query.PageRequest{Offset: types.MaxPageOffset + 1}})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	require.Contains(t, err.Error(), "offset")

	// malformed addresses and unknown ids
	_, err = q.GrantsByPatient(ctx, &types.QueryGrantsByPatientRequest{Patient: "nope"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = q.GrantsByProxy(ctx, &types.QueryGrantsByProxyRequest{Proxy: ""})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = q.Grant(ctx, &types.QueryGrantRequest{Id: 99})
	require.Equal(t, codes.NotFound, status.Code(err))
	res, err := q.Grant(ctx, &types.QueryGrantRequest{Id: 7})
	require.NoError(t, err)
	require.Equal(t, w.Stranger.String(), res.Grant.Patient)
}

// PendingTasks lists, per proxy, the open tasks of active grants it sits on
// and has not answered: not answered ones, not closed ones, not those of
// revoked grants, not other proxies'.
func TestPendingTasksQuery(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	r1 := w.Upload(testPayload, w.Now())
	r2 := w.Upload(testPayload, w.Now())
	r3 := w.Upload(testPayload, w.Now())
	g1, g2 := w.Request(5), w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(g1, 2))
	w.MustDeliver(w.Patient, w.GrantMsg(g2, 2))
	t1 := w.Fetch(g1, r1, r2, r3) // 1..3, one task per record
	t2 := w.Fetch(g2, r1)         // 4
	all := append(append([]uint64(nil), t1...), t2...)
	for _, p := range w.Proxies {
		require.Equal(t, all, pendingTaskIDs(t, h, p))
	}
	// a proxy admitted later, and accounts that are not proxies, have none
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), h.App.PhrKeeper.Authority(), w.Stranger.Address, types.ROLE_PROXY, proxyKey(t).Public().Bytes()))
	h.NextBlock()
	require.Empty(t, pendingTaskIDs(t, h, w.Stranger))
	require.Empty(t, pendingTaskIDs(t, h, w.Hospital))

	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, t1[:1]...)) // answers r1's tasks under g1
	require.Equal(t, append(append([]uint64(nil), t1[1:]...), t2...), pendingTaskIDs(t, h, w.Proxies[0]))
	require.Equal(t, all, pendingTaskIDs(t, h, w.Proxies[1]))

	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, t1[:1]...)) // completes them
	require.Equal(t, append(append([]uint64(nil), t1[1:]...), t2...), pendingTaskIDs(t, h, w.Proxies[2]), "done tasks are not pending")

	w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: g2})
	for _, p := range w.Proxies {
		require.Equal(t, t1[1:], pendingTaskIDs(t, h, p), "tasks of a revoked grant are not pending")
	}

	// pagination
	ids, pages := pageAll(t, 1, func(p *query.PageRequest) ([]uint64, []byte) {
		res, err := queryServer(h).PendingTasks(h.Ctx(), &types.QueryPendingTasksRequest{Proxy: w.Proxies[2].String(), Pagination: p})
		require.NoError(t, err)
		out := []uint64{}
		for _, task := range res.Tasks {
			out = append(out, task.Id)
		}
		return out, res.Pagination.NextKey
	})
	require.Equal(t, t1[1:], ids)
	require.GreaterOrEqual(t, pages, 2)

	_, err := queryServer(h).PendingTasks(h.Ctx(), &types.QueryPendingTasksRequest{Proxy: "proxy"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))

	// task and share queries
	task, err := queryServer(h).Task(h.Ctx(), &types.QueryTaskRequest{Id: t1[0]})
	require.NoError(t, err)
	require.Equal(t, types.TASK_STATUS_DONE, task.Task.Status)
	_, err = queryServer(h).Task(h.Ctx(), &types.QueryTaskRequest{Id: 99})
	require.Equal(t, codes.NotFound, status.Code(err))
	share, err := queryServer(h).Share(h.Ctx(), &types.QueryShareRequest{GrantId: g1, RecordId: r1})
	require.NoError(t, err)
	require.Equal(t, types.SHARE_STATUS_COMPLETE, share.Share.Status)
	_, err = queryServer(h).Share(h.Ctx(), &types.QueryShareRequest{GrantId: g2, RecordId: r2})
	require.Equal(t, codes.NotFound, status.Code(err))
	shares, err := queryServer(h).SharesByGrant(h.Ctx(), &types.QuerySharesByGrantRequest{GrantId: g1})
	require.NoError(t, err)
	require.Len(t, shares.Shares, 3)
	require.Equal(t, types.SHARE_STATUS_COMPLETE, shares.Shares[0].Status)
	require.Equal(t, types.SHARE_STATUS_PENDING, shares.Shares[1].Status)
}

func recordIDs(rs []types.Record) []uint64 {
	out := []uint64{}
	for _, r := range rs {
		out = append(out, r.Id)
	}
	return out
}

func TestRecordsByPatientQuery(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	mine := []uint64{w.Upload(testPayload, w.Now()), w.Upload(testPayload, w.Now())} // 1, 2
	other := registerPatientWithDevices(t, w, w.Stranger, w.Gateway, "vitals", "sleep")
	s1 := other["sleep"].upload(t, w, testPayload, w.Now())  // 3
	v1 := other["vitals"].upload(t, w, testPayload, w.Now()) // 4
	s2 := other["sleep"].upload(t, w, testPayload, w.Now())  // 5
	mine = append(mine, w.Upload(testPayload, w.Now()))      // 6

	q := queryServer(h)
	list := func(a apptest.Account, vault string, p *query.PageRequest) *types.QueryRecordsResponse {
		res, err := q.RecordsByPatient(h.Ctx(), &types.QueryRecordsByPatientRequest{Patient: a.String(), Vault: vault, Pagination: p})
		require.NoError(t, err)
		return res
	}
	require.Equal(t, mine, recordIDs(list(w.Patient, "", nil).Records))
	require.Equal(t, mine, recordIDs(list(w.Patient, phrtest.Vault, nil).Records))
	require.Empty(t, list(w.Patient, "sleep", nil).Records)
	require.Equal(t, []uint64{s1, s2, v1}, recordIDs(list(w.Stranger, "", nil).Records), "grouped by vault")
	require.Equal(t, []uint64{s1, s2}, recordIDs(list(w.Stranger, "sleep", nil).Records))
	require.Equal(t, []uint64{v1}, recordIDs(list(w.Stranger, "vitals", nil).Records))
	require.Empty(t, list(w.Hospital, "", nil).Records)

	for _, limit := range []uint64{1, 2} {
		ids, _ := pageAll(t, limit, func(p *query.PageRequest) ([]uint64, []byte) {
			res := list(w.Stranger, "sleep", p)
			return recordIDs(res.Records), res.Pagination.NextKey
		})
		require.Equal(t, []uint64{s1, s2}, ids, "limit %d", limit)
		ids, _ = pageAll(t, limit, func(p *query.PageRequest) ([]uint64, []byte) {
			res := list(w.Patient, "", p)
			return recordIDs(res.Records), res.Pagination.NextKey
		})
		require.Equal(t, mine, ids, "limit %d", limit)
	}
	_, err := q.RecordsByPatient(h.Ctx(), &types.QueryRecordsByPatientRequest{Patient: w.Patient.String(),
		Pagination: &query.PageRequest{Limit: 1, CountTotal: true}})
	require.Equal(t, codes.InvalidArgument, status.Code(err), "count_total is refused")

	_, err = q.RecordsByPatient(h.Ctx(), &types.QueryRecordsByPatientRequest{Patient: "x"})
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	_, err = q.Record(h.Ctx(), &types.QueryRecordRequest{Id: 99})
	require.Equal(t, codes.NotFound, status.Code(err))
	rec, err := q.Record(h.Ctx(), &types.QueryRecordRequest{Id: s2})
	require.NoError(t, err)
	require.Equal(t, "sleep", rec.Record.Vault)
	require.Equal(t, w.Stranger.String(), rec.Record.Patient)
	require.NotEmpty(t, rec.Record.Body)

	// the head: the same record without its body
	_, err = q.RecordHead(h.Ctx(), &types.QueryRecordHeadRequest{Id: 99})
	require.Equal(t, codes.NotFound, status.Code(err))
	head, err := q.RecordHead(h.Ctx(), &types.QueryRecordHeadRequest{Id: s2})
	require.NoError(t, err)
	require.Empty(t, head.Record.Body)
	whole := rec.Record
	whole.Body = nil
	require.Equal(t, whole, head.Record)
}
