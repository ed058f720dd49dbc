package keeper_test

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// An upload through a signed tx stores the record with the gateway's public
// metadata and the capsules the chain firewall rerandomized with the public
// seed of docs/design.md §4; they differ from the submitted ones and still
// decrypt, for the owner and through a grant.
func TestUploadRecord(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	at := w.Now().Add(-90 * time.Minute) // a reading from earlier today
	msg := w.UploadMsg(testPayload, at)
	submitted := make([]*pre.Capsule, len(msg.Capsules))
	for i, c := range msg.Capsules {
		var err error
		submitted[i], err = pre.DecodeCapsule(c)
		require.NoError(t, err)
	}

	seq := auditHead(t, h)
	tx := h.SignTx(w.Gateway, msg)
	res := h.NextBlock(tx)[0]
	require.Zero(t, res.Code, res.Log)
	var resp types.MsgUploadRecordResponse
	require.NoError(t, phrtest.DecodeResponse(h, res, &resp))
	require.Equal(t, uint64(1), resp.RecordId)
	requireOneEntry(t, h, seq, types.ActionUploadRecord, w.Gateway.String(), w.Patient.String(), recordObj(1))

	ctx := h.Ctx()
	rec, err := k.GetRecord(ctx, resp.RecordId)
	require.NoError(t, err)
	require.Equal(t, w.Patient.String(), rec.Patient)
	require.Equal(t, phrtest.Vault, rec.Vault)
	require.Equal(t, uint64(1), rec.Epoch)
	require.Equal(t, phrtest.DeviceID, rec.DeviceId)
	require.Equal(t, w.Gateway.String(), rec.Gateway)
	require.True(t, rec.Time.Equal(at.Truncate(time.Minute)), "time %s", rec.Time)
	require.Equal(t, "Observation", rec.ResourceType)
	require.Equal(t, msg.Body, rec.Body)
	require.Equal(t, h.App.LastBlockHeight(), rec.Height)
	has, err := k.Records.Indexes.ByPatient.Has(ctx, joinRecord(w, rec.Id))
	require.NoError(t, err)
	require.True(t, has)
	head, err := k.Records.Get(ctx, rec.Id)
	require.NoError(t, err)
	require.Empty(t, head.Body, "the record's entry holds no body")
	body, err := k.RecordBodies.Get(ctx, rec.Id)
	require.NoError(t, err)
	require.Equal(t, msg.Body, body, "the body is kept apart")

	// stored ≠ submitted, and stored = the documented derivation
	// s = H2S("chain-rerand", header hash, tx hash, msg index, capsule index)
	require.Len(t, rec.Capsules, 2)
	var caps [crf.NumCapsules]*pre.Capsule
	copy(caps[:], submitted)
	txHash := sha256.Sum256(tx)
	want := crf.ChainRerandomize(w.VaultKey.Public().A, caps, nil, txHash[:], 0)
	for i := range rec.Capsules {
		require.False(t, bytes.Equal(msg.Capsules[i], rec.Capsules[i]), "capsule %d stored as submitted", i)
		require.Equal(t, want[i].Bytes(), rec.Capsules[i], "capsule %d", i)
	}

	// the owner decrypts the stored record
	stored := make([]*pre.Capsule, len(rec.Capsules))
	for i, c := range rec.Capsules {
		stored[i], err = pre.DecodeCapsule(c)
		require.NoError(t, err)
	}
	raw, err := pre.DecryptOwner(w.VaultKey, &pre.Ciphertext{Capsules: stored, Body: rec.Body})
	require.NoError(t, err)
	env, err := envelope.Open(raw, w.DeviceKey.Public().Key)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)

	// and so does a granted hospital
	grantID := w.Request(3)
	w.MustDeliver(w.Patient, w.GrantMsg(grantID, 2))
	tasks := w.Fetch(grantID, rec.Id)
	w.MustDeliver(w.Proxies[1], w.AnswerMsg(1, tasks...))
	w.MustDeliver(w.Proxies[2], w.AnswerMsg(2, tasks...))
	env, err = w.Decrypt(grantID, rec.Id)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)

	// ids keep counting
	require.Equal(t, uint64(2), w.Upload(testPayload, w.Now()))
}

