package keeper_test

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/testutil/apptest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

func vaultKey(t *testing.T) []byte {
	t.Helper()
	sk, err := keys.GenerateVaultKey(1, rand.Reader)
	require.NoError(t, err)
	return sk.Public().Bytes()
}

func TestRegisterPatient(t *testing.T) {
	h := apptest.New(t, 2)
	ctx := h.Ctx()
	srv := keeper.NewMsgServerImpl(h.App.PhrKeeper)
	patient := h.Accounts[0]
	vitals, imaging := vaultKey(t), vaultKey(t)

	res, err := srv.RegisterPatient(ctx, &types.MsgRegisterPatient{
		Patient: patient.String(),
		Vaults:  []types.VaultKey{{Name: "vitals", PublicKey: vitals}, {Name: "imaging", PublicKey: imaging}},
	})
	require.NoError(t, err)

	got, err := h.App.PhrKeeper.Patients.Get(ctx, patient.Address)
	require.NoError(t, err)
	require.Equal(t, patient.String(), got.Address)
	vaults, err := h.App.PhrKeeper.PatientVaults(ctx, patient.Address)
	require.NoError(t, err)
	require.Len(t, vaults, 2)
	require.Equal(t, "imaging", vaults[0].Name) // name order
	require.Equal(t, imaging, vaults[0].PublicKey)
	require.Equal(t, uint64(1), vaults[1].Epoch)

	entry, err := h.App.AuditKeeper.Entries.Get(ctx, res.AuditSequence)
	require.NoError(t, err)
	require.Equal(t, types.ActionRegisterPatient, entry.Action)
	require.Equal(t, patient.String(), entry.Patient)
	require.Equal(t, patient.String(), entry.Actor)
	require.Equal(t, audittypes.OUTCOME_SUCCESS, entry.Outcome)

	// a second registration of the same patient is refused, whatever its vaults
	_, err = srv.RegisterPatient(ctx, &types.MsgRegisterPatient{
		Patient: patient.String(), Vaults: []types.VaultKey{{Name: "other", PublicKey: vaultKey(t)}},
	})
	require.ErrorIs(t, err, types.ErrPatientExists)
	_, err = h.App.PhrKeeper.Vaults.Get(ctx, joinVault(patient, "other"))
	require.Error(t, err, "refused registration must not add a vault")
}

func TestRegisterPatientRefusals(t *testing.T) {
	good := func(t *testing.T) []byte { return vaultKey(t) }
	nonCanonical := bytes.Repeat([]byte{0xff}, 32) // field element ≥ p
	identity := make([]byte, 32)

	cases := []struct {
		name   string
		vaults func(t *testing.T) []types.VaultKey
		want   *errorsmod.Error
	}{
		{"duplicate vault name", func(t *testing.T) []types.VaultKey {
			return []types.VaultKey{{Name: "vitals", PublicKey: good(t)}, {Name: "vitals", PublicKey: good(t)}}
		}, types.ErrDuplicateVault},
		{"non-canonical key", func(*testing.T) []types.VaultKey {
			return []types.VaultKey{{Name: "vitals", PublicKey: nonCanonical}}
		}, types.ErrVaultKeyNonCanonical},
		{"identity key", func(*testing.T) []types.VaultKey {
			return []types.VaultKey{{Name: "vitals", PublicKey: identity}}
		}, types.ErrVaultKeyIdentity},
		{"short key", func(t *testing.T) []types.VaultKey {
			return []types.VaultKey{{Name: "vitals", PublicKey: good(t)[:31]}}
		}, types.ErrVaultKeyLength},
		{"long key", func(t *testing.T) []types.VaultKey {
			return []types.VaultKey{{Name: "vitals", PublicKey: append(good(t), 0)}}
		}, types.ErrVaultKeyLength},
		{"bad vault name", func(t *testing.T) []types.VaultKey {
			return []types.VaultKey{{Name: "Vitals!", PublicKey: good(t)}}
		}, types.ErrInvalidVaultName},
		{"no vaults", func(*testing.T) []types.VaultKey { return nil }, types.ErrNoVaults},
	}

	h := apptest.New(t, 1)
	srv := keeper.NewMsgServerImpl(h.App.PhrKeeper)
	patient := h.Accounts[0]
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := h.Ctx()
			headBefore, _ := h.App.AuditKeeper.LastSeq.Peek(ctx)
			_, err := srv.RegisterPatient(ctx, &types.MsgRegisterPatient{Patient: patient.String(), Vaults: tc.vaults(t)})
			require.ErrorIs(t, err, tc.want)

			has, err := h.App.PhrKeeper.Patients.Has(ctx, patient.Address)
			require.NoError(t, err)
			require.False(t, has, "refused registration must not store the patient")
			vaults, err := h.App.PhrKeeper.PatientVaults(ctx, patient.Address)
			require.NoError(t, err)
			require.Empty(t, vaults)
			headAfter, _ := h.App.AuditKeeper.LastSeq.Peek(ctx)
			require.Equal(t, headBefore, headAfter, "refused registration must not be audited as a success")
		})
	}

	t.Run("malformed patient address", func(t *testing.T) {
		_, err := srv.RegisterPatient(h.Ctx(), &types.MsgRegisterPatient{
			Patient: "medex1notanaddress", Vaults: []types.VaultKey{{Name: "vitals", PublicKey: vaultKey(t)}},
		})
		require.ErrorIs(t, err, types.ErrInvalidAddress)
	})
}

func TestRotateVaultKeyRefusesAnEarlierKey(t *testing.T) {
	h := apptest.New(t, 1)
	ctx := h.Ctx()
	patient := h.Accounts[0]
	first, second := vaultKey(t), vaultKey(t)
	_, err := h.App.PhrKeeper.RegisterPatient(ctx, patient.Address, []types.VaultKey{{Name: "vitals", PublicKey: first}})
	require.NoError(t, err)

	epoch, err := h.App.PhrKeeper.RotateVaultKey(ctx, patient.Address, "vitals", second)
	require.NoError(t, err)
	require.Equal(t, uint64(2), epoch)

	for _, reused := range [][]byte{first, second} {
		_, err = h.App.PhrKeeper.RotateVaultKey(ctx, patient.Address, "vitals", reused)
		require.ErrorIs(t, err, types.ErrVaultKeyReused)
	}
	v, err := h.App.PhrKeeper.GetVault(ctx, patient.Address, "vitals")
	require.NoError(t, err)
	require.Equal(t, uint64(2), v.Epoch, "a refused rotation leaves the epoch")
	require.Equal(t, second, v.PublicKey)
}
