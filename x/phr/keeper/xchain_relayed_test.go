package keeper_test

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	"github.com/medexchain/medexchain/testutil/ibctest"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// patientChain is chain A of a relayed test: a patient with one vault and
// device behind a gateway, and three admitted proxies.
type patientChain struct {
	chain   *ibctesting.TestChain
	patient ibctesting.SenderAccount
	gateway ibctesting.SenderAccount
	proxies []ibctesting.SenderAccount
	proxySK []*keys.ProxySecretKey
	vaultSK *keys.VaultSecretKey
	device  *keys.DeviceSecretKey
}

func newPatientChain(t *testing.T, chain *ibctesting.TestChain) *patientChain {
	t.Helper()
	pc := &patientChain{chain: chain, patient: chain.SenderAccounts[1], gateway: chain.SenderAccounts[2]}
	k := ibctest.App(chain).PhrKeeper
	for _, acc := range chain.SenderAccounts[3:6] {
		sk := proxyKey(t)
		require.NoError(t, k.AdmitMember(chain.GetContext(), k.Authority(), acc.SenderAccount.GetAddress(), types.ROLE_PROXY, sk.Public().Bytes()))
		pc.proxies, pc.proxySK = append(pc.proxies, acc), append(pc.proxySK, sk)
	}
	chain.NextBlock()
	var err error
	pc.vaultSK, err = keys.GenerateVaultKey(1, rand.Reader)
	require.NoError(t, err)
	pc.device, err = keys.GenerateDeviceKey(rand.Reader)
	require.NoError(t, err)
	p := pc.addr(pc.patient)
	pc.send(t, pc.patient, &types.MsgRegisterPatient{Patient: p, Vaults: []types.VaultKey{{Name: "vitals", PublicKey: pc.vaultSK.Public().Bytes()}}})
	pc.send(t, pc.patient, &types.MsgRegisterDevice{Patient: p, DeviceId: "pulse-ox-1", Vault: "vitals",
		PublicKey: pc.device.Public().Bytes(), Gateway: pc.addr(pc.gateway)})
	return pc
}

func (pc *patientChain) addr(a ibctesting.SenderAccount) string {
	return a.SenderAccount.GetAddress().String()
}

func (pc *patientChain) send(t *testing.T, from ibctesting.SenderAccount, msg sdk.Msg) *abci.ExecTxResult {
	t.Helper()
	res, err := pc.chain.SendMsgsWithSender(from, msg)
	require.NoError(t, err)
	return res
}

// upload is the device and its gateway: one record of payload, now.
func (pc *patientChain) upload(t *testing.T, payload []byte) {
	t.Helper()
	at := pc.chain.GetContext().BlockTime()
	meta := &envelope.Meta{ChainID: pc.chain.ChainID, Patient: pc.patient.SenderAccount.GetAddress(), Vault: "vitals", Epoch: 1,
		DeviceID: "pulse-ox-1", Sequence: 1, EffectiveTime: at}
	ct, err := pre.DeviceEncrypt(pc.vaultSK.Public(), meta, payload, pc.device.Key, rand.Reader)
	require.NoError(t, err)
	rec, err := crf.EdgeFirewall(pc.vaultSK.Public(), ct.Bytes(), crf.PublicMeta{DeviceID: "pulse-ox-1", Vault: "vitals", Epoch: 1,
		Time: at, ResourceType: "Observation"}, rand.Reader)
	require.NoError(t, err)
	pc.send(t, pc.gateway, &types.MsgUploadRecord{Gateway: pc.addr(pc.gateway), DeviceId: "pulse-ox-1", Epoch: 1,
		Time: rec.Meta.Time, ResourceType: rec.Meta.ResourceType, Capsules: rec.CapsuleBytes(), Body: rec.Body})
}

