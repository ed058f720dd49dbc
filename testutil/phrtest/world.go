// Package phrtest sets up the actors of the PHR story on an in-process chain
// (testutil/apptest) and drives each protocol step through real signed
// transactions, so tests of keepers, the firewall, the proxy daemon and the
// CLI share one honest fixture.
package phrtest

import (
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/apptest"
	phrcli "github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Vault and DeviceID name the fixture's vault and device.
const (
	Vault    = "vitals"
	DeviceID = "pulse-ox-1"
)

// World holds a chain with a registered patient (one vault), an admitted
// hospital, admitted proxies and a registered device behind a gateway.
type World struct {
	T        testing.TB
	H        *apptest.Harness
	Patient  apptest.Account
	Hospital apptest.Account
	Gateway  apptest.Account
	Stranger apptest.Account
	Proxies  []apptest.Account

	VaultKey     *keys.VaultSecretKey
	RequesterKey *keys.RequesterSecretKey
	ProxyKeys    []*keys.ProxySecretKey
	DeviceKey    *keys.DeviceSecretKey
	sequence     uint64
}

// GenerateKeys draws the world's vault (epoch 1), requester and device keys.
func (w *World) GenerateKeys() {
	w.T.Helper()
	var err error
	w.VaultKey, err = keys.GenerateVaultKey(1, rand.Reader)
	require.NoError(w.T, err)
	w.RequesterKey, err = keys.GenerateRequesterKey(rand.Reader)
	require.NoError(w.T, err)
	w.DeviceKey, err = keys.GenerateDeviceKey(rand.Reader)
	require.NoError(w.T, err)
}

// NewWorld builds the world with n proxies; admission goes through the keeper
// as the governance authority (no account can sign for it in a test).
func NewWorld(t testing.TB, proxies int) *World {
	t.Helper()
	return NewWorldOn(t, apptest.New(t, 4+proxies))
}

// NewWorldOn builds the world on h (a chain on a database of the caller's):
// its accounts are the patient, the hospital, the gateway, the stranger and
// then the proxies.
func NewWorldOn(t testing.TB, h *apptest.Harness) *World {
	t.Helper()
	w := &World{T: t, H: h, Patient: h.Accounts[0], Hospital: h.Accounts[1], Gateway: h.Accounts[2], Stranger: h.Accounts[3],
		Proxies: h.Accounts[4:]}
	w.GenerateKeys()

	authority := h.App.PhrKeeper.Authority()
	ctx := h.Ctx()
	require.NoError(t, h.App.PhrKeeper.AdmitMember(ctx, authority, w.Hospital.Address, types.ROLE_HOSPITAL, w.RequesterKey.Public().Bytes()))
	for _, p := range w.Proxies {
		sk, err := keys.GenerateProxyKey(rand.Reader)
		require.NoError(t, err)
		w.ProxyKeys = append(w.ProxyKeys, sk)
		require.NoError(t, h.App.PhrKeeper.AdmitMember(ctx, authority, p.Address, types.ROLE_PROXY, sk.Public().Bytes()))
	}
	h.NextBlock()

	w.MustDeliver(w.Patient, &types.MsgRegisterPatient{Patient: w.Patient.String(),
		Vaults: []types.VaultKey{{Name: Vault, PublicKey: w.VaultKey.Public().Bytes()}}})
	w.MustDeliver(w.Patient, &types.MsgRegisterDevice{Patient: w.Patient.String(), DeviceId: DeviceID, Vault: Vault,
		PublicKey: w.DeviceKey.Public().Bytes(), Gateway: w.Gateway.String()})
	return w
}

// MustDeliver delivers msgs as one tx and fails the test unless it succeeds.
func (w *World) MustDeliver(signer apptest.Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	w.T.Helper()
	res := w.H.Deliver(signer, msgs...)
	require.Zero(w.T, res.Code, "tx failed: %s", res.Log)
	return res
}

// Now is the harness's current block time.
func (w *World) Now() time.Time { return w.H.Ctx().BlockTime() }

// Encrypt is the device: one signed envelope holding payload, encrypted to the
// vault key (one capsule).
func (w *World) Encrypt(payload []byte, at time.Time) *pre.Ciphertext {
	w.T.Helper()
	w.sequence++
	meta := &envelope.Meta{ChainID: apptest.ChainID, Patient: w.Patient.Address, Vault: Vault, Epoch: w.VaultKey.Epoch,
		DeviceID: DeviceID, Sequence: w.sequence, EffectiveTime: at}
	ct, err := pre.DeviceEncrypt(w.VaultKey.Public(), meta, payload, w.DeviceKey.Key, rand.Reader)
	require.NoError(w.T, err)
	return ct
}

// UploadMsg is the gateway: edge firewall over the device output, and the
// upload message with the gateway's own public metadata.
func (w *World) UploadMsg(payload []byte, at time.Time) *types.MsgUploadRecord {
	w.T.Helper()
	rec, err := crf.EdgeFirewall(w.VaultKey.Public(), w.Encrypt(payload, at).Bytes(), crf.PublicMeta{
		DeviceID: DeviceID, Vault: Vault, Epoch: w.VaultKey.Epoch, Time: at, ResourceType: "Observation",
	}, rand.Reader)
	require.NoError(w.T, err)
	return &types.MsgUploadRecord{Gateway: w.Gateway.String(), DeviceId: DeviceID, Epoch: w.VaultKey.Epoch,
		Time: rec.Meta.Time, ResourceType: rec.Meta.ResourceType, Capsules: rec.CapsuleBytes(), Body: rec.Body}
}

// Upload publishes one record and returns its id.
func (w *World) Upload(payload []byte, at time.Time) uint64 {
	w.T.Helper()
	var resp types.MsgUploadRecordResponse
	w.decode(w.MustDeliver(w.Gateway, w.UploadMsg(payload, at)), &resp)
	return resp.RecordId
}

// RequestMsg asks for every record of the vault from a day ago to a day ahead.
func (w *World) RequestMsg(maxRecords uint32) *types.MsgRequestAccess {
	now := w.Now()
	return &types.MsgRequestAccess{Requester: w.Hospital.String(), Patient: w.Patient.String(), Vault: Vault,
		Scope:   types.Scope{FromTime: now.Add(-24 * time.Hour), ToTime: now.Add(24 * time.Hour), MaxRecords: maxRecords},
		Purpose: "treatment", Expiry: now.Add(48 * time.Hour)}
}

// Request asks for access and returns the grant id.
func (w *World) Request(maxRecords uint32) uint64 {
	w.T.Helper()
	var resp types.MsgRequestAccessResponse
	w.decode(w.MustDeliver(w.Hospital, w.RequestMsg(maxRecords)), &resp)
	return resp.GrantId
}

// Committee is the admitted proxies as the chain orders them, with their keys.
func (w *World) Committee() []pre.ProxyRecipient {
	w.T.Helper()
	committee, err := w.H.App.PhrKeeper.Committee(w.H.Ctx())
	require.NoError(w.T, err)
	out, err := phrcli.Recipients(committee)
	require.NoError(w.T, err)
	return out
}

// KeyGrant is the patient's key grant of threshold t for grantID.
func (w *World) KeyGrant(grantID uint64, t int) *pre.Grant {
	w.T.Helper()
	g, err := pre.CreateGrant(w.VaultKey, w.GrantContext(grantID), w.RequesterKey.Public(), t, w.Committee(), rand.Reader)
	require.NoError(w.T, err)
	return g
}

// GrantContext of grantID for the fixture's vault at the vault key's epoch.
func (w *World) GrantContext(grantID uint64) pre.GrantContext {
	return pre.GrantContext{ChainID: apptest.ChainID, GrantID: grantID, Vault: Vault, Epoch: w.VaultKey.Epoch}
}

// GrantMsg is the patient's answer to a request with a t-of-n grant.
func (w *World) GrantMsg(grantID uint64, t int) *types.MsgGrantAccess {
	return &types.MsgGrantAccess{Patient: w.Patient.String(), GrantId: grantID,
		KeyGrant: w.KeyGrant(grantID, t).Bytes(), Expiry: w.Now().Add(24 * time.Hour)}
}

// Fetch opens the tasks of records under grantID and returns their ids.
func (w *World) Fetch(grantID uint64, recordIDs ...uint64) []uint64 {
	w.T.Helper()
	var resp types.MsgFetchRecordsResponse
	w.decode(w.MustDeliver(w.Hospital, &types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grantID, RecordIds: recordIDs}), &resp)
	return resp.TaskIds
}

