package keeper_test

import (
	"crypto/rand"
	mrand "math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	abci "github.com/cometbft/cometbft/abci/types"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Fee safety of the chain firewall: a tx that passed CheckTx and is refused
// in the block for a reason that changed in between (another tx of the same
// block) is refused by its msg server, after the ante took its fee and
// incremented its sequence; nothing of it is stored.

var testFee = sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(12_345)))

// signWithFee signs msgs by signer with fee, at its committed sequence.
func signWithFee(t *testing.T, h *apptest.Harness, signer apptest.Account, fee sdk.Coins, msgs ...sdk.Msg) []byte {
	t.Helper()
	return signWithFeeAt(t, h, signer, fee, payerOf(t, h, signer).sequence, msgs...)
}

// payer is an account's balance and sequence, to compare across a block.
type payer struct {
	balance  sdkmath.Int
	sequence uint64
}

func payerOf(t *testing.T, h *apptest.Harness, a apptest.Account) payer {
	t.Helper()
	ctx := h.Ctx()
	acc := h.App.AccountKeeper.GetAccount(ctx, a.Address)
	require.NotNil(t, acc)
	return payer{balance: h.App.BankKeeper.GetBalance(ctx, a.Address, app.BondDenom).Amount, sequence: acc.GetSequence()}
}

// requirePaid: the account paid testFee and its sequence moved by one.
func requirePaid(t *testing.T, h *apptest.Harness, a apptest.Account, before payer) {
	t.Helper()
	after := payerOf(t, h, a)
	require.Equal(t, before.balance.Sub(testFee.AmountOf(app.BondDenom)).String(), after.balance.String(), "fee not charged")
	require.Equal(t, before.sequence+1, after.sequence, "sequence not incremented")
}

// blockWithLateTx runs first (which must succeed) and then late in one block;
// late passed CheckTx before the block. It returns late's result.
func blockWithLateTx(t *testing.T, h *apptest.Harness, first, late []byte) *abci.ExecTxResult {
	t.Helper()
	check := h.CheckTx(late)
	require.Zero(t, check.Code, "the late tx must pass CheckTx before the block: %s", check.Log)
	results := h.NextBlock(first, late)
	require.Len(t, results, 2, "both txs are in the block")
	require.Zero(t, results[0].Code, results[0].Log)
	return results[1]
}

// [RotateVaultKey, UploadRecord(old epoch)] in one block: the upload is
// refused with ErrWrongEpoch, the gateway paid and its sequence moved,
// nothing is stored.
func TestUploadAfterRotationInSameBlockPaysFee(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	stale := w.UploadMsg(testPayload, w.Now())
	newSK, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	rotate := h.SignTx(w.Patient, &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: newSK.Public().Bytes()})
	upload := signWithFee(t, h, w.Gateway, testFee, stale)
	recordsBefore, err := h.App.PhrKeeper.RecordSeq.Peek(h.Ctx())
	require.NoError(t, err)
	gw := payerOf(t, h, w.Gateway)

	res := blockWithLateTx(t, h, rotate, upload)
	requireCode(t, types.ErrWrongEpoch, res.Codespace, res.Code, res.Log)
	requirePaid(t, h, w.Gateway, gw)
	recordsAfter, err := h.App.PhrKeeper.RecordSeq.Peek(h.Ctx())
	require.NoError(t, err)
	require.Equal(t, recordsBefore, recordsAfter, "no record stored")
}

// [DeactivateDevice, UploadRecord] in one block: ErrDeviceInactive, paid.
func TestUploadAfterDeactivationInSameBlockPaysFee(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	up := w.UploadMsg(testPayload, w.Now())
	deactivate := h.SignTx(w.Patient, &types.MsgDeactivateDevice{Patient: w.Patient.String(), DeviceId: phrtest.DeviceID})
	upload := signWithFee(t, h, w.Gateway, testFee, up)
	gw := payerOf(t, h, w.Gateway)

	res := blockWithLateTx(t, h, deactivate, upload)
	requireCode(t, types.ErrDeviceInactive, res.Codespace, res.Code, res.Log)
	requirePaid(t, h, w.Gateway, gw)
	d, err := h.App.PhrKeeper.GetDevice(h.Ctx(), phrtest.DeviceID)
	require.NoError(t, err)
	require.False(t, d.Active)
	n, err := h.App.PhrKeeper.RecordSeq.Peek(h.Ctx())
	require.NoError(t, err)
	require.Zero(t, n)
}

// lateProxyWorld: 2-of-3 grant over four records, four open tasks (one per
// record), the first proxy has answered all of them.
func lateProxyWorld(t *testing.T) (*phrtest.World, []uint64) {
	t.Helper()
	w := phrtest.NewWorld(t, 3)
	var records []uint64
	for range 4 {
		records = append(records, w.Upload(testPayload, w.Now()))
	}
	grantID := w.Request(10)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	tasks := w.Fetch(grantID, records...)
	require.Len(t, tasks, 4)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))
	return w, tasks
}

func answeredBy(t *testing.T, h *apptest.Harness, taskID uint64, proxy apptest.Account) bool {
	t.Helper()
	for _, a := range getTask(t, h, taskID).Answers {
		if a.Proxy == proxy.String() {
			return true
		}
	}
	return false
}

