package tests

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// replica is two app instances on separate in-memory databases, started from
// one genesis, that receive the same FinalizeBlock requests.
type replica struct {
	t    *testing.T
	a, b *apptest.Harness
}

// block finalizes and commits the same block (header hash included, so the
// chain firewall's rerandomization seed is the same) on both apps and requires
// the same tx results and the same app hash.
func (r *replica) block(txs ...[]byte) []*abci.ExecTxResult {
	r.t.Helper()
	height := r.a.App.LastBlockHeight() + 1
	var h [8]byte
	binary.BigEndian.PutUint64(h[:], uint64(height))
	hash := sha256.Sum256(append([]byte("determinism header "), h[:]...))
	ra := r.a.FinalizeBlock(hash[:], txs...)
	rb := r.b.FinalizeBlock(hash[:], txs...)
	require.NotEmpty(r.t, ra.AppHash)
	require.Equal(r.t, ra.AppHash, rb.AppHash, "app hash differs at height %d", height)
	require.Equal(r.t, ra.TxResults, rb.TxResults, "tx results differ at height %d", height)
	for i, res := range ra.TxResults {
		require.Zero(r.t, res.Code, "height %d tx %d: %s", height, i, res.Log)
	}
	return ra.TxResults
}

// TestReplayIsDeterministic plays the PHR story (admission, registration,
// uploads that the chain firewall rerandomizes, a 2-of-3 grant, fetches,
// answers that the chain verifies and combines, task and request expiry in the
// end blocker, revocation) block by block on two app instances and compares
// their app hashes at every height.
func TestReplayIsDeterministic(t *testing.T) {
	const nProxies = 3
	appState, accounts := apptest.NewGenesis(t, 5+nProxies, func(genesis map[string]json.RawMessage, accounts []apptest.Account) {
		var phr map[string]any // the proto JSON document, edited by field name
		require.NoError(t, json.Unmarshal(genesis[types.ModuleName], &phr))
		params := phr["params"].(map[string]any)
		params["admission_authority"] = accounts[0].String() // admission by tx, no keeper call
		params["task_timeout_blocks"] = "3"                  // unanswered tasks expire within the test
		bz, err := json.Marshal(phr)
		require.NoError(t, err)
		genesis[types.ModuleName] = bz
	})
	r := &replica{t: t,
		a: apptest.FromAppState(t, apptest.NewEmptyApp(), appState, accounts),
		b: apptest.FromAppState(t, apptest.NewEmptyApp(), appState, accounts)}
	require.Equal(t, r.a.App.LastCommitID().Hash, r.b.App.LastCommitID().Hash, "genesis")

	// The fixture's actors and keys, over app a: messages are built from a's
	// state and then delivered to both apps.
	admin := accounts[0]
	w := &phrtest.World{T: t, H: r.a, Patient: accounts[1], Hospital: accounts[2], Gateway: accounts[3],
		Stranger: accounts[4], Proxies: accounts[5:]}
	w.GenerateKeys()
	sign := r.a.SignTx

	admit := []*types.MsgAdmitMember{{Authority: admin.String(), Member: w.Hospital.String(), Role: types.ROLE_HOSPITAL,
		PublicKey: w.RequesterKey.Public().Bytes()}}
	for _, p := range w.Proxies {
		sk, err := keys.GenerateProxyKey(rand.Reader)
		require.NoError(t, err)
		w.ProxyKeys = append(w.ProxyKeys, sk)
		admit = append(admit, &types.MsgAdmitMember{Authority: admin.String(), Member: p.String(), Role: types.ROLE_PROXY,
			PublicKey: sk.Public().Bytes()})
	}
	r.block(sign(admin, admit[0], admit[1], admit[2], admit[3]))

	r.block(sign(w.Patient,
		&types.MsgRegisterPatient{Patient: w.Patient.String(),
			Vaults: []types.VaultKey{{Name: phrtest.Vault, PublicKey: w.VaultKey.Public().Bytes()}}},
		&types.MsgRegisterDevice{Patient: w.Patient.String(), DeviceId: phrtest.DeviceID, Vault: phrtest.Vault,
			PublicKey: w.DeviceKey.Public().Bytes(), Gateway: w.Gateway.String()}))

	// Two uploads in one tx (message indexes 0 and 1 seed the chain's
	// rerandomization apart) and a request for access in the same block.
	reading := []byte(`{"resourceType":"Observation","status":"final"}`)
	res := r.block(
		sign(w.Gateway, w.UploadMsg(reading, w.Now()), w.UploadMsg(reading, w.Now())),
		sign(w.Hospital, w.RequestMsg(10)))
	var req types.MsgRequestAccessResponse
	require.NoError(t, phrtest.DecodeResponse(r.a, res[1], &req))
	grant := req.GrantId
	records := []uint64{1, 2}

	// The patient grants 2 of 3; a second request expires unanswered.
	short := w.RequestMsg(10)
	short.Expiry = w.Now().Add(20 * time.Second)
	res = r.block(sign(w.Patient, w.GrantMsg(grant, 2)), sign(w.Hospital, short))
	require.NoError(t, phrtest.DecodeResponse(r.a, res[1], &req))
	expiring := req.GrantId

	var fetched types.MsgFetchRecordsResponse
	res = r.block(sign(w.Hospital, &types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grant, RecordIds: records}))
	require.NoError(t, phrtest.DecodeResponse(r.a, res[0], &fetched))
	require.Len(t, fetched.TaskIds, 2, "one task per record")

	// Two proxies answer in one block; a third record is uploaded.
	r.block(sign(w.Proxies[0], w.AnswerMsg(0, fetched.TaskIds...)), sign(w.Proxies[2], w.AnswerMsg(2, fetched.TaskIds...)),
		sign(w.Gateway, w.UploadMsg(reading, w.Now())))
	for _, id := range records {
		env, err := w.Decrypt(grant, id)
		require.NoError(t, err, "record %d", id)
		require.Equal(t, reading, env.Payload)
	}

	// The third record's task is never answered: it expires at its deadline.
	res = r.block(sign(w.Hospital, &types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grant, RecordIds: []uint64{3}}))
	var unanswered types.MsgFetchRecordsResponse
	require.NoError(t, phrtest.DecodeResponse(r.a, res[0], &unanswered))
	require.Len(t, unanswered.TaskIds, 1)
	for range 5 {
		r.block()
	}

	r.block(sign(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: grant, Note: "done"}))
	r.block()

	q := keeper.NewQueryServerImpl(r.a.App.PhrKeeper)
	ctx := context.Context(r.a.Ctx())
	for _, id := range unanswered.TaskIds {
		task, err := q.Task(ctx, &types.QueryTaskRequest{Id: id})
		require.NoError(t, err)
		require.Equal(t, types.TASK_STATUS_EXPIRED, task.Task.Status, "task %d", id)
	}
	for id, want := range map[uint64]types.GrantStatus{grant: types.GRANT_STATUS_REVOKED, expiring: types.GRANT_STATUS_EXPIRED} {
		g, err := q.Grant(ctx, &types.QueryGrantRequest{Id: id})
		require.NoError(t, err)
		require.Equal(t, want, g.Grant.Status, "grant %d", id)
	}
}
