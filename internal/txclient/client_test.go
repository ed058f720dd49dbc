package txclient_test

import (
	"context"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/clienttest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// mangled replaces every log the node returns: what the client decides
// must come from codes, not from text.
func mangled(string) string { return "the node says something unhelpful" }

func sequence(t *testing.T, h *apptest.Harness, a apptest.Account) uint64 {
	t.Helper()
	return h.App.AccountKeeper.GetAccount(h.Ctx(), a.Address).GetSequence()
}

func send(from, to apptest.Account) sdk.Msg {
	return banktypes.NewMsgSend(from.Address, to.Address, sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1))))
}

// The client waits for the block and hands the caller the id the chain
// assigned (the grant id of a request).
func TestSendReturnsTheAssignedID(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	node := clienttest.NewNode(w.H)
	cctx, txf := clienttest.Context(t, node, "hospital", w.Hospital)
	c := txclient.New(cctx, txf, txclient.Options{Wait: true})

	in, err := c.Send(context.Background(), w.RequestMsg(3))
	require.NoError(t, err)
	require.Positive(t, in.Height)
	var res types.MsgRequestAccessResponse
	require.NoError(t, in.Response(0, &res))
	g, err := w.H.App.PhrKeeper.Grants.Get(w.H.Ctx(), res.GrantId)
	require.NoError(t, err)
	require.Equal(t, w.Hospital.String(), g.Requester)
	require.Equal(t, types.GRANT_STATUS_REQUESTED, g.Status)
}

// A refusal, in simulation or in the block, is an error that matches the
// registered error and names it, even when the node's text says nothing.
func TestRefusalNamesTheRegisteredError(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	node := clienttest.NewNode(w.H)
	node.Rewrite = mangled
	cctx, txf := clienttest.Context(t, node, "patient", w.Patient)
	revoke := &types.MsgRevokeAccess{Patient: w.Patient.String(), GrantId: 999}

	_, err := txclient.New(cctx, txf, txclient.Options{Wait: true}).Send(context.Background(), revoke)
	var refused *txclient.RefusedError
	require.ErrorAs(t, err, &refused)
	require.Equal(t, txclient.StageSimulation, refused.Stage)
	require.ErrorIs(t, err, types.ErrGrantNotFound)
	require.Contains(t, err.Error(), types.ErrGrantNotFound.Error())
	require.Contains(t, err.Error(), "phr code")

	// Fixed gas: no simulation, the msg server refuses it in the block, and
	// the signer pays (its sequence moves).
	before := sequence(t, w.H, w.Patient)
	_, err = txclient.New(cctx, txf.WithSimulateAndExecute(false).WithGas(400_000), txclient.Options{Wait: true}).
		Send(context.Background(), revoke)
	require.ErrorAs(t, err, &refused)
	require.Equal(t, txclient.StageBlock, refused.Stage)
	require.Positive(t, refused.Height)
	require.ErrorIs(t, err, types.ErrGrantNotFound)
	require.Equal(t, before+1, sequence(t, w.H, w.Patient))
}

// A sequence mismatch (our tx left the mempool, so the sequence we
// remembered is ahead of the chain's) is recognised by its code (sdk 32)
// with the node's text unreadable, and the client re-reads the account and
// re-signs: at the simulation and, with fixed gas, at CheckTx.
func TestWrongSequenceRecognisedByCode(t *testing.T) {
	for _, c := range []struct {
		name     string
		simulate bool
	}{{"simulation", true}, {"CheckTx", false}} {
		t.Run(c.name, func(t *testing.T) {
			h := apptest.New(t, 2)
			node := clienttest.NewNode(h)
			node.Rewrite = mangled
			cctx, txf := clienttest.Context(t, node, "alice", h.Accounts[0])
			if !c.simulate {
				txf = txf.WithSimulateAndExecute(false).WithGas(200_000)
			}
			start := sequence(t, h, h.Accounts[0])

			// Without waiting: the client remembers start+1.
			noWait := txclient.New(cctx, txf, txclient.Options{})
			_, err := noWait.Send(context.Background(), send(h.Accounts[0], h.Accounts[1]))
			require.NoError(t, err)
			// The node evicts it; the next block resets the check state.
			node.DropMempool()
			h.NextBlock()
			require.Equal(t, start, sequence(t, h, h.Accounts[0]))

			// The next send signs start+1 first, is refused with code 32,
			// and goes through with start.
			in, err := noWait.Send(context.Background(), send(h.Accounts[0], h.Accounts[1]))
			require.NoError(t, err)
			hash, err := hex.DecodeString(in.TxHash)
			require.NoError(t, err)
			res, err := node.Tx(context.Background(), hash, false)
			require.NoError(t, err)
			require.Zero(t, res.TxResult.Code)
			require.Equal(t, start+1, sequence(t, h, h.Accounts[0]))
		})
	}
}
