package keeper_test

// Gas of real transactions (docs/gas.md, "What a transaction costs") and the
// checks that the phr crypto gas is charged where the chain runs the crypto.
//
//	go test -run 'TestGas' -v ./x/phr/keeper/    # prints the per-tx table

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// gasRecorder is a gas meter that remembers what each descriptor consumed.
type gasRecorder struct {
	storetypes.GasMeter
	by map[string]uint64
}

func newGasRecorder() *gasRecorder {
	return &gasRecorder{GasMeter: storetypes.NewInfiniteGasMeter(), by: map[string]uint64{}}
}

func (g *gasRecorder) ConsumeGas(amount storetypes.Gas, descriptor string) {
	g.by[descriptor] += amount
	g.GasMeter.ConsumeGas(amount, descriptor)
}

// phr is the gas of the phr/ descriptors.
func (g *gasRecorder) phr() map[string]uint64 {
	out := map[string]uint64{}
	for d, v := range g.by {
		if strings.HasPrefix(d, "phr/") {
			out[d] = v
		}
	}
	return out
}

// Expected charges, from the constants, for the fixture's shapes.
func gasUploadCharge() map[string]uint64 {
	return map[string]uint64{
		"phr/decode-capsules": crf.NumCapsules * 2 * types.GasDecodeElement,
		"phr/rerandomize":     crf.NumCapsules * (types.GasRerandomizeCapsule + types.GasHashToScalar),
	}
}

func gasGrantCharge(t, n int) map[string]uint64 {
	return map[string]uint64{
		"phr/decode-grant":     uint64(1+t) * types.GasDecodeElement,
		"phr/verification-key": uint64(n) * (types.GasHashToScalar + uint64(t)*types.GasVerificationKeyPerCommitment),
	}
}

func gasAnswersCharge(answers int) map[string]uint64 {
	return map[string]uint64{
		"phr/decode-answer": uint64(answers) * crf.NumCapsules * types.GasDecodeElement,
		"phr/verify-answer": uint64(answers) * types.GasVerifyAnswer,
	}
}

func sumGas(m map[string]uint64) (s uint64) {
	for _, v := range m {
		s += v
	}
	return s
}

// TestGasChargedPerOperation runs the chain firewall and the answer
// completion under a recording gas meter and checks that every crypto
// operation is charged exactly its constant(s) from gas.go, under the
// descriptor that names it. A charge that disappears, or is no longer
// scaled by the number of capsules, commitments, proxies or answers, fails
// here.
func TestGasChargedPerOperation(t *testing.T) {
	const threshold, proxies = 2, 3
	w := phrtest.NewWorld(t, proxies)
	h := w.H
	k := h.App.PhrKeeper

	run := func(msg sdk.Msg, mode sdk.ExecMode) (*gasRecorder, *types.Firewalled) {
		t.Helper()
		rec := newGasRecorder()
		ctx, _ := h.Ctx().CacheContext()
		fw, err := k.Firewall(ctx.WithExecMode(mode).WithGasMeter(rec), []sdk.Msg{msg})
		require.NoError(t, err)
		return rec, fw
	}

	// upload: the same charge in CheckTx (validate only) and block execution
	// (rerandomize), so that simulation estimates execution
	up := w.UploadMsg(testPayload, w.Now().Add(-time.Minute))
	for _, mode := range []sdk.ExecMode{sdk.ExecModeCheck, sdk.ExecModeSimulate, sdk.ExecModeFinalize} {
		rec, _ := run(up, mode)
		require.Equal(t, gasUploadCharge(), rec.phr(), "upload, exec mode %d", mode)
	}

	var ids []uint64
	for i := range 3 {
		ids = append(ids, w.Upload(testPayload, w.Now().Add(-time.Duration(i+1)*time.Minute)))
	}
	grantID := w.Request(10)
	grant := w.GrantMsg(grantID, threshold)
	rec, _ := run(grant, sdk.ExecModeFinalize)
	require.Equal(t, gasGrantCharge(threshold, proxies), rec.phr(), "grant %d of %d", threshold, proxies)
	w.MustDeliver(w.Patient, grant)

	tasks := w.Fetch(grantID, ids...)
	require.Len(t, tasks, len(ids))
	first := w.AnswerMsg(0, tasks...)
	rec, _ = run(first, sdk.ExecModeFinalize)
	require.Equal(t, gasAnswersCharge(len(tasks)), rec.phr(), "%d answers", len(tasks))
	w.MustDeliver(w.Proxies[0], first)

	// the t-th answer: firewall charge, then the msg server combines each task
	second := w.AnswerMsg(1, tasks...)
	rec, fw := run(second, sdk.ExecModeFinalize)
	require.Equal(t, gasAnswersCharge(len(tasks)), rec.phr())
	rec = newGasRecorder()
	ctx, _ := h.Ctx().CacheContext()
	ctx = types.WithFirewalled(ctx.WithExecMode(sdk.ExecModeFinalize).WithGasMeter(rec), fw)
	_, err := keeper.NewMsgServerImpl(k).SubmitAnswers(ctx, second)
	require.NoError(t, err)
	require.Equal(t, map[string]uint64{"phr/combine": uint64(len(tasks)) * crf.NumCapsules * types.GasCombine(threshold)}, rec.phr(),
		"completion of %d tasks at threshold %d", len(tasks), threshold)
}