// AnswerMsg is proxy i's answers to tasks, computed like an honest proxy:
// fragment from the grant on chain, E from the record on chain.
func (w *World) AnswerMsg(i int, taskIDs ...uint64) *types.MsgSubmitAnswers {
	w.T.Helper()
	ctx := w.H.Ctx()
	k := w.H.App.PhrKeeper
	msg := &types.MsgSubmitAnswers{Proxy: w.Proxies[i].String()}
	for _, id := range taskIDs {
		task, err := k.Tasks.Get(ctx, id)
		require.NoError(w.T, err)
		grant, err := k.GetGrant(ctx, task.GrantId)
		require.NoError(w.T, err)
		kg, err := pre.DecodeGrant(grant.KeyGrant)
		require.NoError(w.T, err)
		frag, err := pre.OpenFragment(w.ProxyKeys[i], apptest.ChainID, grant.Id, w.Proxies[i].Address, kg)
		require.NoError(w.T, err)
		rec, err := k.GetRecord(ctx, task.RecordId)
		require.NoError(w.T, err)
		E, err := pre.DecodeCapsuleEs(rec.Capsules)
		require.NoError(w.T, err)
		ans, err := frag.Answer(pre.AnswerContext{ChainID: apptest.ChainID, GrantID: grant.Id, TaskID: id,
			RecordID: task.RecordId, Capsules: uint32(len(E)), Proxy: w.Proxies[i].Address}, E, rand.Reader)
		require.NoError(w.T, err)
		msg.Answers = append(msg.Answers, types.AnswerSubmission{TaskId: id, Answer: ans.Bytes()})
	}
	return msg
}

