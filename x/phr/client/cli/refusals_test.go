package cli_test

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// TestGrantRefusals: `phr grant` names what is wrong before anything is
// signed: the request, the key file, the threshold, the expiry.
func TestGrantRefusals(t *testing.T) {
	s := newStory(t)
	grantID := s.Request(10)
	g, err := s.q.Grant(context.Background(), &types.QueryGrantRequest{Id: grantID})
	require.NoError(t, err)
	otherEpoch, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	otherKey, err := keys.GenerateVaultKey(1, rand.Reader)
	require.NoError(t, err)

	base := cli.GrantParams{ChainID: apptest.ChainID, Patient: s.Patient.String(), GrantID: grantID, Threshold: 2}
	cases := []struct {
		name  string
		edit  func(*cli.GrantParams)
		vault *keys.VaultSecretKey
		want  string
	}{
		{"unknown grant", func(p *cli.GrantParams) { p.GrantID = 999 }, s.VaultKey, "grant 999"},
		{"not the patient", func(p *cli.GrantParams) { p.Patient = s.Stranger.String() }, s.VaultKey, "not to " + s.Stranger.String()},
		{"key of another epoch", nil, otherEpoch, "key file is for epoch 2"},
		{"another key of the epoch", nil, otherKey, "not the key of vault"},
		{"threshold above n", func(p *cli.GrantParams) { p.Threshold = 4 }, s.VaultKey, "--threshold 4"},
		{"threshold 1", func(p *cli.GrantParams) { p.Threshold = 1 }, s.VaultKey, "--threshold 1"},
		{"expiry beyond the request", func(p *cli.GrantParams) { p.Expiry = g.Grant.RequestedExpiry.Add(time.Hour) }, s.VaultKey, "after the expiry the hospital asked for"},
	}
	for _, c := range cases {
		p := base
		if c.edit != nil {
			c.edit(&p)
		}
		_, err := cli.BuildGrant(context.Background(), s.q, p, c.vault, rand.Reader)
		require.ErrorContains(t, err, c.want, c.name)
	}

	s.grant(grantID, 3) // 3 of 3 is allowed
	_, err = cli.BuildGrant(context.Background(), s.q, base, s.VaultKey, rand.Reader)
	require.ErrorContains(t, err, "only a pending request")
}

func TestGrantNeedsCommittee(t *testing.T) {
	w := phrtest.NewWorld(t, 1)
	grantID := w.Request(1)
	_, err := cli.BuildGrant(context.Background(), newQueryClient(w.H), cli.GrantParams{
		ChainID: apptest.ChainID, Patient: w.Patient.String(), GrantID: grantID, Threshold: 2,
	}, w.VaultKey, rand.Reader)
	require.ErrorContains(t, err, "1 admitted proxies")
}

