package keeper_test

import (
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/testutil/ibctest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// hospitalOn admits chain's sender account as a hospital with a fresh key B.
func hospitalOn(t *testing.T, chain *ibctesting.TestChain) *keys.RequesterSecretKey {
	t.Helper()
	sk, err := keys.GenerateRequesterKey(rand.Reader)
	require.NoError(t, err)
	k := ibctest.App(chain).PhrKeeper
	require.NoError(t, k.AdmitMember(chain.GetContext(), k.Authority(), chain.SenderAccount.GetAddress(), types.ROLE_HOSPITAL, sk.Public().Bytes()))
	chain.NextBlock()
	return sk
}

func remoteRequestOn(chain *ibctesting.TestChain, channelID, patient string) *types.MsgRequestRemoteAccess {
	now := chain.GetContext().BlockTime()
	return &types.MsgRequestRemoteAccess{Hospital: chain.SenderAccount.GetAddress().String(), ChannelId: channelID,
		Patient: patient, Vault: "vitals", Purpose: "treatment", Expiry: now.Add(48 * time.Hour),
		Scope: types.Scope{FromTime: now.Add(-24 * time.Hour), ToTime: now.Add(24 * time.Hour), MaxRecords: 3}}
}

// Over a real phr channel between two chains: the hospital's request is
// sent at once (in flight over the channel), relayed, and the patient
// chain's answer comes back as the request's outcome (here an error ack:
// the patient is not registered there), audited by the outbox. A channel
// that is not OPEN is no path.
func TestRequestRemoteAccessOverChannel(t *testing.T) {
	coord := ibctest.NewCoordinator(t, 2)
	path := ibctest.NewPhrPath(coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2)))
	ibctest.SetupPhr(t, path)
	a, b := path.EndpointA, path.EndpointB
	hospitalOn(t, b.Chain)
	kb := ibctest.App(b.Chain).PhrKeeper
	patient := a.Chain.SenderAccount.GetAddress().String()

	res, err := b.Chain.SendMsgs(remoteRequestOn(b.Chain, b.ChannelID, patient))
	require.NoError(t, err)
	r, err := kb.GetRemoteRequest(b.Chain.GetContext(), 1)
	require.NoError(t, err)
	require.Equal(t, b.ClientID, r.ClientId)
	require.Equal(t, b.ChannelID, r.ChannelId)
	e, err := kb.Outbox.Get(b.Chain.GetContext(), r.OutboxId)
	require.NoError(t, err)
	require.Equal(t, types.OUTBOX_STATUS_IN_FLIGHT, e.Status)

	packet, err := ibctesting.ParseV1PacketFromEvents(res.Events)
	require.NoError(t, err)
	require.Equal(t, e.Sequence, packet.Sequence)
	d, err := types.DecodePacketData(packet.Data)
	require.NoError(t, err)
	require.Equal(t, e.SenderAuditHash, d.SenderAuditHash)
	require.Equal(t, r.RequesterKey, d.GetAccessRequest().RequesterKey)
	require.NoError(t, path.RelayPacket(packet))

	r, err = kb.GetRemoteRequest(b.Chain.GetContext(), 1)
	require.NoError(t, err)
	require.Equal(t, types.REMOTE_REQUEST_STATUS_REFUSED, r.Status)
	require.True(t, strings.HasPrefix(r.Error, "ABCI error: phr/"), r.Error)
	e, err = kb.Outbox.Get(b.Chain.GetContext(), r.OutboxId)
	require.NoError(t, err)
	require.Equal(t, types.OUTBOX_STATUS_ERROR_ACK, e.Status)

	// a second phr channel over a new admitted client, only initiated
	path2 := ibctest.NewPhrPath(a.Chain, b.Chain)
	path2.SetupClients()
	ibctest.AdmitPeers(t, path2)
	path2.CreateConnections()
	require.NoError(t, path2.EndpointB.ChanOpenInit())
	ch, ok := ibctest.App(b.Chain).IBCKeeper.ChannelKeeper.GetChannel(b.Chain.GetContext(), types.PortID, path2.EndpointB.ChannelID)
	require.True(t, ok)
	require.Equal(t, channeltypes.INIT, ch.State)
	_, err = b.Chain.SendMsgs(remoteRequestOn(b.Chain, path2.EndpointB.ChannelID, patient))
	ibctest.RequireRefused(t, err, types.ErrNoChannel)
}
