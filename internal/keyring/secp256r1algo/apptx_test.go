package secp256r1algo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/internal/keyring/secp256r1algo"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/clienttest"
)

func umedex(n int64) sdk.Coins { return sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(n))) }

// r1Hospital is a chain with a funded account whose key is a P-256 key in
// a keyring (recovered from testMnemonic), and a client for it: the keyring,
// codec and factory as medexchaind's commands have them.
func r1Hospital(t *testing.T) (*apptest.Harness, *clienttest.Node, client.Context, tx.Factory, sdk.AccAddress) {
	h := apptest.New(t, 1)
	secp256r1algo.RegisterInterfaces(h.App.InterfaceRegistry())
	kr := keyring.NewInMemory(h.App.AppCodec(), secp256r1algo.KeyringOption())
	rec, err := kr.NewAccount("hospital", testMnemonic, "", sdk.FullFundraiserPath, secp256r1algo.Secp256r1)
	require.NoError(t, err)
	addr, err := rec.GetAddress()
	require.NoError(t, err)
	// funded by a secp256k1 account; the r1 account has no public key yet
	require.Zero(t, h.Deliver(h.Accounts[0], banktypes.NewMsgSend(h.Accounts[0].Address, addr, umedex(5_000_000))).Code)

	node := clienttest.NewNode(h)
	cctx, txf := clienttest.Context(t, node, "unused", h.Accounts[0])
	cctx = cctx.WithKeyring(kr).WithFromName("hospital").WithFromAddress(addr)
	txf = txf.WithKeybase(kr).WithFromName("hospital")
	return h, node, cctx, txf, addr
}

// txclient (the client of the hand-written commands, the device gateway and
// the proxy daemon) signs with the keyring's P-256 key; the chain's ante
// handler sets the account's public key, verifies and charges the
// signature, and the transfer is executed in a block. The next txs are
// verified against the stored public key.
//
// Gas simulation works before and after the account has a public key on
// chain: the SDK's ConsumeTxSizeGasDecorator estimates a signature's size by
// amino-encoding the stored key, which legacy amino cannot do for
// secp256r1; the app's ante shows it a secp256k1 stand-in of the same
// 33-byte size (app/ante_txsize.go). Fixed gas works as well.
func TestTxClientSecp256r1TxIsAccepted(t *testing.T) {
	h, _, cctx, txf, addr := r1Hospital(t)
	to := h.Accounts[0].Address
	before := h.App.BankKeeper.GetBalance(h.Ctx(), to, app.BondDenom)
	send := banktypes.NewMsgSend(addr, to, umedex(1000))

	simulated := txclient.New(cctx, txf, txclient.Options{Wait: true})
	in, err := simulated.Send(context.Background(), send)
	require.NoError(t, err)
	require.Positive(t, in.Height)
	acc := h.App.AccountKeeper.GetAccount(h.Ctx(), addr)
	require.IsType(t, &secp256r1.PubKey{}, acc.GetPubKey())

	in, err = simulated.Send(context.Background(), send)
	require.NoError(t, err, "simulation with a secp256r1 key on chain")
	require.Positive(t, in.Height)

	fixed := txclient.New(cctx, txf.WithSimulateAndExecute(false).WithGas(200_000), txclient.Options{Wait: true})
	for range 2 {
		in, err := fixed.Send(context.Background(), send)
		require.NoError(t, err)
		require.Positive(t, in.Height)
	}
	after := h.App.BankKeeper.GetBalance(h.Ctx(), to, app.BondDenom)
	require.Equal(t, before.Amount.AddRaw(4000), after.Amount)

	acc = h.App.AccountKeeper.GetAccount(h.Ctx(), addr)
	require.EqualValues(t, 4, acc.GetSequence())
	rec, err := cctx.Keyring.Key("hospital")
	require.NoError(t, err)
	pk, err := rec.GetPubKey()
	require.NoError(t, err)
	require.True(t, pk.Equals(acc.GetPubKey()))
}

// The SDK tx factory's signature with the keyring key is delivered in a
// block; the same tx with one signature bit flipped is refused as
// unauthorized (the signature is really checked).
func TestFactorySignedSecp256r1TxDelivered(t *testing.T) {
	h, _, cctx, txf, addr := r1Hospital(t)
	acc := h.App.AccountKeeper.GetAccount(h.Ctx(), addr)
	txf = txf.WithSimulateAndExecute(false).WithGas(200_000).
		WithAccountNumber(acc.GetAccountNumber()).WithSequence(acc.GetSequence()).
		WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)

	build := func() client.TxBuilder {
		b, err := txf.BuildUnsignedTx(banktypes.NewMsgSend(addr, h.Accounts[0].Address, umedex(7)))
		require.NoError(t, err)
		require.NoError(t, tx.Sign(context.Background(), txf, "hospital", b, true))
		return b
	}
	enc := cctx.TxConfig.TxEncoder()

	forged := build()
	sigs, err := forged.GetTx().GetSignaturesV2()
	require.NoError(t, err)
	data := sigs[0].Data.(*signing.SingleSignatureData)
	data.Signature[10] ^= 1
	require.NoError(t, forged.SetSignatures(sigs[0]))
	bz, err := enc(forged.GetTx())
	require.NoError(t, err)
	res := h.CheckTx(bz)
	require.Equal(t, sdkerrors.ErrUnauthorized.ABCICode(), res.Code, res.Log)

	bz, err = enc(build().GetTx())
	require.NoError(t, err)
	out := h.NextBlock(bz)[0]
	require.Zero(t, out.Code, out.Log)
	require.Positive(t, out.GasUsed)
	require.EqualValues(t, 1, h.App.AccountKeeper.GetAccount(h.Ctx(), addr).GetSequence())
}
