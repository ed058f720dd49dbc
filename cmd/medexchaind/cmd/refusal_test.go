package cmd_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/medexchain/medexchain/cmd/medexchaind/cmd"
	"github.com/medexchain/medexchain/internal/cliutil"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/clienttest"
	phrtypes "github.com/medexchain/medexchain/x/phr/types"
)

// runTx runs `medexchaind tx <args>` as the harness's first account against
// the in-process app and returns the command's error.
func runTx(t *testing.T, h *apptest.Harness, args ...string) error {
	t.Helper()
	home := t.TempDir()
	kr, err := keyring.New(sdk.KeyringServiceName(), keyring.BackendTest, home, nil, h.App.AppCodec())
	require.NoError(t, err)
	require.NoError(t, kr.ImportPrivKeyHex("alice", hex.EncodeToString(h.Accounts[0].Priv.Bytes()), "secp256k1"))

	// the tx service (gas estimation) as `start` registers it on a node
	h.App.RegisterTxService(client.Context{}.WithTxConfig(h.App.TxConfig()).WithInterfaceRegistry(h.App.InterfaceRegistry()))
	defer cmd.SetNodeClient(clienttest.NewNode(h))()
	root := cmd.NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append(append([]string{"tx"}, args...), "--from", "alice", "--home", home,
		"--keyring-backend", "test", "--chain-id", apptest.ChainID, "--node", "tcp://127.0.0.1:1", "--yes"))
	err = svrcmd.Execute(root, "MEDEXCHAIND_TEST", home)
	t.Logf("output: %s", out.String())
	return err
}

// A refusal found by gas estimation is the registered error with its
// codespace and code, not a gRPC status of code Unknown.
func TestAutoCLIRefusalInSimulationIsTheRegisteredError(t *testing.T) {
	h := apptest.New(t, 1)
	err := runTx(t, h, "phr", "revoke-access", "99", "--reason", "done", "--gas", "auto")
	require.Error(t, err)
	require.True(t, errors.Is(err, phrtypes.ErrGrantNotFound), "got %v", err)
	var refused *txclient.RefusedError
	require.True(t, errors.As(err, &refused))
	require.Equal(t, phrtypes.ModuleName, refused.Codespace)
	require.Equal(t, phrtypes.ErrGrantNotFound.ABCICode(), refused.Code)
	line := cliutil.ErrorLine(err.Error()) // what main prints after "Error: "
	require.Contains(t, line, "(phr code 35: grant not found)")
	require.NotContains(t, line, "rpc error")
	require.NotContains(t, line, "message index")
	require.NotContains(t, line, "failed to simulate")
}

// A refusal at CheckTx (here: out of gas) makes the command fail with the
// registered error; the SDK alone prints the response and succeeds.
func TestAutoCLIRefusalAtCheckTxFailsTheCommand(t *testing.T) {
	h := apptest.New(t, 1)
	err := runTx(t, h, "phr", "revoke-access", "99", "--reason", "done", "--gas", "1000")
	require.Error(t, err)
	require.True(t, errors.Is(err, sdkerrors.ErrOutOfGas), "got %v", err)
	require.Contains(t, cliutil.ErrorLine(err.Error()), "(sdk code 11: out of gas)")
}
