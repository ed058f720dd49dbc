package keeper_test

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	errorsmod "cosmossdk.io/errors"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// MsgRotateVaultKey starts epoch 2: the old key stays readable, uploads and
// grants of epoch 1 are refused from then on, a grant of epoch 1 keeps
// reaching epoch-1 records only, and the new epoch works end to end.
func TestRotateVaultKey(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	oldSK := w.VaultKey
	oldRecord := w.Upload(testPayload, w.Now())
	pending := w.Request(5)
	granted := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(granted, 2))
	staleUpload := w.UploadMsg(testPayload, w.Now()) // made by the gateway before it learns of the rotation

	newSK, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	seq := auditHead(t, h)
	var resp types.MsgRotateVaultKeyResponse
	mustDecode(t, w, w.Patient, &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: newSK.Public().Bytes()}, &resp)
	require.Equal(t, uint64(2), resp.Epoch)
	requireOneEntry(t, h, seq, types.ActionRotateVaultKey, w.Patient.String(), w.Patient.String(), "vault/vitals/epoch/2")

	ctx := h.Ctx()
	v, err := k.GetVault(ctx, w.Patient.Address, phrtest.Vault)
	require.NoError(t, err)
	require.Equal(t, uint64(2), v.Epoch)
	require.Equal(t, newSK.Public().Bytes(), v.PublicKey)
	old, err := k.VaultKeyAt(ctx, w.Patient.Address, phrtest.Vault, 1)
	require.NoError(t, err)
	require.Equal(t, oldSK.Public().Bytes(), old)
	cur, err := k.VaultKeyAt(ctx, w.Patient.Address, phrtest.Vault, 2)
	require.NoError(t, err)
	require.Equal(t, newSK.Public().Bytes(), cur)
	_, err = k.VaultKeyAt(ctx, w.Patient.Address, phrtest.Vault, 3)
	require.ErrorIs(t, err, types.ErrVaultNotFound)

	q := queryServer(h)
	for epoch, want := range map[uint64][]byte{1: oldSK.Public().Bytes(), 2: newSK.Public().Bytes()} {
		res, err := q.VaultEpoch(ctx, &types.QueryVaultEpochRequest{Patient: w.Patient.String(), Vault: phrtest.Vault, Epoch: epoch})
		require.NoError(t, err)
		require.Equal(t, want, res.Key.PublicKey)
		require.Equal(t, epoch, res.Key.Epoch)
	}
	_, err = q.VaultEpoch(ctx, &types.QueryVaultEpochRequest{Patient: w.Patient.String(), Vault: phrtest.Vault, Epoch: 3})
	require.Equal(t, codes.NotFound, status.Code(err))

	// uploads at the old epoch: refused in CheckTx already, and in a block
	checkTxRefused(t, h, w.Gateway, types.ErrWrongEpoch, staleUpload)
	deliverRefused(t, h, w.Gateway, types.ErrWrongEpoch, staleUpload)
	deliverRefused(t, h, w.Gateway, types.ErrWrongEpoch, w.UploadMsg(testPayload, w.Now()))

	// a request made at epoch 1 can no longer be granted
	deliverRefused(t, h, w.Patient, types.ErrWrongEpoch, w.GrantMsg(pending, 2))
	require.Equal(t, types.GRANT_STATUS_REQUESTED, getGrant(t, h, pending).Status)

	// the device moves to the new key
	w.VaultKey = newSK
	newRecord := w.Upload(testPayload, w.Now())
	rec, err := k.GetRecord(h.Ctx(), newRecord)
	require.NoError(t, err)
	require.Equal(t, uint64(2), rec.Epoch)

	// the epoch-1 grant reaches the epoch-1 record, not the epoch-2 one
	deliverRefused(t, h, w.Hospital, types.ErrOutOfScope,
		&types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: granted, RecordIds: []uint64{newRecord}})
	tasks := w.Fetch(granted, oldRecord)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))
	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, tasks...))
	env, err := w.Decrypt(granted, oldRecord)
	require.NoError(t, err, "the old epoch's key stays readable for the old grant")
	require.Equal(t, testPayload, env.Payload)

	// a new request names epoch 2 and decrypts the new record
	fresh := w.Request(5)
	require.Equal(t, uint64(2), getGrant(t, h, fresh).Epoch)
	w.MustDeliver(w.Patient, w.GrantMsg(fresh, 2))
	deliverRefused(t, h, w.Hospital, types.ErrOutOfScope,
		&types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: fresh, RecordIds: []uint64{oldRecord}})
	tasks = w.Fetch(fresh, newRecord)
	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, tasks...))
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))
	env, err = w.Decrypt(fresh, newRecord)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)
}

func TestRotateVaultKeyRefusals(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	good, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	key := good.Public().Bytes()

	cases := []struct {
		name string
		msg  *types.MsgRotateVaultKey
		want *errorsmod.Error
	}{
		{"unknown vault", &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: "sleep", PublicKey: key}, types.ErrVaultNotFound},
		{"identity key", &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: make([]byte, 32)}, types.ErrVaultKeyIdentity},
		{"short key", &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: key[:31]}, types.ErrVaultKeyLength},
		{"non-canonical key", &types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: bytes.Repeat([]byte{0xff}, 32)}, types.ErrVaultKeyNonCanonical},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			deliverRefused(t, h, w.Patient, tc.want, tc.msg)
		})
	}
	t.Run("not a patient", func(t *testing.T) {
		deliverRefused(t, h, w.Stranger, types.ErrVaultNotFound,
			&types.MsgRotateVaultKey{Patient: w.Stranger.String(), Vault: phrtest.Vault, PublicKey: key})
	})
	t.Run("someone else's vault", func(t *testing.T) {
		deliverRefused(t, h, w.Stranger, sdkerrors.ErrInvalidPubKey,
			&types.MsgRotateVaultKey{Patient: w.Patient.String(), Vault: phrtest.Vault, PublicKey: key})
	})
	v, err := h.App.PhrKeeper.GetVault(h.Ctx(), w.Patient.Address, phrtest.Vault)
	require.NoError(t, err)
	require.Equal(t, uint64(1), v.Epoch)
}
