package keeper_test

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

func TestRegisterDevice(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	dk, err := keys.GenerateDeviceKey(rand.Reader)
	require.NoError(t, err)
	seq := auditHead(t, h)
	w.MustDeliver(w.Patient, &types.MsgRegisterDevice{Patient: w.Patient.String(), DeviceId: "bp-cuff:2", Vault: phrtest.Vault,
		PublicKey: dk.Public().Bytes(), Gateway: w.Stranger.String()})
	requireOneEntry(t, h, seq, types.ActionRegisterDevice, w.Patient.String(), w.Patient.String(), "device/bp-cuff:2")

	ctx := h.Ctx()
	d, err := h.App.PhrKeeper.GetDevice(ctx, "bp-cuff:2")
	require.NoError(t, err)
	require.True(t, d.Active)
	require.Equal(t, w.Patient.String(), d.Patient)
	require.Equal(t, phrtest.Vault, d.Vault)
	require.Equal(t, w.Stranger.String(), d.Gateway)
	require.Equal(t, dk.Public().Bytes(), d.PublicKey)

	res, err := queryServer(h).DevicesByPatient(ctx, &types.QueryDevicesByPatientRequest{Patient: w.Patient.String()})
	require.NoError(t, err)
	require.Len(t, res.Devices, 2)
	require.Equal(t, "bp-cuff:2", res.Devices[0].Id) // id order
	require.Equal(t, phrtest.DeviceID, res.Devices[1].Id)
}

// Ed25519 public keys a device must not register.
const (
	identityEd25519     = "0100000000000000000000000000000000000000000000000000000000000000"
	order8Ed25519       = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"
	nonCanonicalEd25519 = "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func TestRegisterDeviceRefusals(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	// the stranger is a patient too, with a device of its own
	others := registerPatientWithDevices(t, w, w.Stranger, w.Gateway, "vitals")
	dk, err := keys.GenerateDeviceKey(rand.Reader)
	require.NoError(t, err)
	pub := dk.Public().Bytes()
	msg := func(edit func(*types.MsgRegisterDevice)) *types.MsgRegisterDevice {
		m := &types.MsgRegisterDevice{Patient: w.Patient.String(), DeviceId: "new-device", Vault: phrtest.Vault, PublicKey: pub, Gateway: w.Gateway.String()}
		edit(m)
		return m
	}
	cases := []struct {
		name string
		msg  *types.MsgRegisterDevice
		want *errorsmod.Error
	}{
		{"unknown vault", msg(func(m *types.MsgRegisterDevice) { m.Vault = "sleep" }), types.ErrVaultNotFound},
		{"empty id", msg(func(m *types.MsgRegisterDevice) { m.DeviceId = "" }), types.ErrInvalidDevice},
		{"id with a space", msg(func(m *types.MsgRegisterDevice) { m.DeviceId = "pulse ox" }), types.ErrInvalidDevice},
		{"id with a slash", msg(func(m *types.MsgRegisterDevice) { m.DeviceId = "a/b" }), types.ErrInvalidDevice},
		{"id starting with a dash", msg(func(m *types.MsgRegisterDevice) { m.DeviceId = "-x" }), types.ErrInvalidDevice},
		{"id of 65 characters", msg(func(m *types.MsgRegisterDevice) { m.DeviceId = strings.Repeat("a", 65) }), types.ErrInvalidDevice},
		{"short key", msg(func(m *types.MsgRegisterDevice) { m.PublicKey = pub[:31] }), types.ErrInvalidDevice},
		{"long key", msg(func(m *types.MsgRegisterDevice) { m.PublicKey = append(append([]byte(nil), pub...), 1) }), types.ErrInvalidDevice},
		{"no key", msg(func(m *types.MsgRegisterDevice) { m.PublicKey = nil }), types.ErrInvalidDevice},
		// small-order and non-canonical Ed25519 keys, with which forged
		// signatures verify: the identity, a point of order 8, and y = p + 1
		// (a non-canonical encoding of the identity)
		{"identity key", msg(func(m *types.MsgRegisterDevice) { m.PublicKey = mustHex(t, identityEd25519) }), types.ErrInvalidDevice},
		{"8-torsion key", msg(func(m *types.MsgRegisterDevice) { m.PublicKey = mustHex(t, order8Ed25519) }), types.ErrInvalidDevice},
		{"non-canonical key", msg(func(m *types.MsgRegisterDevice) { m.PublicKey = mustHex(t, nonCanonicalEd25519) }), types.ErrInvalidDevice},
		{"duplicate id", msg(func(m *types.MsgRegisterDevice) { m.DeviceId = phrtest.DeviceID }), types.ErrDeviceExists},
		{"id of another patient's device", msg(func(m *types.MsgRegisterDevice) { m.DeviceId = others["vitals"].id }), types.ErrDeviceExists},
		{"malformed gateway", msg(func(m *types.MsgRegisterDevice) { m.Gateway = "gateway" }), types.ErrInvalidAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			deliverRefused(t, h, w.Patient, tc.want, tc.msg)
		})
	}
	t.Run("not a patient", func(t *testing.T) {
		deliverRefused(t, h, w.Hospital, types.ErrVaultNotFound,
			msg(func(m *types.MsgRegisterDevice) { m.Patient = w.Hospital.String() }))
	})
	// a 64-character id is fine
	w.MustDeliver(w.Patient, msg(func(m *types.MsgRegisterDevice) { m.DeviceId = strings.Repeat("a", 64) }))
}