// TestDecryptRefusals: records that decrypt but must not be believed, and a
// grant that does not target the registered vault key.
func TestDecryptRefusals(t *testing.T) {
	s := newStory(t)
	ctx := context.Background()
	reg, err := gateway.Provision(ctx, s.q, s.dev, s.gw)
	require.NoError(t, err)
	vault, err := gateway.CurrentVault(ctx, s.q, s.Patient.String(), phrtest.Vault)
	require.NoError(t, err)
	vk := s.VaultKey.Public()

	// publish runs a device output through the gateway and the chain.
	publish := func(gw *gateway.Gateway, output []byte) uint64 {
		msg, _, err := gw.Firewall(reg, vault, output)
		require.NoError(t, err)
		id, err := s.upload(msg)
		require.NoError(t, err)
		return id
	}
	reading := func() *gateway.Reading {
		r, err := s.dev.Measure(fhir.KindHeartRate, s.Now())
		require.NoError(t, err)
		return r
	}

	// 1. The same envelope published twice (a replaying gateway): both
	// decrypt, the seen file refuses the second.
	r := reading()
	out, err := s.dev.Encrypt(r, vk, vault.Epoch)
	require.NoError(t, err)
	replayA, replayB := publish(s.gw, out), publish(s.gw, out)

	// 2. Signed metadata naming another chain.
	s.dev.ChainID = "other-chain"
	out, err = s.dev.Encrypt(reading(), vk, vault.Epoch)
	require.NoError(t, err)
	s.dev.ChainID = apptest.ChainID
	wrongChain := publish(s.gw, out)

	// 3. Signed metadata naming another device (signed by the registered one).
	s.dev.ID = "ghost"
	out, err = s.dev.Encrypt(reading(), vk, vault.Epoch)
	require.NoError(t, err)
	s.dev.ID = phrtest.DeviceID
	wrongDevice := publish(s.gw, out)

	// 4. A gateway publishing the wrong resource type.
	out, err = s.dev.Encrypt(reading(), vk, vault.Epoch)
	require.NoError(t, err)
	lying := *s.gw
	lying.ResourceType = "Condition"
	wrongType := publish(&lying, out)

	// 6. A reading measured 30 hours ago, before the grant's window, that the
	// gateway held and publishes now: the chain accepts the gateway's public
	// time (within max_upload_delay, in the window), the signed effective
	// time is outside the window.
	oldReading, err := s.dev.Measure(fhir.KindHeartRate, s.Now().Add(-30*time.Hour))
	require.NoError(t, err)
	out, err = s.dev.Encrypt(oldReading, vk, vault.Epoch)
	require.NoError(t, err)
	held := publish(s.gw, out)

	all := []uint64{replayA, replayB, wrongChain, wrongDevice, wrongType, held}
	grantID := s.Request(10)
	s.grant(grantID, 2)
	s.Fetch(grantID, all...)

	// 5. A grant built from another key of the same vault epoch: the chain
	// cannot tell, the proxies' fragments are consistent, the hospital
	// refuses it (C_0^d ≠ A).
	badID := s.Request(10)
	wrongKey, err := keys.GenerateVaultKey(1, rand.Reader)
	require.NoError(t, err)
	kg, err := pre.CreateGrant(wrongKey, s.GrantContext(badID), s.RequesterKey.Public(), 2, s.Committee(), rand.Reader)
	require.NoError(t, err)
	s.MustDeliver(s.Patient, &types.MsgGrantAccess{Patient: s.Patient.String(), GrantId: badID, KeyGrant: kg.Bytes(), Expiry: s.Now().Add(time.Hour)})
	s.Fetch(badID, replayA)

	s.answer(1, 2)

	seen := t.TempDir() + "/seen.json"
	a, err := s.decrypt(grantID, replayA, s.RequesterKey)
	require.NoError(t, err)
	require.Equal(t, r.FHIR, a.Payload)
	b, err := s.decrypt(grantID, replayB, s.RequesterKey)
	require.NoError(t, err, "a replayed envelope is genuine; only the sequence check catches it")
	require.NoError(t, cli.MarkSeen(seen, apptest.ChainID, a.Meta.DeviceID, a.Meta.Sequence, replayA))
	require.ErrorContains(t, cli.MarkSeen(seen, apptest.ChainID, b.Meta.DeviceID, b.Meta.Sequence, replayB), "replay")

	_, err = s.decrypt(grantID, wrongChain, s.RequesterKey)
	require.ErrorContains(t, err, `envelope is for chain "other-chain"`)
	_, err = s.decrypt(grantID, wrongDevice, s.RequesterKey)
	require.ErrorContains(t, err, `envelope is from device "ghost"`)
	_, err = s.decrypt(grantID, wrongType, s.RequesterKey)
	require.ErrorContains(t, err, `payload is a FHIR "Observation", the record says "Condition"`)

	_, err = s.decrypt(grantID, held, s.RequesterKey)
	require.ErrorContains(t, err, "outside grant 1's window")

	_, err = s.decrypt(badID, replayA, s.RequesterKey)
	require.ErrorContains(t, err, "C_0^d ≠ A")

	// A record the grant never fetched has no share.
	extra := publish(s.gw, mustEncrypt(t, s, vk, vault.Epoch))
	_, err = s.decrypt(grantID, extra, s.RequesterKey)
	require.ErrorContains(t, err, "share of record")
}

func mustEncrypt(t *testing.T, s *story, vk *keys.VaultPublicKey, epoch uint64) []byte {
	r, err := s.dev.Measure(fhir.KindOxygenSaturation, s.Now())
	require.NoError(t, err)
	out, err := s.dev.Encrypt(r, vk, epoch)
	require.NoError(t, err)
	return out
}

func TestCheckNewVaultKey(t *testing.T) {
	s := newStory(t)
	ctx := context.Background()
	old := s.VaultKey.Public().Bytes()
	require.ErrorContains(t, cli.CheckNewVaultKey(ctx, s.q, s.Patient.String(), phrtest.Vault, old), "already used this key in epoch 1")
	next, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	require.NoError(t, cli.CheckNewVaultKey(ctx, s.q, s.Patient.String(), phrtest.Vault, next.Public().Bytes()))
	s.MustDeliver(s.Patient, &types.MsgRotateVaultKey{Patient: s.Patient.String(), Vault: phrtest.Vault, PublicKey: next.Public().Bytes()})
	require.ErrorContains(t, cli.CheckNewVaultKey(ctx, s.q, s.Patient.String(), phrtest.Vault, old), "epoch 1")
	require.ErrorContains(t, cli.CheckNewVaultKey(ctx, s.q, s.Patient.String(), "imaging", old), `no vault "imaging"`)
}

func TestGrantAfterRotation(t *testing.T) {
	s := newStory(t)
	grantID := s.Request(1)
	next, err := keys.GenerateVaultKey(2, rand.Reader)
	require.NoError(t, err)
	s.MustDeliver(s.Patient, &types.MsgRotateVaultKey{Patient: s.Patient.String(), Vault: phrtest.Vault, PublicKey: next.Public().Bytes()})
	_, err = cli.BuildGrant(context.Background(), s.q, cli.GrantParams{ChainID: apptest.ChainID, Patient: s.Patient.String(), GrantID: grantID, Threshold: 2}, s.VaultKey, rand.Reader)
	require.ErrorContains(t, err, "rotated to epoch 2 since request")
}