// grant is the patient's 2-of-3 grant of request grantID to keyB.
func (pc *patientChain) grant(t *testing.T, grantID uint64, keyB *keys.RequesterPublicKey) *abci.ExecTxResult {
	t.Helper()
	recipients := make([]pre.ProxyRecipient, len(pc.proxies))
	committee, err := ibctest.App(pc.chain).PhrKeeper.Committee(pc.chain.GetContext())
	require.NoError(t, err)
	for i, m := range committee {
		pk, err := keys.DecodeProxyPublicKey(m.PublicKey)
		require.NoError(t, err)
		recipients[i] = pre.ProxyRecipient{Address: sdk.MustAccAddressFromBech32(m.Address), Key: pk}
	}
	kg, err := pre.CreateGrant(pc.vaultSK, pre.GrantContext{ChainID: pc.chain.ChainID, GrantID: grantID, Vault: "vitals", Epoch: 1},
		keyB, 2, recipients, rand.Reader)
	require.NoError(t, err)
	return pc.send(t, pc.patient, &types.MsgGrantAccess{Patient: pc.addr(pc.patient), GrantId: grantID, KeyGrant: kg.Bytes(),
		Expiry: pc.chain.GetContext().BlockTime().Add(24 * time.Hour)})
}

// answer is proxy i's honest answers to tasks.
func (pc *patientChain) answer(t *testing.T, i int, taskIDs []uint64) *abci.ExecTxResult {
	t.Helper()
	k := ibctest.App(pc.chain).PhrKeeper
	ctx := pc.chain.GetContext()
	proxy := pc.proxies[i].SenderAccount.GetAddress()
	msg := &types.MsgSubmitAnswers{Proxy: proxy.String()}
	for _, id := range taskIDs {
		task, err := k.Tasks.Get(ctx, id)
		require.NoError(t, err)
		g, err := k.GetGrant(ctx, task.GrantId)
		require.NoError(t, err)
		kg, err := pre.DecodeGrant(g.KeyGrant)
		require.NoError(t, err)
		frag, err := pre.OpenFragment(pc.proxySK[i], pc.chain.ChainID, g.Id, proxy, kg)
		require.NoError(t, err)
		rec, err := k.GetRecord(ctx, task.RecordId)
		require.NoError(t, err)
		capsule, err := pre.DecodeCapsule(rec.Capsules[task.CapsuleIndex])
		require.NoError(t, err)
		ans, err := frag.Answer(pre.AnswerContext{ChainID: pc.chain.ChainID, GrantID: g.Id, TaskID: id, RecordID: task.RecordId,
			CapsuleIndex: task.CapsuleIndex, Proxy: proxy}, capsule.E, rand.Reader)
		require.NoError(t, err)
		msg.Answers = append(msg.Answers, types.AnswerSubmission{TaskId: id, Answer: ans.Bytes()})
	}
	return pc.send(t, pc.proxies[i], msg)
}

// relayFrom relays the one phr packet res emitted.
func relayFrom(t *testing.T, path *ibctesting.Path, res *abci.ExecTxResult) channeltypes.Packet {
	t.Helper()
	packet, err := ibctesting.ParseV1PacketFromEvents(res.Events)
	require.NoError(t, err)
	require.NoError(t, path.RelayPacket(packet))
	return packet
}