// Every refusal of an upload happens in CheckTx already (the chain firewall
// runs the upload's stateful checks too), before any msg server runs; in a
// block the tx fails with the same registered error (a stateful one from the
// msg server, after the fee) and nothing is stored.
func TestUploadRecordRefusals(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	now := w.Now()
	upload := func(edit func(m *types.MsgUploadRecord)) *types.MsgUploadRecord {
		m := w.UploadMsg(testPayload, now)
		edit(m)
		return m
	}
	nonCanonical := bytes.Repeat([]byte{0xff}, 32)
	cases := []struct {
		name   string
		signer apptest.Account
		msg    *types.MsgUploadRecord
		want   *errorsmod.Error
	}{
		{"stranger as gateway", w.Stranger, upload(func(m *types.MsgUploadRecord) { m.Gateway = w.Stranger.String() }), types.ErrNotDeviceGateway},
		{"patient as gateway", w.Patient, upload(func(m *types.MsgUploadRecord) { m.Gateway = w.Patient.String() }), types.ErrNotDeviceGateway},
		{"unknown device", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.DeviceId = "no-such-device" }), types.ErrDeviceNotFound},
		{"next epoch", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Epoch = 2 }), types.ErrWrongEpoch},
		{"epoch 0", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Epoch = 0 }), types.ErrWrongEpoch},
		{"body over max_record_bytes", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Body = make([]byte, envelope.MaxSize+1) }), types.ErrRecordTooLarge},
		{"body not a bucket size", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Body = m.Body[:len(m.Body)-1] }), types.ErrInvalidRecord},
		{"body between buckets", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Body = make([]byte, 1000) }), types.ErrInvalidRecord},
		{"empty body", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Body = nil }), types.ErrInvalidRecord},
		{"no capsule", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Capsules = nil }), types.ErrInvalidRecord},
		{"one capsule", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Capsules = m.Capsules[:1] }), types.ErrInvalidRecord},
		{"three capsules", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Capsules = append(m.Capsules, m.Capsules[0]) }), types.ErrInvalidRecord},
		{"identity capsule", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Capsules[0] = make([]byte, 64) }), types.ErrInvalidRecord},
		{"identity F", w.Gateway, upload(func(m *types.MsgUploadRecord) { copy(m.Capsules[1][32:], make([]byte, 32)) }), types.ErrInvalidRecord},
		{"non-canonical E", w.Gateway, upload(func(m *types.MsgUploadRecord) { copy(m.Capsules[0][:32], nonCanonical) }), types.ErrInvalidRecord},
		{"non-canonical F", w.Gateway, upload(func(m *types.MsgUploadRecord) { copy(m.Capsules[1][32:], nonCanonical) }), types.ErrInvalidRecord},
		{"short capsule", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Capsules[1] = m.Capsules[1][:63] }), types.ErrInvalidRecord},
		{"long capsule", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Capsules[1] = append(m.Capsules[1], 0) }), types.ErrInvalidRecord},
		{"time not on a minute", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(30 * time.Second) }), types.ErrInvalidRecord},
		{"time with nanoseconds", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(time.Nanosecond) }), types.ErrInvalidRecord},
		{"time far in the future", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(24 * time.Hour) }), types.ErrRecordTime},
		{"time past the clock skew", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(10 * time.Minute) }), types.ErrRecordTime},
		{"time older than max_upload_delay", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(-25 * time.Hour) }), types.ErrRecordTime},
		{"a reading from last month", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(-30 * 24 * time.Hour) }), types.ErrRecordTime},
		{"time at the Unix epoch", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.Time = time.Unix(0, 0).UTC() }), types.ErrInvalidRecord},
		{"lower-case resource type", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.ResourceType = "observation" }), types.ErrInvalidRecord},
		{"empty resource type", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.ResourceType = "" }), types.ErrInvalidRecord},
		{"resource type with a digit", w.Gateway, upload(func(m *types.MsgUploadRecord) { m.ResourceType = "Observation2" }), types.ErrInvalidRecord},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkTxRefused(t, h, tc.signer, tc.want, tc.msg)
			deliverRefused(t, h, tc.signer, tc.want, tc.msg)
		})
	}
	seq, err := h.App.PhrKeeper.RecordSeq.Peek(h.Ctx())
	require.NoError(t, err)
	require.Zero(t, seq, "no refused upload took a record id")

	// the edges that are fine: a reading held by the gateway for most of
	// max_upload_delay (24 h), a gateway clock a few minutes ahead
	w.MustDeliver(w.Gateway, w.UploadMsg(testPayload, now.Add(-23*time.Hour)))
	w.MustDeliver(w.Gateway, w.UploadMsg(testPayload, now.Add(3*time.Minute)))
}

