package keeper_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Shared fixture of the keeper tests: a raw dump of the phr and audit stores
// (so that "state did not change" covers every collection and index, not only
// the ones a test thinks of), assertions on registered errors through the
// ABCI result, and step helpers the phrtest World does not have.

var testPayload = []byte(`{"resourceType":"Observation","status":"final","code":{"text":"heart rate"}}`)

type kvPair struct{ k, v []byte }

// stateSnapshot is every key/value of the phr and audit stores.
type stateSnapshot struct {
	phr, audit []kvPair
}

func dumpStore(h *apptest.Harness, name string) []kvPair {
	h.T.Helper()
	key := h.App.GetKey(name)
	require.NotNil(h.T, key, "no store %q", name)
	it := h.Ctx().KVStore(key).Iterator(nil, nil)
	defer it.Close()
	var out []kvPair
	for ; it.Valid(); it.Next() {
		out = append(out, kvPair{bytes.Clone(it.Key()), bytes.Clone(it.Value())})
	}
	return out
}

func snapshot(h *apptest.Harness) stateSnapshot {
	return stateSnapshot{phr: dumpStore(h, types.StoreKey), audit: dumpStore(h, audittypes.StoreKey)}
}

// requireUnchanged fails with the first differing key if the phr or audit
// store differs from before.
func requireUnchanged(t *testing.T, h *apptest.Harness, before stateSnapshot) {
	t.Helper()
	after := snapshot(h)
	diffStores(t, "phr", before.phr, after.phr)
	diffStores(t, "audit", before.audit, after.audit)
}

func diffStores(t *testing.T, name string, a, b []kvPair) {
	t.Helper()
	for i := 0; i < len(a) || i < len(b); i++ {
		switch {
		case i >= len(a):
			t.Fatalf("%s store: key %x was added", name, b[i].k)
		case i >= len(b):
			t.Fatalf("%s store: key %x was removed", name, a[i].k)
		case !bytes.Equal(a[i].k, b[i].k):
			t.Fatalf("%s store: key %x became %x (added or removed)", name, a[i].k, b[i].k)
		case !bytes.Equal(a[i].v, b[i].v):
			t.Fatalf("%s store: value of key %x changed", name, a[i].k)
		}
	}
}

// requireCode asserts that a tx result carries exactly the registered error.
func requireCode(t *testing.T, want *errorsmod.Error, codespace string, code uint32, log string) {
	t.Helper()
	require.Equal(t, want.Codespace(), codespace, "codespace; log: %s", log)
	require.Equal(t, want.ABCICode(), code, "want %q (%d); log: %s", want.Error(), want.ABCICode(), log)
}

// deliverRefused delivers msgs signed by signer in a block of their own and
// asserts the registered error and that the phr and audit stores did not
// change (so nothing of the message, and no end-blocker work, took effect).
func deliverRefused(t *testing.T, h *apptest.Harness, signer apptest.Account, want *errorsmod.Error, msgs ...sdk.Msg) *abci.ExecTxResult {
	t.Helper()
	before := snapshot(h)
	res := h.Deliver(signer, msgs...)
	requireCode(t, want, res.Codespace, res.Code, res.Log)
	requireUnchanged(t, h, before)
	return res
}

// checkTxRefused runs msgs through CheckTx (ante chain only: the chain
// firewall, no msg server) and asserts the registered error.
func checkTxRefused(t *testing.T, h *apptest.Harness, signer apptest.Account, want *errorsmod.Error, msgs ...sdk.Msg) {
	t.Helper()
	before := snapshot(h)
	res := h.CheckTx(h.SignTx(signer, msgs...))
	requireCode(t, want, res.Codespace, res.Code, res.Log)
	requireUnchanged(t, h, before)
}

// mustDecode delivers a one-message tx that must succeed and decodes its response.
func mustDecode(t *testing.T, w *phrtest.World, signer apptest.Account, msg sdk.Msg, resp interface{ Unmarshal([]byte) error }) {
	t.Helper()
	res := w.MustDeliver(signer, msg)
	require.NoError(t, phrtest.DecodeResponse(w.H, res, resp))
}

func msgServer(h *apptest.Harness) types.MsgServer { return keeper.NewMsgServerImpl(h.App.PhrKeeper) }
func queryServer(h *apptest.Harness) types.QueryServer {
	return keeper.NewQueryServerImpl(h.App.PhrKeeper)
}