func TestDeactivateDevice(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	recordID := w.Upload(testPayload, w.Now())
	pendingUpload := w.UploadMsg(testPayload, w.Now())
	others := registerPatientWithDevices(t, w, w.Stranger, w.Gateway, "vitals")

	deactivate := &types.MsgDeactivateDevice{Patient: w.Patient.String(), DeviceId: phrtest.DeviceID}
	deliverRefused(t, h, w.Stranger, types.ErrDeviceNotFound, // the stranger's own patient record does not own it
		&types.MsgDeactivateDevice{Patient: w.Stranger.String(), DeviceId: phrtest.DeviceID})
	deliverRefused(t, h, w.Patient, types.ErrDeviceNotFound, // the stranger's device
		&types.MsgDeactivateDevice{Patient: w.Patient.String(), DeviceId: others["vitals"].id})
	deliverRefused(t, h, w.Patient, types.ErrDeviceNotFound,
		&types.MsgDeactivateDevice{Patient: w.Patient.String(), DeviceId: "no-such-device"})
	deliverRefused(t, h, w.Hospital, types.ErrDeviceNotFound, // not a patient at all
		&types.MsgDeactivateDevice{Patient: w.Hospital.String(), DeviceId: phrtest.DeviceID})

	seq := auditHead(t, h)
	w.MustDeliver(w.Patient, deactivate)
	requireOneEntry(t, h, seq, types.ActionDeactivateDevice, w.Patient.String(), w.Patient.String(), "device/"+phrtest.DeviceID)
	d, err := h.App.PhrKeeper.GetDevice(h.Ctx(), phrtest.DeviceID)
	require.NoError(t, err)
	require.False(t, d.Active)

	deliverRefused(t, h, w.Patient, types.ErrDeviceInactive, deactivate)

	// uploads stop, in CheckTx already
	checkTxRefused(t, h, w.Gateway, types.ErrDeviceInactive, pendingUpload)
	deliverRefused(t, h, w.Gateway, types.ErrDeviceInactive, pendingUpload)
	deliverRefused(t, h, w.Gateway, types.ErrDeviceInactive, w.UploadMsg(testPayload, w.Now()))
	// the other patient's device behind the same gateway is unaffected
	others["vitals"].upload(t, w, testPayload, w.Now())

	// the device's records stay and can still be shared
	grantID := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	tasks := w.Fetch(grantID, recordID)
	w.MustDeliver(w.Proxies[0], w.AnswerMsg(0, tasks...))
	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, tasks...))
	env, err := w.Decrypt(grantID, recordID)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)
}
