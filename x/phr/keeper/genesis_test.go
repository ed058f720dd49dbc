package keeper_test

import (
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// A chain that went through every step (rotation, a deactivated device,
// complete and incomplete shares, open and done tasks, granted, denied,
// requested and revoked grants) exports a genesis that imports into a fresh
// app with the same phr and audit stores, indexes included, and exports
// again to the same document. The imported chain then continues: an open
// task is answered and its share decrypts, new records, grants and tasks get
// fresh ids, and the audit chain links on.
func TestGenesisExportImportContinue(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	r1 := w.Upload(testPayload, w.Now())
	r2 := w.Upload(testPayload, w.Now())
	g1 := w.Request(10)
	w.MustDeliver(w.Patient, w.GrantMsg(g1, 2))
	done := w.Fetch(g1, r1)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, done...))
	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, done...))
	open := w.Fetch(g1, r2)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, open...))
	g2 := w.Request(1)
	w.MustDeliver(w.Patient, &types.MsgDenyAccess{Patient: w.Patient.String(), GrantId: g2, Note: "no"})
	w.Request(1) // stays requested
	g4 := w.Request(1)
	w.MustDeliver(w.Patient, w.GrantMsg(g4, 2))
	w.Fetch(g4, r2)
	w.MustDeliver(w.Patient, &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: g4})
	others := registerPatientWithDevices(t, w, w.Stranger, w.Gateway, "vitals", "sleep")
	others["sleep"].upload(t, w, testPayload, w.Now())
	w.MustDeliver(w.Stranger, &types.MsgDeactivateDevice{Patient: w.Stranger.String(), DeviceId: others["vitals"].id})
	newSK, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	w.MustDeliver(w.Patient, &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: newSK.Public().Bytes()})
	w.VaultKey = newSK
	r4 := w.Upload(testPayload, w.Now())
	require.Equal(t, uint64(4), r4)

	first := h.ExportAppState()
	var modules map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(first, &modules))
	var gs types.GenesisState
	require.NoError(t, h.App.AppCodec().UnmarshalJSON(modules[types.ModuleName], &gs))
	require.Len(t, gs.Records, 4)
	require.Len(t, gs.Grants, 4)
	require.Len(t, gs.Tasks, 3)
	require.Len(t, gs.Shares, 3)
	require.Len(t, gs.VaultEpochs, 4)
	require.Equal(t, uint64(4), gs.LastRecordId)
	require.Equal(t, uint64(4), gs.LastGrantId)
	require.Equal(t, uint64(3), gs.LastTaskId)
	require.NoError(t, gs.Validate())
	for _, r := range gs.Records {
		require.NotEmpty(t, r.Body, "record %d is exported with its body", r.Id)
	}
	for _, task := range gs.Tasks {
		require.Len(t, task.Committee, 3, "task %d carries its committee", task.Id)
	}
	statuses := map[types.ShareStatus]int{}
	for _, sh := range gs.Shares {
		statuses[sh.Status]++
	}
	require.Equal(t, map[types.ShareStatus]int{types.SHARE_STATUS_COMPLETE: 1, types.SHARE_STATUS_PENDING: 2}, statuses)

	imported := apptest.FromAppState(t, apptest.NewEmptyApp(), first, h.Accounts)
	require.JSONEq(t, string(first), string(imported.ExportAppState()))
	// every collection and index as the original chain has it
	want, got := snapshot(h), snapshot(imported)
	diffStores(t, "phr", want.phr, got.phr)
	diffStores(t, "audit", want.audit, got.audit)
	ik := imported.App.PhrKeeper
	requireQueues := func(h *apptest.Harness) (requests, grants, tasks int) {
		k := h.App.PhrKeeper
		return queueLen(t, h, k.Grants.Indexes.RequestQueue.KeySet), queueLen(t, h, k.Grants.Indexes.GrantQueue.KeySet),
			queueLen(t, h, k.Tasks.Indexes.Queue.KeySet)
	}
	r, g, q := requireQueues(imported)
	require.Equal(t, []int{1, 1, 2}, []int{r, g, q}, "queues rebuilt: one request, one grant (g1), two open tasks")
	body, err := ik.RecordBodies.Get(imported.Ctx(), r1)
	require.NoError(t, err)
	require.Equal(t, gs.Records[0].Body, body, "bodies imported apart")

	// the imported chain continues
	w2 := *w
	w2.H = imported
	oldHead, err := imported.App.AuditKeeper.Head(imported.Ctx())
	require.NoError(t, err)
	for i, p := range w.Proxies {
		want := []uint64{}
		if i != 0 {
			want = open
		}
		require.Equal(t, want, pendingTaskIDs(t, imported, p), "proxy %d", i)
	}
	deliverRefused(t, imported, w.Proxies[0], types.ErrDuplicateAnswer, w2.AnswerMsg(0, open...))
	w2.MustDeliver(w2.Proxies[2], w2.AnswerMsg(2, open...))
	env, err := w2.Decrypt(g1, r2)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)
	env, err = w2.Decrypt(g1, r1)
	require.NoError(t, err, "a share completed before the export")
	require.Equal(t, testPayload, env.Payload)

	r5 := w2.Upload(testPayload, w2.Now())
	require.Equal(t, uint64(5), r5, "the next record id does not collide")
	g5 := w2.Request(3)
	require.Equal(t, uint64(5), g5)
	w2.MustDeliver(w2.Patient, w2.GrantMsg(g5, 3))
	tasks := w2.Fetch(g5, r4, r5)
	require.Equal(t, []uint64{4, 5}, tasks)
	// imported indexes still refuse what the original chain refused
	deliverRefused(t, imported, w.Hospital, types.ErrAlreadyFetched, fetchMsg(w, g1, r2))
	deliverRefused(t, imported, w.Hospital, types.ErrGrantRevoked, fetchMsg(w, g4, r1))

	entries := auditSince(t, imported, oldHead.Sequence)
	require.NotEmpty(t, entries)
	require.Equal(t, oldHead.Hash, entries[0].PrevHash, "the audit chain links on across the import")
}

// InitGenesis refuses a state whose ids could be reused.
func TestInitGenesisRefusesReusableIDs(t *testing.T) {
	w, _, _, _ := fetchedWorld(t)
	h := w.H
	gs, err := h.App.PhrKeeper.ExportGenesis(h.Ctx())
	require.NoError(t, err)
	for name, edit := range map[string]func(g *types.GenesisState){
		"record id above the last": func(g *types.GenesisState) { g.LastRecordId = 0 },
		"grant id above the last":  func(g *types.GenesisState) { g.LastGrantId = 0 },
		"task id above the last":   func(g *types.GenesisState) { g.LastTaskId = 0 },
	} {
		t.Run(name, func(t *testing.T) {
			bad := *gs
			edit(&bad)
			fresh := apptest.New(t, 1)
			err := fresh.App.PhrKeeper.InitGenesis(fresh.Ctx(), bad)
			require.ErrorIs(t, err, types.ErrInvalidGenesis)
		})
	}
}
