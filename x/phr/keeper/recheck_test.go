package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
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
// proof verification, no V_i. Shown two ways: the firewall charges no phr
// crypto gas on recheck, and a whole tx's recheck costs less than its first
// check by at least the crypto gas. The target checks still evict a stale
// tx.
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
	crypto := int64(len(tasks)) * (crf.NumCapsules*types.GasDecodeElement + types.GasVerifyAnswer)
	t.Logf("%d answers: CheckTx gas %d, ReCheckTx gas %d, crypto charged on CheckTx %d", len(tasks), first.GasUsed, again.GasUsed, crypto)
	require.GreaterOrEqual(t, first.GasUsed-again.GasUsed, crypto)

	// the third proxy completes every task: the pending batch is evicted
	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, tasks...))
	res := recheck(t, h.App, tx)
	requireCode(t, types.ErrTaskClosed, res.Codespace, res.Code, res.Log)
}