// Decrypt is the hospital: from the chain's grant, record, share and device,
// the verified envelope.
func (w *World) Decrypt(grantID, recordID uint64) (*envelope.Envelope, error) {
	w.T.Helper()
	ctx := w.H.Ctx()
	k := w.H.App.PhrKeeper
	grant, err := k.GetGrant(ctx, grantID)
	require.NoError(w.T, err)
	rec, err := k.GetRecord(ctx, recordID)
	require.NoError(w.T, err)
	share, err := k.Shares.Get(ctx, collections.Join(grantID, recordID))
	require.NoError(w.T, err)
	if share.Status != types.SHARE_STATUS_COMPLETE {
		return nil, fmt.Errorf("share of record %d under grant %d is not complete", recordID, grantID)
	}
	kg, err := pre.DecodeGrant(grant.KeyGrant)
	require.NoError(w.T, err)
	vaultKey, err := k.VaultKeyAt(ctx, w.Patient.Address, Vault, grant.Epoch)
	require.NoError(w.T, err)
	vpk, err := keys.DecodeVaultPublicKey(vaultKey)
	require.NoError(w.T, err)
	gk, err := pre.DeriveGrantKey(w.RequesterKey, pre.GrantContext{ChainID: apptest.ChainID, GrantID: grantID,
		Vault: grant.Vault, Epoch: grant.Epoch}, vpk, kg)
	if err != nil {
		return nil, err
	}
	fls := make([]*pre.FirstLevel, len(share.FirstLevel))
	for i, b := range share.FirstLevel {
		if fls[i], err = pre.DecodeFirstLevel(b); err != nil {
			return nil, err
		}
	}
	device, err := k.GetDevice(ctx, rec.DeviceId)
	require.NoError(w.T, err)
	return gk.Open(fls, rec.Body, device.PublicKey)
}

func (w *World) decode(res *abci.ExecTxResult, resp interface{ Unmarshal([]byte) error }) {
	w.T.Helper()
	require.NoError(w.T, DecodeResponse(w.H, res, resp))
}

// DecodeResponse reads the response of a one-message tx.
func DecodeResponse(h *apptest.Harness, res *abci.ExecTxResult, resp interface{ Unmarshal([]byte) error }) error {
	var txResp sdk.TxMsgData
	if err := h.App.AppCodec().Unmarshal(res.Data, &txResp); err != nil {
		return err
	}
	if len(txResp.MsgResponses) != 1 {
		return fmt.Errorf("%d message responses, want 1", len(txResp.MsgResponses))
	}
	return resp.Unmarshal(txResp.MsgResponses[0].Value)
}
