package cli_test

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/types"
)

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	got, err := cli.ParseTime("--expiry", "2026-06-01T00:00:00+02:00", now)
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 5, 31, 22, 0, 0, 0, time.UTC), got)
	got, err = cli.ParseTime("--expiry", "-90m", now)
	require.NoError(t, err)
	require.Equal(t, now.Add(-90*time.Minute), got)
	for _, bad := range []string{"", "3600", "tomorrow", "2026-06-01"} {
		_, err := cli.ParseTime("--expiry", bad, now)
		require.ErrorContains(t, err, "--expiry", bad)
	}
}

func TestReadPublicKeyArg(t *testing.T) {
	key := make([]byte, 32)
	key[0] = 7
	h := hex.EncodeToString(key)
	path := filepath.Join(t.TempDir(), "device.key.pub")
	require.NoError(t, os.WriteFile(path, []byte(h+"\n"), 0o644))

	for _, arg := range []string{h, path, "@" + path} {
		got, err := cli.ReadPublicKeyArg("device key", arg)
		require.NoError(t, err, arg)
		require.Equal(t, key, got)
	}
	_, err := cli.ReadPublicKeyArg("device key", h[:62])
	require.ErrorContains(t, err, "31 bytes")
	_, err = cli.ReadPublicKeyArg("device key", "./missing.pub")
	require.ErrorContains(t, err, "device key")
	_, err = cli.ReadPublicKeyArg("device key", "zz")
	require.ErrorContains(t, err, "neither a readable .pub file nor hex")
}

func TestParseID(t *testing.T) {
	id, err := cli.ParseID("grant id", "42")
	require.NoError(t, err)
	require.Equal(t, uint64(42), id)
	for _, bad := range []string{"0", "-1", "x", ""} {
		_, err := cli.ParseID("grant id", bad)
		require.ErrorContains(t, err, "grant id", bad)
	}
}

func TestSeenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seen.json")
	require.NoError(t, cli.MarkSeen(path, "c", "dev", 1, 10))
	require.NoError(t, cli.MarkSeen(path, "c", "dev", 1, 10), "same record again")
	require.NoError(t, cli.MarkSeen(path, "c", "dev", 2, 11))
	require.NoError(t, cli.MarkSeen(path, "c", "dev2", 1, 12), "sequences are per device")
	require.NoError(t, cli.MarkSeen(path, "c2", "dev", 1, 13), "and per chain")
	require.ErrorContains(t, cli.MarkSeen(path, "c", "dev", 1, 14), "already delivered in record 10")

	require.NoError(t, os.WriteFile(path, []byte("{}"), 0o600))
	require.ErrorContains(t, cli.MarkSeen(path, "c", "dev", 1, 10), "not a medexchain seen file")
}

func TestCheckMeta(t *testing.T) {
	patient := sdk.AccAddress(make([]byte, 20))
	rec := types.Record{Patient: patient.String(), Vault: "vitals", Epoch: 3, DeviceId: "d1"}
	good := envelope.Meta{ChainID: "c", Patient: patient, Vault: "vitals", Epoch: 3, DeviceID: "d1"}
	require.NoError(t, cli.CheckMeta(&good, "c", &rec))

	other := sdk.AccAddress(append(make([]byte, 19), 1))
	cases := map[string]func(m *envelope.Meta){
		"chain":   func(m *envelope.Meta) { m.ChainID = "x" },
		"patient": func(m *envelope.Meta) { m.Patient = other },
		"vault":   func(m *envelope.Meta) { m.Vault = "imaging" },
		"epoch":   func(m *envelope.Meta) { m.Epoch = 2 },
		"device":  func(m *envelope.Meta) { m.DeviceID = "d2" },
	}
	for want, edit := range cases {
		m := good
		edit(&m)
		require.ErrorContains(t, cli.CheckMeta(&m, "c", &rec), want)
	}
}

func TestCheckTime(t *testing.T) {
	public := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	rec := types.Record{Time: public}
	g := types.Grant{Id: 4, Scope: types.Scope{FromTime: public.Add(-48 * time.Hour), ToTime: public.Add(time.Hour)}}
	const lag = 24 * time.Hour
	at := func(eff time.Time) *envelope.Meta { return &envelope.Meta{EffectiveTime: eff} }
	for _, ok := range []time.Time{public, public.Add(59 * time.Second), public.Add(-lag), public.Add(cli.SignedTimeAhead)} {
		require.NoError(t, cli.CheckTime(at(ok), &rec, &g, lag), ok)
	}
	cases := map[string]time.Time{
		"outside grant 4's window":              public.Add(-49 * time.Hour),
		"more than 24h0m0s before":              public.Add(-lag - time.Second),
		"more than 5m0s after":                  public.Add(cli.SignedTimeAhead + time.Second),
		"outside grant 4's window [2026-04-29T": g.Scope.ToTime, // the window is half-open
	}
	for want, eff := range cases {
		require.ErrorContains(t, cli.CheckTime(at(eff), &rec, &g, lag), want, eff)
	}
}