// A late proxy's batch in the block where another proxy completed some of
// its tasks: the closed tasks are skipped, the others are answered (and here
// completed), the proxy paid.
func TestLateProxyBatchSkipsClosedTasksAndPays(t *testing.T) {
	w, tasks := lateProxyWorld(t)
	h := w.H
	second := h.SignTx(w.Proxies[1], w.AnswerMsg(1, tasks[:2]...))
	late := signWithFee(t, h, w.Proxies[2], testFee, w.AnswerMsg(2, tasks...))
	p := payerOf(t, h, w.Proxies[2])

	res := blockWithLateTx(t, h, second, late)
	require.Zero(t, res.Code, res.Log)
	var resp types.MsgSubmitAnswersResponse
	require.NoError(t, phrtest.DecodeResponse(h, res, &resp))
	require.Equal(t, tasks[2:], resp.CompletedTasks)
	requirePaid(t, h, w.Proxies[2], p)
	for _, id := range tasks[:2] {
		require.Equal(t, types.TASK_STATUS_DONE, getTask(t, h, id).Status)
		require.False(t, answeredBy(t, h, id, w.Proxies[2]), "task %d closed before the late batch: skipped", id)
	}
	for _, id := range tasks[2:] {
		require.Equal(t, types.TASK_STATUS_DONE, getTask(t, h, id).Status)
		require.True(t, answeredBy(t, h, id, w.Proxies[2]), "task %d was open: answered", id)
	}
}

// A late batch all of whose tasks closed in the same block: refused with
// ErrTaskClosed by the msg server, the proxy paid, nothing stored.
func TestLateProxyBatchAllClosedRefusedAndPays(t *testing.T) {
	w, tasks := lateProxyWorld(t)
	h := w.H
	second := h.SignTx(w.Proxies[1], w.AnswerMsg(1, tasks[:2]...))
	late := signWithFee(t, h, w.Proxies[2], testFee, w.AnswerMsg(2, tasks[:2]...))
	p := payerOf(t, h, w.Proxies[2])

	res := blockWithLateTx(t, h, second, late)
	requireCode(t, types.ErrTaskClosed, res.Codespace, res.Code, res.Log)
	requirePaid(t, h, w.Proxies[2], p)
	for _, id := range tasks[:2] {
		require.False(t, answeredBy(t, h, id, w.Proxies[2]))
	}
}

// A late batch of forged answers in the block where another proxy closed
// one of their tasks: the closed task's forgery is skipped like any answer
// to a closed task (no evidence recorded on it), the open task's forgery is
// evidence, and the proxy paid.
func TestLateForgedAnswerOnClosedTaskLeavesNoEvidence(t *testing.T) {
	w, tasks := lateProxyWorld(t)
	h := w.H
	second := h.SignTx(w.Proxies[1], w.AnswerMsg(1, tasks[0]))
	forged := w.AnswerMsg(2, tasks[0], tasks[2])
	for i := range forged.Answers {
		forged.Answers[i].Answer = tamperEi(t, forged.Answers[i].Answer, 0)
	}
	late := signWithFee(t, h, w.Proxies[2], testFee, forged)
	p := payerOf(t, h, w.Proxies[2])

	res := blockWithLateTx(t, h, second, late)
	require.Zero(t, res.Code, res.Log)
	requirePaid(t, h, w.Proxies[2], p)
	closed := getTask(t, h, tasks[0])
	require.Equal(t, types.TASK_STATUS_DONE, closed.Status)
	require.NotContains(t, closed.Refused, w.Proxies[2].String(), "the task closed before the forgery: skipped")
	requireRefusedSeat(t, h, tasks[2], w.Proxies[2])
	require.Equal(t, types.TASK_STATUS_OPEN, getTask(t, h, tasks[2]).Status)
}

// A grant whose vault the patient rotated in an earlier tx of the same block
// (both passed CheckTx): ErrWrongEpoch from the msg server, the patient paid
// both fees.
func TestGrantAfterRotationInSameBlockPaysFee(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	grantID := w.Request(5)
	grant := w.GrantMsg(grantID, 2)
	newSK, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	p := payerOf(t, h, w.Patient)
	rotate := signWithFee(t, h, w.Patient, testFee,
		&types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: newSK.Public().Bytes()})
	stale := signWithFeeAt(t, h, w.Patient, testFee, p.sequence+1, grant)
	for _, tx := range [][]byte{rotate, stale} { // the mempool runs no msg server: both pass
		res := h.CheckTx(tx)
		require.Zero(t, res.Code, res.Log)
	}
	late := h.NextBlock(rotate, stale)
	require.Len(t, late, 2)
	require.Zero(t, late[0].Code, late[0].Log)
	requireCode(t, types.ErrWrongEpoch, late[1].Codespace, late[1].Code, late[1].Log)
	after := payerOf(t, h, w.Patient)
	require.Equal(t, p.balance.Sub(testFee.AmountOf(app.BondDenom).MulRaw(2)).String(), after.balance.String())
	require.Equal(t, p.sequence+2, after.sequence)
	require.Equal(t, types.GRANT_STATUS_REQUESTED, getGrant(t, h, grantID).Status)
}

// signWithFeeAt signs at an explicit sequence (a second tx of one signer in
// a block).
func signWithFeeAt(t *testing.T, h *apptest.Harness, signer apptest.Account, fee sdk.Coins, seq uint64, msgs ...sdk.Msg) []byte {
	t.Helper()
	acc := h.App.AccountKeeper.GetAccount(h.Ctx(), signer.Address)
	require.NotNil(t, acc)
	tx, err := simtestutil.GenSignedMockTx(mrand.New(mrand.NewSource(1)), h.App.TxConfig(), msgs, fee, simtestutil.DefaultGenTxGas,
		apptest.ChainID, []uint64{acc.GetAccountNumber()}, []uint64{seq}, signer.Priv)
	require.NoError(t, err)
	bz, err := h.App.TxConfig().TxEncoder()(tx)
	require.NoError(t, err)
	return bz
}