// gasReading is a 1 KiB FHIR reading: with the envelope's metadata and
// signature it fills the 2 KiB bucket (as in the crypto benchmarks).
var gasReading = []byte(`{"resourceType":"Observation","status":"final","code":{"text":"heart rate"},"note":"` +
	strings.Repeat("x", 1024-100) + `"}`)

// gasTx is one measured transaction.
type gasTx struct {
	name    string
	bytes   int
	gasUsed int64
	phr     uint64 // phr crypto gas the constants charge for it
}

// TestGasOfTypicalTxs delivers typical transactions through the whole app
// (ante chain, firewall, msg servers, stores) and reports their GasUsed: a
// bank send as the baseline, an upload, a 2-of-3 grant, a fetch of 16
// records, and 32 answers (16 records × 2 capsules) from the first proxy,
// then from the second, whose batch completes the 32 tasks. It checks that
// each phr tx costs at least the baseline plus its tx-size gas plus its
// phr crypto charges, so that the charges cannot silently disappear from a
// real tx (TestGasChargedPerOperation checks them one by one).
func TestGasOfTypicalTxs(t *testing.T) {
	const threshold, proxies, records = 2, 3, 16
	w := phrtest.NewWorld(t, proxies)
	h := w.H
	var out []gasTx
	deliver := func(name string, signer apptest.Account, phr uint64, msg sdk.Msg, resp interface{ Unmarshal([]byte) error }) gasTx {
		t.Helper()
		tx := h.SignTx(signer, msg)
		res := h.NextBlock(tx)[0]
		require.Zero(t, res.Code, "%s: %s", name, res.Log)
		if resp != nil {
			require.NoError(t, phrtest.DecodeResponse(h, res, resp))
		}
		x := gasTx{name: name, bytes: len(tx), gasUsed: res.GasUsed, phr: phr}
		out = append(out, x)
		return x
	}

	send := deliver("bank send (baseline)", w.Stranger, 0, &banktypes.MsgSend{
		FromAddress: w.Stranger.String(), ToAddress: w.Hospital.String(),
		Amount: sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1))),
	}, nil)
	var recordIDs []uint64
	for i := range records {
		up := w.UploadMsg(gasReading, w.Now().Add(-time.Duration(i+1)*time.Minute))
		require.Len(t, up.Body, 2048)
		var resp types.MsgUploadRecordResponse
		deliver("upload (2 KiB bucket)", w.Gateway, sumGas(gasUploadCharge()), up, &resp)
		recordIDs = append(recordIDs, resp.RecordId)
		if i > 0 {
			out = out[:len(out)-1] // one upload in the table; the others fill the vault
		}
	}
	var req types.MsgRequestAccessResponse
	deliver("request access", w.Hospital, 0, w.RequestMsg(records), &req)
	deliver(fmt.Sprintf("grant %d-of-%d", threshold, proxies), w.Patient,
		sumGas(gasGrantCharge(threshold, proxies)), w.GrantMsg(req.GrantId, threshold), nil)
	var fetched types.MsgFetchRecordsResponse
	deliver(fmt.Sprintf("fetch %d records", records), w.Hospital, 0,
		&types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: req.GrantId, RecordIds: recordIDs}, &fetched)
	tasks := fetched.TaskIds
	require.Len(t, tasks, records)
	deliver(fmt.Sprintf("%d answers, first proxy", len(tasks)), w.Proxies[0],
		sumGas(gasAnswersCharge(len(tasks))), w.AnswerMsg(0, tasks...), nil)
	deliver(fmt.Sprintf("%d answers completing %d tasks (%d shares)", len(tasks), len(tasks), records), w.Proxies[1],
		sumGas(gasAnswersCharge(len(tasks)))+uint64(len(tasks))*crf.NumCapsules*types.GasCombine(threshold), w.AnswerMsg(1, tasks...), nil)
	for _, id := range recordIDs {
		_, err := w.Decrypt(req.GrantId, id)
		require.NoError(t, err, "record %d", id)
	}

	params := authtypes.DefaultParams()
	var b strings.Builder
	fmt.Fprintf(&b, "\n| tx | bytes | GasUsed | of which phr crypto (gas.go) | GasUsed − baseline − 10 gas/byte over baseline |\n|---|---:|---:|---:|---:|\n")
	for _, x := range out {
		extra := x.gasUsed - send.gasUsed - int64(params.TxSizeCostPerByte)*int64(x.bytes-send.bytes)
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d |\n", x.name, x.bytes, x.gasUsed, x.phr, extra)
		if x.phr > 0 {
			require.GreaterOrEqual(t, extra, int64(x.phr),
				"%s: GasUsed %d does not cover the baseline %d, its size and its phr crypto gas %d", x.name, x.gasUsed, send.gasUsed, x.phr)
		}
	}
	t.Log(b.String())
}
