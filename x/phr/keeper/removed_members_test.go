package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Removing a hospital or a proxy takes effect on grants already made: the
// hospital fetches no more, the proxy answers no more.
func TestRemovedMembersLoseTheirGrants(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	k := w.H.App.PhrKeeper
	first := w.Upload([]byte(`{"n":1}`), w.Now())
	second := w.Upload([]byte(`{"n":2}`), w.Now())
	grantID := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	tasks := w.Fetch(grantID, first)

	require.NoError(t, k.RemoveMember(w.H.Ctx(), k.Authority(), w.Proxies[0].Address, types.ROLE_PROXY))
	w.H.NextBlock()
	res := w.H.Deliver(w.Proxies[0], w.AnswerMsg(0, tasks...))
	require.Equal(t, types.ErrNotProxy.ABCICode(), res.Code, res.Log)
	task, err := k.Tasks.Get(w.H.Ctx(), tasks[0])
	require.NoError(t, err)
	require.Empty(t, task.Answers)

	require.NoError(t, k.RemoveMember(w.H.Ctx(), k.Authority(), w.Hospital.Address, types.ROLE_HOSPITAL))
	w.H.NextBlock()
	res = w.H.Deliver(w.Hospital, &types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grantID, RecordIds: []uint64{second}})
	require.Equal(t, types.ErrNotHospital.ABCICode(), res.Code, res.Log)
	fetched, err := k.Shares.Has(w.H.Ctx(), joinU64(grantID, second))
	require.NoError(t, err)
	require.False(t, fetched)
}
