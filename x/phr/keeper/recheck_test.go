package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// recheck runs tx through CheckTx as CometBFT does for a mempool tx after a
// block is committed.
func recheck(t *testing.T, app interface {
	CheckTx(*abci.RequestCheckTx) (*abci.ResponseCheckTx, error)
}, tx []byte) *abci.ResponseCheckTx {
	t.Helper()
	res, err := app.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_Recheck})
	require.NoError(t, err)
	return res
}

// ReCheckTx re-runs only the firewall's cheap target checks: no decode, no
// proof verification, no V_i. Shown three ways: the firewall charges no phr
// crypto gas on recheck; a whole tx's recheck costs less than its first check
// by at least the crypto gas; and a batch with a forged proof (refused when
// it is first checked) passes a recheck, so no proof was verified. The target
// checks still evict a stale tx.
func TestReCheckTxSkipsCrypto(t *testing.T) {
	w, tasks := lateProxyWorld(t)
	h := w.H
	k := h.App.PhrKeeper
	batch := w.AnswerMsg(1, tasks...)
	upload := w.UploadMsg(testPayload, w.Now())

	for _, msg := range []sdk.Msg{batch, upload} {
		rec := newGasRecorder()
		ctx, _ := h.Ctx().CacheContext()
		_, err := k.Firewall(ctx.WithExecMode(sdk.ExecModeReCheck).WithIsReCheckTx(true).WithGasMeter(rec), []sdk.Msg{msg})
		require.NoError(t, err)
		require.Empty(t, rec.phr(), "%T: no phr crypto on recheck", msg)
		rec = newGasRecorder()
		_, err = k.Firewall(ctx.WithExecMode(sdk.ExecModeCheck).WithGasMeter(rec), []sdk.Msg{msg})
		require.NoError(t, err)
		require.NotEmpty(t, rec.phr(), "%T: phr crypto on the first check", msg)
	}

	tx := h.SignTx(w.Proxies[1], batch)
	first := h.CheckTx(tx)
	require.Zero(t, first.Code, first.Log)
	h.NextBlock() // commit: the check state is reset, as before a recheck
	again := recheck(t, h.App, tx)
	require.Zero(t, again.Code, again.Log)
	crypto := int64(len(tasks)) * (types.GasDecodeElement + types.GasVerifyAnswer)
	t.Logf("%d answers: CheckTx gas %d, ReCheckTx gas %d, crypto charged on CheckTx %d", len(tasks), first.GasUsed, again.GasUsed, crypto)
	require.GreaterOrEqual(t, first.GasUsed-again.GasUsed, crypto)

	// (signed by the third proxy: the second's batch holds its sequence in
	// the check state, as it would in a node's mempool)
	forged := w.AnswerMsg(2, tasks...)
	forged.Answers[0].Answer = tamperEi(t, forged.Answers[0].Answer)
	ftx := h.SignTx(w.Proxies[2], forged)
	res := h.CheckTx(ftx)
	requireCode(t, types.ErrInvalidAnswer, res.Codespace, res.Code, res.Log)
	h.NextBlock()
	require.Zero(t, recheck(t, h.App, ftx).Code, "recheck verifies no proof")

	// the third proxy completes every task: the pending batch is evicted
	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, tasks...))
	res = recheck(t, h.App, tx)
	requireCode(t, types.ErrTaskClosed, res.Codespace, res.Code, res.Log)
}