// max_record_bytes is a param: lowered below the smallest bucket, every
// record is refused as too large, in CheckTx already.
func TestUploadRecordMaxRecordBytes(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	msg := w.UploadMsg(testPayload, w.Now())
	require.Len(t, msg.Body, envelope.Buckets[0])

	setParams(t, h, func(p *types.Params) { p.MaxRecordBytes = uint64(envelope.Buckets[0]) - 1 })
	checkTxRefused(t, h, w.Gateway, types.ErrRecordTooLarge, msg)
	deliverRefused(t, h, w.Gateway, types.ErrRecordTooLarge, msg)

	setParams(t, h, func(p *types.Params) { p.MaxRecordBytes = uint64(envelope.Buckets[0]) })
	w.MustDeliver(w.Gateway, msg)
}

// Two uploads in one tx: both stored, each with its own rerandomization
// (msg index in the seed), and one bad upload fails the whole tx.
func TestUploadRecordBatch(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	h := w.H
	a, b := w.UploadMsg(testPayload, w.Now()), w.UploadMsg(testPayload, w.Now())
	bad := w.UploadMsg(testPayload, w.Now())
	bad.Capsules = bad.Capsules[:1]
	deliverRefused(t, h, w.Gateway, types.ErrInvalidRecord, a, bad)

	res := w.MustDeliver(w.Gateway, a, b)
	require.Zero(t, res.Code)
	ctx := h.Ctx()
	r1, err := h.App.PhrKeeper.GetRecord(ctx, 1)
	require.NoError(t, err)
	r2, err := h.App.PhrKeeper.GetRecord(ctx, 2)
	require.NoError(t, err)
	require.Equal(t, a.Body, r1.Body)
	require.Equal(t, b.Body, r2.Body)
	for i := range r1.Capsules {
		require.NotEqual(t, a.Capsules[i], r1.Capsules[i])
		require.NotEqual(t, b.Capsules[i], r2.Capsules[i])
	}
}

// No back-dating: the grant window is applied to the record's public time,
// and that time must lie within max_upload_delay (24 h) before the upload's
// block. A grant of a past window therefore covers only readings uploaded
// within a day of it: a gateway cannot date new readings into it later.
func TestUploadCannotBackdateIntoPastGrantWindow(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	t0 := w.Now()
	req := w.RequestMsg(10)
	req.Scope.FromTime, req.Scope.ToTime = t0.Add(-time.Hour), t0.Add(time.Hour) // a two-hour window around now
	var resp types.MsgRequestAccessResponse
	mustDecode(t, w, w.Hospital, req, &resp)
	grant := w.GrantMsg(resp.GrantId, 2)
	grant.Expiry = req.Expiry // 48 h
	w.MustDeliver(w.Patient, grant)
	inWindow := t0.Add(30 * time.Minute)

	// within a day: a gateway that held a reading uploads it, in the window
	h.Advance(2 * time.Hour)
	late := w.Upload(testPayload, inWindow)
	require.Len(t, w.Fetch(resp.GrantId, late), 1)

	// a day later the window is closed to new uploads
	h.Advance(24 * time.Hour)
	backdated := w.UploadMsg(testPayload, inWindow)
	checkTxRefused(t, h, w.Gateway, types.ErrRecordTime, backdated)
	deliverRefused(t, h, w.Gateway, types.ErrRecordTime, backdated)
	// and a reading stamped with its true time is out of the grant's scope
	fresh := w.Upload(testPayload, w.Now())
	deliverRefused(t, h, w.Hospital, types.ErrOutOfScope, fetchMsg(w, resp.GrantId, fresh))
}
