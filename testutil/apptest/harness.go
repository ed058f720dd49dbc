// Package apptest runs the real medexchain app in process: genesis, blocks and
// signed transactions through the full ante chain, with keepers and stores as
// a node has them.
package apptest

import (
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"
	sdkmath "cosmossdk.io/math"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/testutil/mock"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/app"
)

// ChainID of every harness chain.
const ChainID = "medexchain-test-1"

// GenesisBalance is what each harness account starts with.
var GenesisBalance = sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)))

// Account is a funded key of the harness.
type Account struct {
	Priv    cryptotypes.PrivKey
	Address sdk.AccAddress
}

func (a Account) String() string { return a.Address.String() }

// Harness is one in-process chain.
type Harness struct {
	T        testing.TB
	App      *app.App
	Accounts []Account
	time     time.Time
}

// New starts a chain from a default genesis with one bonded validator (written
// straight into staking genesis, no gentx) and n funded accounts.
func New(t testing.TB, n int) *Harness {
	t.Helper()
	appState, accounts := NewGenesis(t, n, nil)
	return FromAppState(t, newApp(), appState, accounts)
}

// NewGenesis is New's app_state document and accounts; edit, when not nil,
// may change the module genesis documents before they are encoded. Two apps
// started from one NewGenesis with FromAppState hold the same state.
func NewGenesis(t testing.TB, n int, edit func(genesis map[string]json.RawMessage, accounts []Account)) ([]byte, []Account) {
	t.Helper()
	pv := mock.NewPV()
	pub, err := pv.GetPubKey()
	require.NoError(t, err)
	valSet := cmttypes.NewValidatorSet([]*cmttypes.Validator{cmttypes.NewValidator(pub, 1)})

	accounts := make([]Account, n)
	genAccs := make([]authtypes.GenesisAccount, n)
	balances := make([]banktypes.Balance, n)
	for i := range accounts {
		priv := secp256k1.GenPrivKey()
		accounts[i] = Account{Priv: priv, Address: sdk.AccAddress(priv.PubKey().Address())}
		genAccs[i] = authtypes.NewBaseAccount(accounts[i].Address, priv.PubKey(), uint64(i), 0)
		balances[i] = banktypes.Balance{Address: accounts[i].Address.String(), Coins: GenesisBalance}
	}
	a := newApp()
	genesis, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), valSet, genAccs, balances...)
	require.NoError(t, err)
	if edit != nil {
		edit(genesis, accounts)
	}
	appState, err := json.Marshal(genesis)
	require.NoError(t, err)
	return appState, accounts
}

// FromAppState starts app from an app_state document (for example an export),
// and commits one empty block so that queries and exports see the state.
func FromAppState(t testing.TB, a *app.App, appState []byte, accounts []Account) *Harness {
	t.Helper()
	h := &Harness{T: t, App: a, Accounts: accounts, time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, err := a.InitChain(&abci.RequestInitChain{
		ChainId:         ChainID,
		Time:            h.time,
		ConsensusParams: simtestutil.DefaultConsensusParams,
		AppStateBytes:   appState,
	})
	require.NoError(t, err)
	h.NextBlock()
	return h
}

// newApp is a fresh app on an in-memory database.
func newApp() *app.App {
	return app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{}, baseapp.SetChainID(ChainID))
}

// NewEmptyApp is a fresh app with no state, for importing a genesis.
func NewEmptyApp() *app.App { return newApp() }

// NextBlock finalizes and commits a block holding txs; it returns the block's
// per-tx results.
func (h *Harness) NextBlock(txs ...[]byte) []*abci.ExecTxResult {
	h.T.Helper()
	h.time = h.time.Add(5 * time.Second)
	res, err := h.App.FinalizeBlock(&abci.RequestFinalizeBlock{
		Height: h.App.LastBlockHeight() + 1,
		Time:   h.time,
		Txs:    txs,
	})
	require.NoError(h.T, err)
	_, err = h.App.Commit()
	require.NoError(h.T, err)
	return res.TxResults
}

// Advance moves the chain's clock forward by d and commits an empty block at
// the new time (as a chain that was idle, or whose gateway was offline).
func (h *Harness) Advance(d time.Duration) {
	h.T.Helper()
	h.time = h.time.Add(d)
	h.NextBlock()
}

// SignTx signs msgs by signer with its current account number and sequence.
func (h *Harness) SignTx(signer Account, msgs ...sdk.Msg) []byte {
	h.T.Helper()
	acc := h.App.AccountKeeper.GetAccount(h.Ctx(), signer.Address)
	require.NotNil(h.T, acc, "account %s does not exist", signer.Address)
	tx, err := simtestutil.GenSignedMockTx(rand.New(rand.NewSource(1)), h.App.TxConfig(), msgs,
		sdk.NewCoins(), simtestutil.DefaultGenTxGas, ChainID,
		[]uint64{acc.GetAccountNumber()}, []uint64{acc.GetSequence()}, signer.Priv)
	require.NoError(h.T, err)
	bz, err := h.App.TxConfig().TxEncoder()(tx)
	require.NoError(h.T, err)
	return bz
}

// Deliver runs msgs signed by signer as one tx in its own block.
func (h *Harness) Deliver(signer Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	h.T.Helper()
	return h.NextBlock(h.SignTx(signer, msgs...))[0]
}

// CheckTx runs a tx through the mempool path (ante handler only).
func (h *Harness) CheckTx(tx []byte) *abci.ResponseCheckTx {
	h.T.Helper()
	res, err := h.App.CheckTx(&abci.RequestCheckTx{Tx: tx, Type: abci.CheckTxType_New})
	require.NoError(h.T, err)
	return res
}

// Ctx reads and writes the committed store directly (for keeper tests).
func (h *Harness) Ctx() sdk.Context {
	return h.App.NewUncachedContext(false, cmtproto.Header{ //nolint:staticcheck // writes go straight to the committed store, on purpose
		ChainID: ChainID, Height: h.App.LastBlockHeight() + 1, Time: h.time,
	}).WithBlockTime(h.time)
}

// ExportAppState exports the committed state as a genesis app_state document.
func (h *Harness) ExportAppState() json.RawMessage {
	h.T.Helper()
	exported, err := h.App.ExportAppStateAndValidators(false, nil, nil)
	require.NoError(h.T, err)
	return exported.AppState
}
