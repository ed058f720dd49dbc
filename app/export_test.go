package app_test

import (
	"crypto/rand"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	phrtypes "github.com/medexchain/medexchain/x/phr/types"
)

// TestGenesisRoundTrip: state exported from a chain that has registered a
// patient and admitted a member imports into a fresh app, and exporting that
// app gives the same document, audit chain included.
func TestGenesisRoundTrip(t *testing.T) {
	h := apptest.New(t, 2)
	sk, err := keys.GenerateVaultKey(1, rand.Reader)
	require.NoError(t, err)
	res := h.Deliver(h.Accounts[0], &phrtypes.MsgRegisterPatient{
		Patient: h.Accounts[0].String(),
		Vaults:  []phrtypes.VaultKey{{Name: "vitals", PublicKey: sk.Public().Bytes()}},
	})
	require.Zero(t, res.Code, res.Log)
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), h.App.PhrKeeper.Authority(), h.Accounts[1].Address, phrtypes.ROLE_VALIDATOR, nil))
	h.NextBlock()

	first := h.ExportAppState()
	var modules map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(first, &modules))
	require.Contains(t, string(modules["audit"]), phrtypes.ActionRegisterPatient)
	require.Contains(t, string(modules["phr"]), "vitals")

	imported := apptest.FromAppState(t, apptest.NewEmptyApp(), first, h.Accounts)
	second := imported.ExportAppState()
	require.JSONEq(t, string(first), string(second))

	head, err := imported.App.AuditKeeper.Head(imported.Ctx())
	require.NoError(t, err)
	require.Equal(t, uint64(2), head.Sequence)
}
