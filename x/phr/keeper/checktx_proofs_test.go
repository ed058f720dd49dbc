package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// CheckTx charges for answers' proofs but does not verify them: a proof's
// outcome cannot keep the tx out of the mempool (a failing one is evidence),
// CheckTx runs no msg server, and the block verifies every proof. Shown on
// an honest and a forged batch: CheckTx charges the same phr gas as
// simulation (which verifies, and must estimate the block) and hands on no
// verification result; simulation finds the honest E_i and the forged
// proofs' refusals; the forged tx enters the mempool and its block records
// it as evidence.
func TestCheckTxDefersAnswerProofs(t *testing.T) {
	w, tasks := lateProxyWorld(t)
	h := w.H
	k := h.App.PhrKeeper
	honest := w.AnswerMsg(1, tasks...)
	forged := w.AnswerMsg(2, tasks...)
	for i := range forged.Answers {
		forged.Answers[i].Answer = tamperEi(t, forged.Answers[i].Answer, 0)
	}

	for _, msg := range []*types.MsgSubmitAnswers{honest, forged} {
		run := func(mode sdk.ExecMode) (map[string]uint64, types.Sanitized) {
			rec := newGasRecorder()
			ctx, _ := h.Ctx().CacheContext()
			fw, err := k.Firewall(ctx.WithExecMode(mode).WithGasMeter(rec), []sdk.Msg{msg})
			require.NoError(t, err, "a forged proof is not a refusal in any mode")
			s, ok := fw.Take(msg)
			require.True(t, ok)
			return rec.phr(), s
		}
		checkGas, checked := run(sdk.ExecModeCheck)
		simGas, simulated := run(sdk.ExecModeSimulate)
		require.Equal(t, simGas, checkGas, "CheckTx charges what simulation and the block charge")
		require.Positive(t, checkGas["phr/verify-answer"])
		require.Empty(t, checked.Answers, "CheckTx verified no proof")
		require.Len(t, simulated.Answers, len(tasks))
		for i, a := range simulated.Answers {
			if msg == honest {
				require.NoError(t, a.Refusal)
				require.NotEmpty(t, a.EI, "answer %d verified", i)
			} else {
				require.ErrorIs(t, a.Refusal, types.ErrProof, "answer %d", i)
				require.Empty(t, a.EI)
			}
		}
	}

	tx := h.SignTx(w.Proxies[2], forged)
	check := h.CheckTx(tx)
	require.Zero(t, check.Code, "a forged batch enters the mempool: %s", check.Log)
	results := h.NextBlock(tx)
	require.Len(t, results, 1)
	require.Zero(t, results[0].Code, results[0].Log)
	for _, id := range tasks {
		requireRefusedSeat(t, h, id, w.Proxies[2])
	}
}
