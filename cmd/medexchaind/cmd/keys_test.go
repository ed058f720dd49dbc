package cmd_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"
	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/cmd/medexchaind/cmd"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/clienttest"
)

// abandonMnemonic is BIP-39's all-zero-entropy test mnemonic; its P-256 key
// at the default path is pinned in internal/keyring/secp256r1algo.
const (
	abandonMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	abandonR1Addr   = "6c6a65f7b928baf5af1e58896f61907d2d12c4678c334a19ffada0cc81069742"
)

// medexchaind runs the root command with args (and --home home) in process
// and returns its output and error.
func medexchaind(t *testing.T, home string, args ...string) (string, error) {
	t.Helper()
	root := cmd.NewRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append(args, "--home", home))
	err := svrcmd.Execute(root, "MEDEXCHAIND_TEST", home)
	return out.String(), err
}

type keyOutput struct {
	Name     string `json:"name"`
	Address  string `json:"address"`
	PubKey   string `json:"pubkey"`
	Mnemonic string `json:"mnemonic"`
}

func keysAdd(t *testing.T, home string, args ...string) keyOutput {
	t.Helper()
	out, err := medexchaind(t, home, append([]string{"keys", "add"}, append(args, "--keyring-backend", "test", "--output", "json")...)...)
	require.NoError(t, err, out)
	var k keyOutput
	require.NoError(t, json.Unmarshal([]byte(out), &k), out)
	return k
}

func writeMnemonic(t *testing.T, mnemonic string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "mnemonic")
	require.NoError(t, os.WriteFile(p, []byte(mnemonic), 0o600))
	return p
}

// `keys add --algo secp256r1` creates a P-256 key with a mnemonic; --recover
// gives the same key; show and list read it; secp256k1 stays the default.
func TestKeysAddSecp256r1(t *testing.T) {
	home := t.TempDir()
	r1 := keysAdd(t, home, "hospital", "--algo", "secp256r1")
	require.Contains(t, r1.PubKey, "/cosmos.crypto.secp256r1.PubKey")
	require.Len(t, strings.Fields(r1.Mnemonic), 24)

	again := keysAdd(t, t.TempDir(), "restored", "--algo", "secp256r1", "--recover", "--source", writeMnemonic(t, r1.Mnemonic))
	require.Equal(t, r1.Address, again.Address)
	require.Equal(t, r1.PubKey, again.PubKey)

	// the CLI derives at the default path exactly as the package's known answer
	known := keysAdd(t, home, "known", "--algo", "secp256r1", "--recover", "--source", writeMnemonic(t, abandonMnemonic))
	addr, err := sdk.AccAddressFromBech32(known.Address)
	require.NoError(t, err)
	require.Equal(t, abandonR1Addr, hex.EncodeToString(addr))

	k1 := keysAdd(t, home, "relayer")
	require.Contains(t, k1.PubKey, "/cosmos.crypto.secp256k1.PubKey")

	out, err := medexchaind(t, home, "keys", "show", "hospital", "-a", "--keyring-backend", "test")
	require.NoError(t, err, out)
	require.Equal(t, r1.Address, strings.TrimSpace(out))

	out, err = medexchaind(t, home, "keys", "list", "--keyring-backend", "test", "--output", "json")
	require.NoError(t, err, out)
	var list []keyOutput
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	byName := map[string]keyOutput{}
	for _, k := range list {
		byName[k.Name] = k
	}
	require.Len(t, byName, 3)
	require.Equal(t, r1.PubKey, byName["hospital"].PubKey)
	require.Equal(t, k1.Address, byName["relayer"].Address)

	_, err = medexchaind(t, home, "keys", "add", "x", "--algo", "ed25519", "--keyring-backend", "test")
	require.ErrorContains(t, err, "unsupported signing algo")
}

// The SDK would panic on the two legacy-amino paths; they refuse instead,
// and the hex export/import moves the key.
func TestKeysRefuseAminoPathsForSecp256r1(t *testing.T) {
	home := t.TempDir()
	r1 := keysAdd(t, home, "hospital", "--algo", "secp256r1")
	keysAdd(t, home, "a")
	keysAdd(t, home, "b")

	_, err := medexchaind(t, home, "keys", "add", "ms", "--multisig", "a,hospital", "--multisig-threshold", "1", "--keyring-backend", "test")
	require.ErrorContains(t, err, `key "hospital" is secp256r1`)
	ms := keysAdd(t, home, "ms", "--multisig", "a,b", "--multisig-threshold", "1")
	require.Contains(t, ms.PubKey, "LegacyAminoPubKey")

	_, err = medexchaind(t, home, "keys", "export", "hospital", "--keyring-backend", "test")
	require.ErrorContains(t, err, "--unarmored-hex")

	out, err := medexchaind(t, home, "keys", "export", "hospital", "--unarmored-hex", "--unsafe", "-y", "--keyring-backend", "test")
	require.NoError(t, err, out)
	other := t.TempDir()
	out, err = medexchaind(t, other, "keys", "import-hex", "moved", strings.TrimSpace(out), "--key-type", "secp256r1", "--keyring-backend", "test")
	require.NoError(t, err, out)
	out, err = medexchaind(t, other, "keys", "show", "moved", "-a", "--keyring-backend", "test")
	require.NoError(t, err, out)
	require.Equal(t, r1.Address, strings.TrimSpace(out))
}

// `medexchaind tx bank send` signs with a keyring P-256 key and the
// in-process chain executes the transfer.
func TestBankSendFromSecp256r1Key(t *testing.T) {
	h := apptest.New(t, 1)
	home := t.TempDir()
	r1 := keysAdd(t, home, "hospital", "--algo", "secp256r1")
	from, err := sdk.AccAddressFromBech32(r1.Address)
	require.NoError(t, err)
	fund := sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(5_000_000)))
	require.Zero(t, h.Deliver(h.Accounts[0], banktypes.NewMsgSend(h.Accounts[0].Address, from, fund)).Code)

	h.App.RegisterTxService(client.Context{}.WithTxConfig(h.App.TxConfig()).WithInterfaceRegistry(h.App.InterfaceRegistry()))
	node := clienttest.NewNode(h)
	defer cmd.SetNodeClient(node)()
	to := h.Accounts[0].Address
	before := h.App.BankKeeper.GetBalance(h.Ctx(), to, app.BondDenom).Amount

	// --gas auto works for the first tx (no public key on chain yet; see
	// secp256r1algo's TestTxClientSecp256r1TxIsAccepted), fixed gas after
	for _, gas := range []string{"auto", "200000"} {
		out, err := medexchaind(t, home, "tx", "bank", "send", "hospital", to.String(), "1000"+app.BondDenom,
			"--from", "hospital", "--keyring-backend", "test", "--chain-id", apptest.ChainID,
			"--node", "tcp://127.0.0.1:1", "--gas", gas, "--yes")
		require.NoError(t, err, out)
		node.CommitMempool()
	}

	require.Equal(t, before.AddRaw(2000), h.App.BankKeeper.GetBalance(h.Ctx(), to, app.BondDenom).Amount)
	acc := h.App.AccountKeeper.GetAccount(h.Ctx(), from)
	require.EqualValues(t, 2, acc.GetSequence())
	require.IsType(t, &secp256r1.PubKey{}, acc.GetPubKey())
}
