package ante_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// The chain firewall stores rerandomized capsules: different bytes from the
// submitted ones, same plaintext for the vault owner.
func TestFirewallRerandomizesStoredCapsules(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	payload := []byte(`{"resourceType":"Observation","id":"fw"}`)
	msg := w.UploadMsg(payload, w.Now())
	var resp types.MsgUploadRecordResponse
	res := w.MustDeliver(w.Gateway, msg)
	require.NoError(t, phrtest.DecodeResponse(w.H, res, &resp))

	rec, err := w.H.App.PhrKeeper.GetRecord(w.H.Ctx(), resp.RecordId)
	require.NoError(t, err)
	require.Len(t, rec.Capsules, 2)
	for i := range rec.Capsules {
		require.False(t, bytes.Equal(msg.Capsules[i], rec.Capsules[i]), "capsule %d stored as submitted", i)
	}
	require.Equal(t, msg.Body, rec.Body)

	caps := make([]*pre.Capsule, len(rec.Capsules))
	for i, c := range rec.Capsules {
		caps[i], err = pre.DecodeCapsule(c)
		require.NoError(t, err)
	}
	env, err := pre.OpenOwner(w.VaultKey, &pre.Ciphertext{Capsules: caps, Body: rec.Body}, w.DeviceKey.Public().Key)
	require.NoError(t, err)
	require.Equal(t, payload, env.Payload)
}

// Malformed crypto objects are refused in CheckTx, before any msg server
// runs, with registered errors, and nothing is stored.
func TestFirewallRefusesMalformedObjectsInCheckTx(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	grantID := w.Request(5)
	identity := make([]byte, 64)

	cases := []struct {
		name   string
		signer apptest.Account
		msg    func() sdk.Msg
		want   uint32
	}{
		{"identity capsule", w.Gateway, func() sdk.Msg {
			m := w.UploadMsg([]byte("{}"), w.Now())
			m.Capsules[1] = identity
			return m
		}, types.ErrInvalidRecord.ABCICode()},
		{"three capsules", w.Gateway, func() sdk.Msg {
			m := w.UploadMsg([]byte("{}"), w.Now())
			m.Capsules = append(m.Capsules, m.Capsules[0])
			return m
		}, types.ErrInvalidRecord.ABCICode()},
		{"one capsule", w.Gateway, func() sdk.Msg {
			m := w.UploadMsg([]byte("{}"), w.Now())
			m.Capsules = m.Capsules[:1]
			return m
		}, types.ErrInvalidRecord.ABCICode()},
		{"body not a bucket size", w.Gateway, func() sdk.Msg {
			m := w.UploadMsg([]byte("{}"), w.Now())
			m.Body = m.Body[:len(m.Body)-1]
			return m
		}, types.ErrInvalidRecord.ABCICode()},
		{"garbage key grant", w.Patient, func() sdk.Msg {
			m := w.GrantMsg(grantID, 2)
			m.KeyGrant = m.KeyGrant[:len(m.KeyGrant)-3]
			return m
		}, types.ErrInvalidKeyGrant.ABCICode()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, err := w.H.App.PhrKeeper.RecordSeq.Peek(w.H.Ctx())
			require.NoError(t, err)
			res := w.H.CheckTx(w.H.SignTx(tc.signer, tc.msg()))
			require.Equal(t, types.ModuleName, res.Codespace, res.Log)
			require.Equal(t, tc.want, res.Code, res.Log)
			after, err := w.H.App.PhrKeeper.RecordSeq.Peek(w.H.Ctx())
			require.NoError(t, err)
			require.Equal(t, before, after)
		})
	}
}

// A message that reaches a msg server without passing the firewall (no ante
// handler ran, e.g. a future nested path) is refused.
func TestMsgServerRefusesUnfirewalledMessages(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	srv := keeper.NewMsgServerImpl(w.H.App.PhrKeeper)
	_, err := srv.UploadRecord(w.H.Ctx(), w.UploadMsg([]byte("{}"), w.Now()))
	require.ErrorIs(t, err, types.ErrNotFirewalled)
}
