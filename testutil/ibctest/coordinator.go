// Package ibctest runs several medexchain apps under ibc-go's testing
// coordinator: real light clients, handshakes and packet relaying, in process.
package ibctest

import (
	"encoding/json"
	"testing"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"

	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/app"
)

// NewApp is an ibctesting.AppCreator for medexchain.
func NewApp() (ibctesting.TestingApp, map[string]json.RawMessage) {
	a := app.New(log.NewNopLogger(), dbm.NewMemDB(), true, simtestutil.EmptyAppOptions{})
	return a, a.DefaultGenesis()
}

// NewCoordinator starts n medexchain chains. TestChain.GetSimApp and the
// helpers built on it panic with a custom app; use App instead.
func NewCoordinator(t *testing.T, n int) *ibctesting.Coordinator {
	t.Helper()
	return ibctesting.NewCustomAppCoordinator(t, n, NewApp)
}

// App returns the medexchain app behind an ibctesting chain.
func App(chain *ibctesting.TestChain) *app.App {
	return chain.App.(*app.App)
}
