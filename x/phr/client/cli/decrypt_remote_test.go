package cli_test

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

var remotePayload = []byte(`{"resourceType":"Observation","status":"final","code":{"text":"SpO2"}}`)

// decrypt-remote opens a record from the hospital chain's state alone (the
// mirror and the inbox share, with capsules the chain rerandomized), and
// refuses a share or mirror that was tampered with: each check of the local
// path holds on the remote one.
func TestDecryptRemote(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	h := w.H
	k := h.App.PhrKeeper
	clientID := w.AddPeerClient(apptest.ChainID)
	grantID, recordID, _ := w.MirrorRemote(clientID, remotePayload)
	w.SettleOutbox()
	q := newQueryClient(h)
	ctx := context.Background()

	d, err := cli.DecryptRemote(ctx, q, clientID, grantID, recordID, w.RequesterKey)
	require.NoError(t, err)
	require.Equal(t, remotePayload, d.Payload)
	require.Equal(t, apptest.ChainID, d.Meta.ChainID)
	require.Equal(t, recordID, d.Record.Id)
	seen := filepath.Join(t.TempDir(), "seen.json")
	require.NoError(t, cli.MarkSeen(seen, d.Meta.ChainID, d.Meta.DeviceID, d.Meta.Sequence, recordID))
	require.ErrorContains(t, cli.MarkSeen(seen, d.Meta.ChainID, d.Meta.DeviceID, d.Meta.Sequence, recordID+1), "replay")

	other, err := keys.GenerateRequesterKey(rand.Reader)
	require.NoError(t, err)
	_, err = cli.DecryptRemote(ctx, q, clientID, grantID, recordID, other)
	require.ErrorContains(t, err, "another requester key")
	_, err = cli.DecryptRemote(ctx, q, clientID, grantID, recordID+1, w.RequesterKey)
	require.ErrorContains(t, err, "fetch-remote it first")

	// tamper with B's state, one thing at a time, and put it back
	shareKey := collections.Join3(clientID, grantID, recordID)
	tamperShare := func(edit func(s *types.InboxShare), want string) {
		t.Helper()
		orig, err := k.Inbox.Get(h.Ctx(), shareKey)
		require.NoError(t, err)
		s := orig
		s.Meta.DeviceKey = append([]byte(nil), orig.Meta.DeviceKey...)
		edit(&s)
		require.NoError(t, k.Inbox.Set(h.Ctx(), shareKey, s))
		h.NextBlock()
		_, err = cli.DecryptRemote(ctx, q, clientID, grantID, recordID, w.RequesterKey)
		require.ErrorContains(t, err, want)
		require.NoError(t, k.Inbox.Set(h.Ctx(), shareKey, orig))
		h.NextBlock()
	}
	tamperGrant := func(edit func(g *types.RemoteGrant), want string) {
		t.Helper()
		orig, err := k.GetRemoteGrant(h.Ctx(), clientID, grantID)
		require.NoError(t, err)
		g := orig
		edit(&g)
		require.NoError(t, k.RemoteGrants.Set(h.Ctx(), collections.Join(clientID, grantID), g))
		h.NextBlock()
		_, err = cli.DecryptRemote(ctx, q, clientID, grantID, recordID, w.RequesterKey)
		require.ErrorContains(t, err, want)
		require.NoError(t, k.RemoteGrants.Set(h.Ctx(), collections.Join(clientID, grantID), orig))
		h.NextBlock()
	}
	tamperShare(func(s *types.InboxShare) { s.Meta.DeviceId = "ghost-1" }, `envelope is from device "pulse-ox-1", the record from "ghost-1"`)
	tamperShare(func(s *types.InboxShare) { s.Meta.Time = s.Meta.Time.Add(48 * time.Hour) }, "before the record's public time")
	tamperShare(func(s *types.InboxShare) { s.Meta.ResourceType = "Condition" }, `the record says "Condition"`)
	tamperShare(func(s *types.InboxShare) { s.Meta.Vault = "imaging" }, "is not under grant")
	otherDevice, err := keys.GenerateDeviceKey(rand.Reader)
	require.NoError(t, err)
	tamperShare(func(s *types.InboxShare) { s.Meta.DeviceKey = otherDevice.Public().Bytes() }, "does not decrypt to an envelope signed by device")
	tamperShare(func(s *types.InboxShare) {
		s.Body = append(append([]byte(nil), s.Body[:10]...), s.Body[10:]...)
		s.Body[10] ^= 1
	}, "does not decrypt")
	tamperShare(func(s *types.InboxShare) { s.Outcome = types.SHARE_OUTCOME_EXPIRED }, "fetch-remote it again")
	tamperGrant(func(g *types.RemoteGrant) { g.ChainId = "medexchain-b-1" }, "C_0^d ≠ A")
	tamperGrant(func(g *types.RemoteGrant) { g.VaultKey = w.RequesterKey.Public().Bytes() }, "C_0^d ≠ A")
	tamperGrant(func(g *types.RemoteGrant) {
		g.Scope.FromTime, g.Scope.ToTime = g.Scope.ToTime, g.Scope.ToTime.Add(time.Hour)
	}, "window")
	d2, err := cli.DecryptRemote(ctx, q, clientID, grantID, recordID, w.RequesterKey)
	require.NoError(t, err, "state restored")
	require.Equal(t, d.Payload, d2.Payload)
}