// The cross-chain story over a real phr channel between two chains, every
// packet relayed by ibctesting (light clients, proofs, acks): the hospital
// on B requests, A opens the remote grant with B's key, the patient grants
// and B mirrors it, B fetches and A opens tasks, the proxies answer on A and
// the share lands in B's inbox, where the hospital decrypts it from B's
// state alone. Both outboxes end ACKED, each holding the other side's
// audit entry hash.
func TestPhrStoryRelayed(t *testing.T) {
	coord := ibctest.NewCoordinator(t, 2)
	path := ibctest.NewPhrPath(coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2)))
	ibctest.SetupPhr(t, path)
	a, b := path.EndpointA, path.EndpointB
	ka, kb := ibctest.App(a.Chain).PhrKeeper, ibctest.App(b.Chain).PhrKeeper
	pc := newPatientChain(t, a.Chain)
	pc.upload(t, testPayload)
	keyB := hospitalOn(t, b.Chain)

	res, err := b.Chain.SendMsgs(remoteRequestOn(b.Chain, b.ChannelID, pc.addr(pc.patient)))
	require.NoError(t, err)
	relayFrom(t, path, res)
	r, err := kb.GetRemoteRequest(b.Chain.GetContext(), 1)
	require.NoError(t, err)
	require.Equal(t, types.REMOTE_REQUEST_STATUS_ACCEPTED, r.Status, r.Error)
	g, err := ka.GetGrant(a.Chain.GetContext(), r.GrantId)
	require.NoError(t, err)
	require.Equal(t, "ibc:"+a.ClientID+"/"+a.ChannelID+"/"+b.Chain.SenderAccount.GetAddress().String(), g.Requester)
	require.Equal(t, keyB.Public().Bytes(), g.RequesterKey)

	relayFrom(t, path, pc.grant(t, g.Id, keyB.Public()))
	mirror, err := kb.GetRemoteGrant(b.Chain.GetContext(), b.ClientID, g.Id)
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_GRANTED, mirror.Status)
	require.Equal(t, a.Chain.ChainID, mirror.ChainId)

	res, err = b.Chain.SendMsgs(&types.MsgFetchRemote{Hospital: b.Chain.SenderAccount.GetAddress().String(), ClientId: b.ClientID,
		GrantId: g.Id, RecordIds: []uint64{1}})
	require.NoError(t, err)
	relayFrom(t, path, res)
	tasks, err := ka.Tasks.Iterate(a.Chain.GetContext(), nil)
	require.NoError(t, err)
	taskIDs, err := tasks.Keys()
	require.NoError(t, err)
	require.Len(t, taskIDs, 2)

	pc.answer(t, 0, taskIDs)
	relayFrom(t, path, pc.answer(t, 1, taskIDs))
	share, err := kb.Inbox.Get(b.Chain.GetContext(), collections.Join3(b.ClientID, g.Id, uint64(1)))
	require.NoError(t, err)
	require.Equal(t, types.SHARE_OUTCOME_DELIVERED, share.Outcome)

	// the hospital on B, from B's state and its key b alone
	kg, err := pre.DecodeGrant(mirror.KeyGrant)
	require.NoError(t, err)
	vpk, err := keys.DecodeVaultPublicKey(mirror.VaultKey)
	require.NoError(t, err)
	gk, err := pre.DeriveGrantKey(keyB, pre.GrantContext{ChainID: mirror.ChainId, GrantID: mirror.GrantId, Vault: mirror.Vault,
		Epoch: mirror.Epoch}, vpk, kg)
	require.NoError(t, err)
	fls := make([]*pre.FirstLevel, len(share.FirstLevel))
	for i, bz := range share.FirstLevel {
		fls[i], err = pre.DecodeFirstLevel(bz)
		require.NoError(t, err)
	}
	env, err := gk.Open(fls, share.Body, share.Meta.DeviceKey)
	require.NoError(t, err)
	require.Equal(t, testPayload, env.Payload)

	for _, side := range []struct {
		name        string
		chain, peer *ibctesting.TestChain
		kinds       []types.PacketKind
		recv        []string
	}{
		{"A", a.Chain, b.Chain, []types.PacketKind{types.PACKET_KIND_GRANT_DECISION, types.PACKET_KIND_SHARE},
			[]string{types.ActionRecvGrantDecision, types.ActionRecvShare}},
		{"B", b.Chain, a.Chain, []types.PacketKind{types.PACKET_KIND_ACCESS_REQUEST, types.PACKET_KIND_FETCH},
			[]string{types.ActionRecvAccessRequest, types.ActionRecvFetch}},
	} {
		it, err := ibctest.App(side.chain).PhrKeeper.Outbox.Iterate(side.chain.GetContext(), nil)
		require.NoError(t, err)
		entries, err := it.Values()
		require.NoError(t, err)
		require.Len(t, entries, len(side.kinds), side.name)
		for i, e := range entries {
			require.Equal(t, side.kinds[i], e.Kind, side.name)
			require.Equal(t, types.OUTBOX_STATUS_ACKED, e.Status, "%s entry %d: %s", side.name, e.Id, e.Error)
			// the peer's receive entry is the one the ack named, and it names this send
			recv := auditByHash(t, side.peer, e.ReceiverAuditHash)
			require.Equal(t, side.recv[i], recv.Action, side.name)
			require.Equal(t, e.SenderAuditHash, recv.Counterparty.EntryHash, side.name)
		}
	}
}

// auditByHash is chain's audit entry with hash.
func auditByHash(t *testing.T, chain *ibctesting.TestChain, hash []byte) audittypes.Entry {
	t.Helper()
	it, err := ibctest.App(chain).AuditKeeper.Entries.Iterate(chain.GetContext(), nil)
	require.NoError(t, err)
	entries, err := it.Values()
	require.NoError(t, err)
	for _, e := range entries {
		if bytes.Equal(e.Hash, hash) {
			return e
		}
	}
	t.Fatalf("no audit entry %x on %s", hash, chain.ChainID)
	return audittypes.Entry{}
}