// firewalled runs the chain firewall over msgs on ctx as the ante handler
// does in simulation (validate, verify, no rerandomization: the mode outside
// block execution that runs msg servers; CheckTx hands them nothing) and
// returns the context a msg server expects.
func firewalled(t *testing.T, h *apptest.Harness, ctx sdk.Context, msgs ...sdk.Msg) sdk.Context {
	t.Helper()
	fw, err := h.App.PhrKeeper.Firewall(ctx.WithExecMode(sdk.ExecModeSimulate), msgs)
	require.NoError(t, err)
	return types.WithFirewalled(ctx, fw)
}

// setParams edits the phr params in committed state.
func setParams(t *testing.T, h *apptest.Harness, edit func(*types.Params)) {
	t.Helper()
	ctx := h.Ctx()
	p, err := h.App.PhrKeeper.Params.Get(ctx)
	require.NoError(t, err)
	edit(&p)
	require.NoError(t, p.Validate())
	require.NoError(t, h.App.PhrKeeper.Params.Set(ctx, p))
	h.NextBlock()
}

// auditHead is the sequence of the newest audit entry (0 when empty).
func auditHead(t *testing.T, h *apptest.Harness) uint64 {
	t.Helper()
	seq, err := h.App.AuditKeeper.LastSeq.Peek(h.Ctx())
	require.NoError(t, err)
	return seq
}

// auditSince returns the audit entries appended after sequence seq.
func auditSince(t *testing.T, h *apptest.Harness, seq uint64) []audittypes.Entry {
	t.Helper()
	ctx := h.Ctx()
	head := auditHead(t, h)
	var out []audittypes.Entry
	for s := seq + 1; s <= head; s++ {
		e, err := h.App.AuditKeeper.Entries.Get(ctx, s)
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

// requireEntry asserts one audit entry's action, actor, patient, object and outcome.
func requireEntry(t *testing.T, e audittypes.Entry, action, actor, patient, object string, outcome audittypes.Outcome) {
	t.Helper()
	require.Equal(t, action, e.Action, "entry %d", e.Sequence)
	require.Equal(t, actor, e.Actor, "entry %d (%s)", e.Sequence, e.Action)
	require.Equal(t, patient, e.Patient, "entry %d (%s)", e.Sequence, e.Action)
	require.Equal(t, object, e.ObjectId, "entry %d (%s)", e.Sequence, e.Action)
	require.Equal(t, outcome, e.Outcome, "entry %d (%s)", e.Sequence, e.Action)
	require.Equal(t, apptest.ChainID, e.ChainId)
}

// requireOneEntry asserts that exactly one entry was appended since seq and checks it.
func requireOneEntry(t *testing.T, h *apptest.Harness, seq uint64, action, actor, patient, object string) {
	t.Helper()
	entries := auditSince(t, h, seq)
	require.Len(t, entries, 1, "audit entries since %d", seq)
	requireEntry(t, entries[0], action, actor, patient, object, audittypes.OUTCOME_SUCCESS)
}

func grantObj(id uint64) string   { return fmt.Sprintf("grant/%d", id) }
func recordObj(id uint64) string  { return fmt.Sprintf("record/%d", id) }
func taskObj(id uint64) string    { return fmt.Sprintf("task/%d", id) }
func fetchObj(g, r uint64) string { return fmt.Sprintf("grant/%d/record/%d", g, r) }

func getGrant(t *testing.T, h *apptest.Harness, id uint64) types.Grant {
	t.Helper()
	g, err := h.App.PhrKeeper.GetGrant(h.Ctx(), id)
	require.NoError(t, err)
	return g
}

func getTask(t *testing.T, h *apptest.Harness, id uint64) types.Task {
	t.Helper()
	task, err := h.App.PhrKeeper.Tasks.Get(h.Ctx(), id)
	require.NoError(t, err)
	return task
}

// grantedWorld is a world with 3 proxies, one record, and an active 2-of-3
// grant (max 10 records) of the hospital over it.
func grantedWorld(t *testing.T) (w *phrtest.World, grantID, recordID uint64) {
	t.Helper()
	w = phrtest.NewWorld(t, 3)
	recordID = w.Upload(testPayload, w.Now())
	grantID = w.Request(10)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	return w, grantID, recordID
}

// fetchedWorld adds the fetch of the record: two open tasks.
func fetchedWorld(t *testing.T) (w *phrtest.World, grantID, recordID uint64, taskIDs []uint64) {
	t.Helper()
	w, grantID, recordID = grantedWorld(t)
	taskIDs = w.Fetch(grantID, recordID)
	require.Len(t, taskIDs, 1, "one task per record")
	return w, grantID, recordID, taskIDs
}

// device is a device of any patient and vault, encrypting like phrtest's.
type device struct {
	id      string
	patient apptest.Account
	vault   string
	vaultSK *keys.VaultSecretKey
	key     *keys.DeviceSecretKey
	gateway apptest.Account
	seq     uint64
}

// registerPatientWithDevices registers acct as a patient with the given
// vaults and one device per vault (gateway gw), all through signed txs.
func registerPatientWithDevices(t *testing.T, w *phrtest.World, acct, gw apptest.Account, vaults ...string) map[string]*device {
	t.Helper()
	msg := &types.MsgRegisterPatient{Patient: acct.String()}
	out := map[string]*device{}
	for _, v := range vaults {
		sk, err := keys.GenerateVaultKey(1, rand.Reader)
		require.NoError(t, err)
		dk, err := keys.GenerateDeviceKey(rand.Reader)
		require.NoError(t, err)
		msg.Vaults = append(msg.Vaults, types.VaultKey{Name: v, PublicKey: sk.Public().Bytes()})
		out[v] = &device{id: fmt.Sprintf("dev-%s-%s", acct.Address.String()[len(acct.Address.String())-6:], v),
			patient: acct, vault: v, vaultSK: sk, key: dk, gateway: gw}
	}
	w.MustDeliver(acct, msg)
	for _, v := range vaults {
		d := out[v]
		w.MustDeliver(acct, &types.MsgRegisterDevice{Patient: acct.String(), DeviceId: d.id, Vault: v,
			PublicKey: d.key.Public().Bytes(), Gateway: gw.String()})
	}
	return out
}

// uploadMsg is the device and its gateway's edge firewall.
func (d *device) uploadMsg(t *testing.T, payload []byte, at time.Time) *types.MsgUploadRecord {
	t.Helper()
	d.seq++
	meta := &envelope.Meta{ChainID: apptest.ChainID, Patient: d.patient.Address, Vault: d.vault, Epoch: d.vaultSK.Epoch,
		DeviceID: d.id, Sequence: d.seq, EffectiveTime: at}
	ct, err := pre.DeviceEncrypt(d.vaultSK.Public(), meta, payload, d.key.Key, rand.Reader)
	require.NoError(t, err)
	rec, err := crf.EdgeFirewall(d.vaultSK.Public(), ct.Bytes(), crf.PublicMeta{
		DeviceID: d.id, Vault: d.vault, Epoch: d.vaultSK.Epoch, Time: at, ResourceType: "Observation",
	}, rand.Reader)
	require.NoError(t, err)
	return &types.MsgUploadRecord{Gateway: d.gateway.String(), DeviceId: d.id, Epoch: d.vaultSK.Epoch,
		Time: rec.Meta.Time, ResourceType: rec.Meta.ResourceType, Capsules: rec.CapsuleBytes(), Body: rec.Body}
}

func (d *device) upload(t *testing.T, w *phrtest.World, payload []byte, at time.Time) uint64 {
	t.Helper()
	var resp types.MsgUploadRecordResponse
	mustDecode(t, w, d.gateway, d.uploadMsg(t, payload, at), &resp)
	return resp.RecordId
}

// proxyKey is a fresh HPKE key of a proxy.
func proxyKey(t *testing.T) *keys.ProxySecretKey {
	t.Helper()
	sk, err := keys.GenerateProxyKey(rand.Reader)
	require.NoError(t, err)
	return sk
}

// requesterKey is a fresh requester key of a hospital.
func requesterKey(t *testing.T) *keys.RequesterSecretKey {
	t.Helper()
	sk, err := keys.GenerateRequesterKey(rand.Reader)
	require.NoError(t, err)
	return sk
}

func joinRecord(w *phrtest.World, id uint64) collections.Triple[sdk.AccAddress, string, uint64] {
	return collections.Join3(w.Patient.Address, phrtest.Vault, id)
}
