package ibctest

// The cross-chain story on two in-process chains under ibctesting: chain A
// holds the patient (one vault), the device behind its gateway and the
// proxies; chain B holds the hospital. Both chains admit each other's client
// as a peer, and a phr channel (IBC classic) or a client pair (IBC v2)
// joins them. Every step is a signed tx through the full ante chain; every
// packet is relayed with proofs.

import (
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
	channeltypes "github.com/cosmos/ibc-go/v11/modules/core/04-channel/types"
	channeltypesv2 "github.com/cosmos/ibc-go/v11/modules/core/04-channel/v2/types"
	hostv2 "github.com/cosmos/ibc-go/v11/modules/core/24-host/v2"
	ibctesting "github.com/cosmos/ibc-go/v11/testing"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	phrcli "github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Vault and DeviceID name the cross-chain world's vault and device.
const (
	Vault    = "vitals"
	DeviceID = "pulse-ox-1"
)

// XWorld is the cross-chain story's actors. A's SenderAccount and B's relay.
type XWorld struct {
	T     testing.TB
	Coord *ibctesting.Coordinator
	A, B  *ibctesting.TestChain
	Path  *ibctesting.Path
	V2    bool

	Patient, Gateway ibctesting.SenderAccount // on A
	Proxies          []ibctesting.SenderAccount
	Hospital         ibctesting.SenderAccount // on B

	VaultKey     *keys.VaultSecretKey
	RequesterKey *keys.RequesterSecretKey
	ProxyKeys    []*keys.ProxySecretKey
	DeviceKey    *keys.DeviceSecretKey
	sequence     uint64
}

// Packet is a packet one chain sent: IBC classic or IBC v2.
type Packet struct {
	V1 channeltypes.Packet
	V2 channeltypesv2.Packet
	// From is the endpoint of the sending chain.
	From *ibctesting.Endpoint
}

// Sequence is the packet's sequence.
func (p Packet) Sequence() uint64 {
	if p.From.ChannelID == "" {
		return p.V2.Sequence
	}
	return p.V1.Sequence
}

// NewXWorld builds both chains, the path (v2: client pair, else a phr
// channel) with both peers admitted, the members (proxies on A, the hospital
// on B with its requester key), and on A the patient's vault and device.
func NewXWorld(t testing.TB, v2 bool, proxies int) *XWorld {
	t.Helper()
	tt, ok := t.(*testing.T)
	require.True(t, ok, "ibctesting needs a *testing.T")
	coord := NewCoordinator(tt, 2)
	a, b := coord.GetChain(ibctesting.GetChainID(1)), coord.GetChain(ibctesting.GetChainID(2))
	require.Less(t, proxies+3, len(a.SenderAccounts))
	w := &XWorld{T: t, Coord: coord, A: a, B: b, V2: v2, Patient: a.SenderAccounts[1], Gateway: a.SenderAccounts[2],
		Proxies: a.SenderAccounts[3 : 3+proxies], Hospital: b.SenderAccounts[1]}
	var err error
	w.VaultKey, err = keys.GenerateVaultKey(1, rand.Reader)
	require.NoError(t, err)
	w.RequesterKey, err = keys.GenerateRequesterKey(rand.Reader)
	require.NoError(t, err)
	w.DeviceKey, err = keys.GenerateDeviceKey(rand.Reader)
	require.NoError(t, err)

	if v2 {
		w.Path = ibctesting.NewPath(a, b)
		SetupPhrV2(t, w.Path)
	} else {
		w.Path = NewPhrPath(a, b)
		SetupPhr(t, w.Path)
	}

	ka, kb := App(a).PhrKeeper, App(b).PhrKeeper
	require.NoError(t, kb.AdmitMember(b.GetContext(), kb.Authority(), Addr(w.Hospital), types.ROLE_HOSPITAL, w.RequesterKey.Public().Bytes()))
	for _, p := range w.Proxies {
		sk, err := keys.GenerateProxyKey(rand.Reader)
		require.NoError(t, err)
		w.ProxyKeys = append(w.ProxyKeys, sk)
		require.NoError(t, ka.AdmitMember(a.GetContext(), ka.Authority(), Addr(p), types.ROLE_PROXY, sk.Public().Bytes()))
	}
	coord.CommitBlock(a, b)
	w.MustDeliver(a, w.Patient, &types.MsgRegisterPatient{Patient: Addr(w.Patient).String(),
		Vaults: []types.VaultKey{{Name: Vault, PublicKey: w.VaultKey.Public().Bytes()}}})
	w.MustDeliver(a, w.Patient, &types.MsgRegisterDevice{Patient: Addr(w.Patient).String(), DeviceId: DeviceID, Vault: Vault,
		PublicKey: w.DeviceKey.Public().Bytes(), Gateway: Addr(w.Gateway).String()})
	return w
}

// Addr is an ibctesting account's address.
func Addr(s ibctesting.SenderAccount) sdk.AccAddress { return s.SenderAccount.GetAddress() }

// EndpointOf is the path's endpoint on chain c.
func (w *XWorld) EndpointOf(c *ibctesting.TestChain) *ibctesting.Endpoint {
	if c == w.A {
		return w.Path.EndpointA
	}
	return w.Path.EndpointB
}

// Deliver runs msgs signed by signer on chain c as one tx.
func (w *XWorld) Deliver(c *ibctesting.TestChain, signer ibctesting.SenderAccount, msgs ...sdk.Msg) (*abci.ExecTxResult, error) {
	w.T.Helper()
	return c.SendMsgsWithSender(signer, msgs...)
}

// MustDeliver is Deliver that fails the test unless the tx succeeds.
func (w *XWorld) MustDeliver(c *ibctesting.TestChain, signer ibctesting.SenderAccount, msgs ...sdk.Msg) *abci.ExecTxResult {
	w.T.Helper()
	res, err := w.Deliver(c, signer, msgs...)
	require.NoError(w.T, err)
	return res
}

// Decode reads the response of a one-message tx.
func Decode(t testing.TB, res *abci.ExecTxResult, resp proto.Message) {
	t.Helper()
	var md sdk.TxMsgData
	require.NoError(t, proto.Unmarshal(res.Data, &md))
	require.Len(t, md.MsgResponses, 1)
	require.NoError(t, proto.Unmarshal(md.MsgResponses[0].Value, resp))
}

// Sent is the packets chain c sent in the tx (or block) whose events these
// are, over the world's path.
func (w *XWorld) Sent(c *ibctesting.TestChain, events []abci.Event) []Packet {
	w.T.Helper()
	ep := w.EndpointOf(c)
	var out []Packet
	if w.V2 {
		pkts, err := ibctesting.ParseIBCV2Packets(channeltypesv2.EventTypeSendPacket, events)
		if err != nil {
			return nil
		}
		for _, p := range pkts {
			out = append(out, Packet{V2: p, From: ep})
		}
		return out
	}
	pkts, err := ibctesting.ParseIBCV1Packets(channeltypes.EventTypeSendPacket, events)
	if err != nil {
		return nil
	}
	for _, p := range pkts {
		out = append(out, Packet{V1: p, From: ep})
	}
	return out
}

// OneSent is the one packet chain c sent in these events.
func (w *XWorld) OneSent(c *ibctesting.TestChain, events []abci.Event) Packet {
	w.T.Helper()
	pkts := w.Sent(c, events)
	require.Len(w.T, pkts, 1, "packets sent by %s", c.ChainID)
	return pkts[0]
}

// Relayed is what relaying a packet produced: the receiver's tx and the
// ack it wrote, then the sender's ack tx.
type Relayed struct {
	Recv, AckTx *abci.ExecTxResult
	// Ack is the app ack: the IBC classic ack JSON, or the IBC v2 app ack.
	Ack []byte
}

// Recv has the counterparty of p's sender receive p (with a proof of its
// commitment); it returns the recv tx and the ack written.
func (w *XWorld) Recv(p Packet) (*abci.ExecTxResult, []byte) {
	w.T.Helper()
	to := p.From.Counterparty
	require.NoError(w.T, to.UpdateClient())
	if w.V2 {
		proof, height := p.From.QueryProof(hostv2.PacketCommitmentKey(p.V2.SourceClient, p.V2.Sequence))
		res, err := to.Chain.SendMsgs(channeltypesv2.NewMsgRecvPacket(p.V2, proof, height, to.Chain.SenderAccount.GetAddress().String()))
		require.NoError(w.T, err)
		var ack channeltypesv2.Acknowledgement
		if bz, err := ibctesting.ParseAckV2FromEvents(res.Events); err == nil {
			require.NoError(w.T, proto.Unmarshal(bz, &ack))
			require.Len(w.T, ack.AppAcknowledgements, 1)
			return res, ack.AppAcknowledgements[0]
		}
		return res, nil
	}
	res, err := to.RecvPacketWithResult(p.V1)
	require.NoError(w.T, err)
	ack, err := ibctesting.ParseAckFromEvents(res.Events)
	if err != nil {
		return res, nil
	}
	return res, ack
}

// Acknowledge delivers ack (as Recv returned it) to p's sender.
func (w *XWorld) Acknowledge(p Packet, ack []byte) *abci.ExecTxResult {
	w.T.Helper()
	require.NoError(w.T, p.From.UpdateClient())
	if w.V2 {
		proof, height := p.From.Counterparty.QueryProof(hostv2.PacketAcknowledgementKey(p.V2.DestinationClient, p.V2.Sequence))
		res, err := p.From.Chain.SendMsgs(channeltypesv2.NewMsgAcknowledgement(p.V2, channeltypesv2.NewAcknowledgement(ack),
			proof, height, p.From.Chain.SenderAccount.GetAddress().String()))
		require.NoError(w.T, err)
		return res
	}
	res, err := p.From.AcknowledgePacketWithResult(p.V1, ack)
	require.NoError(w.T, err)
	return res
}

// Relay receives p on the other chain and acknowledges it on the sender.
func (w *XWorld) Relay(p Packet) Relayed {
	w.T.Helper()
	recv, ack := w.Recv(p)
	require.NotEmpty(w.T, ack, "no ack written")
	return Relayed{Recv: recv, Ack: ack, AckTx: w.Acknowledge(p, ack)}
}

// Timeout lets the receiving chain pass p's timeout (its clock moves past
// it and it commits a block) and proves the timeout to the sender; it
// returns the sender's timeout tx.
func (w *XWorld) Timeout(p Packet) *abci.ExecTxResult {
	w.T.Helper()
	to := p.From.Counterparty
	var deadline time.Time
	if w.V2 {
		deadline = time.Unix(int64(p.V2.TimeoutTimestamp), 0)
	} else {
		deadline = time.Unix(0, int64(p.V1.TimeoutTimestamp))
	}
	if d := deadline.Sub(to.Chain.ProposedHeader.Time); d >= 0 {
		w.Coord.IncrementTimeBy(d + time.Second)
	}
	to.Chain.NextBlock()
	require.NoError(w.T, p.From.UpdateClient())
	if w.V2 {
		proof, height := to.QueryProof(hostv2.PacketReceiptKey(p.V2.DestinationClient, p.V2.Sequence))
		res, err := p.From.Chain.SendMsgs(channeltypesv2.NewMsgTimeout(p.V2, proof, height, p.From.Chain.SenderAccount.GetAddress().String()))
		require.NoError(w.T, err)
		return res
	}
	res, err := p.From.TimeoutPacketWithResult(p.V1)
	require.NoError(w.T, err)
	return res
}

// PathB is what the hospital names the peer by on B: the phr channel
// (IBC classic) or B's client of A (IBC v2).
func (w *XWorld) PathB() string {
	if w.V2 {
		return w.Path.EndpointB.ClientID
	}
	return w.Path.EndpointB.ChannelID
}

// ClientB is B's client of A, the key of B's mirror and inbox.
func (w *XWorld) ClientB() string { return w.Path.EndpointB.ClientID }

// Now is chain c's current block time.
func Now(c *ibctesting.TestChain) time.Time { return c.ProposedHeader.Time }

// Upload has the device encrypt payload and the gateway publish it on A; it
// returns the record id.
func (w *XWorld) Upload(payload []byte) uint64 {
	w.T.Helper()
	w.sequence++
	at := Now(w.A)
	meta := &envelope.Meta{ChainID: w.A.ChainID, Patient: Addr(w.Patient), Vault: Vault, Epoch: w.VaultKey.Epoch,
		DeviceID: DeviceID, Sequence: w.sequence, EffectiveTime: at}
	ct, err := pre.DeviceEncrypt(w.VaultKey.Public(), meta, payload, w.DeviceKey.Key, rand.Reader)
	require.NoError(w.T, err)
	rec, err := crf.EdgeFirewall(w.VaultKey.Public(), ct.Bytes(), crf.PublicMeta{
		DeviceID: DeviceID, Vault: Vault, Epoch: w.VaultKey.Epoch, Time: at, ResourceType: "Observation",
	}, rand.Reader)
	require.NoError(w.T, err)
	var resp types.MsgUploadRecordResponse
	Decode(w.T, w.MustDeliver(w.A, w.Gateway, &types.MsgUploadRecord{Gateway: Addr(w.Gateway).String(), DeviceId: DeviceID,
		Epoch: w.VaultKey.Epoch, Time: rec.Meta.Time, ResourceType: rec.Meta.ResourceType, Capsules: rec.CapsuleBytes(),
		Body: rec.Body}), &resp)
	return resp.RecordId
}

// RequestRemote has the hospital on B ask for the vault's records from a
// day ago to a day ahead; it returns the request id and the AccessRequest
// packet B sent in that tx.
func (w *XWorld) RequestRemote(maxRecords uint32) (uint64, Packet) {
	w.T.Helper()
	now := Now(w.B)
	res := w.MustDeliver(w.B, w.Hospital, &types.MsgRequestRemoteAccess{Hospital: Addr(w.Hospital).String(), ChannelId: w.PathB(),
		Patient: Addr(w.Patient).String(), Vault: Vault,
		Scope:   types.Scope{FromTime: now.Add(-24 * time.Hour), ToTime: now.Add(24 * time.Hour), MaxRecords: maxRecords},
		Purpose: "treatment", Expiry: now.Add(48 * time.Hour)})
	var resp types.MsgRequestRemoteAccessResponse
	Decode(w.T, res, &resp)
	return resp.RequestId, w.OneSent(w.B, res.Events)
}

// Committee is A's admitted proxies as A orders them, with their keys.
func (w *XWorld) Committee() []pre.ProxyRecipient {
	w.T.Helper()
	committee, err := App(w.A).PhrKeeper.Committee(w.A.GetContext())
	require.NoError(w.T, err)
	out, err := phrcli.Recipients(committee)
	require.NoError(w.T, err)
	return out
}

// GrantContext of A's grantID for the world's vault.
func (w *XWorld) GrantContext(grantID uint64) pre.GrantContext {
	return pre.GrantContext{ChainID: w.A.ChainID, GrantID: grantID, Vault: Vault, Epoch: w.VaultKey.Epoch}
}

// Grant has the patient on A grant grantID t of the committee (to the key
// B's request carried); it returns the tx (which sends the GrantDecision).
func (w *XWorld) Grant(grantID uint64, t int) *abci.ExecTxResult {
	w.T.Helper()
	g, err := pre.CreateGrant(w.VaultKey, w.GrantContext(grantID), w.RequesterKey.Public(), t, w.Committee(), rand.Reader)
	require.NoError(w.T, err)
	return w.MustDeliver(w.A, w.Patient, &types.MsgGrantAccess{Patient: Addr(w.Patient).String(), GrantId: grantID,
		KeyGrant: g.Bytes(), Expiry: Now(w.A).Add(24 * time.Hour)})
}

// FetchRemote has the hospital on B fetch records under A's grantID; it
// returns the tx result and error.
func (w *XWorld) FetchRemote(grantID uint64, recordIDs ...uint64) (*abci.ExecTxResult, error) {
	w.T.Helper()
	return w.Deliver(w.B, w.Hospital, &types.MsgFetchRemote{Hospital: Addr(w.Hospital).String(), ClientId: w.ClientB(),
		GrantId: grantID, RecordIds: recordIDs})
}

// AnswerMsg is proxy i's answers to A's tasks, computed like an honest
// proxy from A's grant and record.
func (w *XWorld) AnswerMsg(i int, taskIDs ...uint64) *types.MsgSubmitAnswers {
	w.T.Helper()
	ctx := w.A.GetContext()
	k := App(w.A).PhrKeeper
	proxy := Addr(w.Proxies[i])
	msg := &types.MsgSubmitAnswers{Proxy: proxy.String()}
	for _, id := range taskIDs {
		task, err := k.Tasks.Get(ctx, id)
		require.NoError(w.T, err)
		grant, err := k.GetGrant(ctx, task.GrantId)
		require.NoError(w.T, err)
		kg, err := pre.DecodeGrant(grant.KeyGrant)
		require.NoError(w.T, err)
		frag, err := pre.OpenFragment(w.ProxyKeys[i], w.A.ChainID, grant.Id, proxy, kg)
		require.NoError(w.T, err)
		rec, err := k.GetRecord(ctx, task.RecordId)
		require.NoError(w.T, err)
		E, err := pre.DecodeCapsuleEs(rec.Capsules)
		require.NoError(w.T, err)
		ans, err := frag.Answer(pre.AnswerContext{ChainID: w.A.ChainID, GrantID: grant.Id, TaskID: id,
			RecordID: task.RecordId, Capsules: uint32(len(E)), Proxy: proxy}, E, rand.Reader)
		require.NoError(w.T, err)
		msg.Answers = append(msg.Answers, types.AnswerSubmission{TaskId: id, Answer: ans.Bytes()})
	}
	return msg
}

// Answer has proxies 0..t-1 answer taskIDs on A; it returns the last
// proxy's tx (the one that completes the shares and sends them).
func (w *XWorld) Answer(t int, taskIDs ...uint64) *abci.ExecTxResult {
	w.T.Helper()
	var res *abci.ExecTxResult
	for i := range t {
		res = w.MustDeliver(w.A, w.Proxies[i], w.AnswerMsg(i, taskIDs...))
	}
	return res
}

// DecryptOnB is the hospital decrypting a record from B's state alone: the
// mirrored grant (vault key, key grant, A's chain id) and the inbox share
// (rerandomized first-level capsules, body, the device's key).
func (w *XWorld) DecryptOnB(grantID, recordID uint64) (*envelope.Envelope, error) {
	w.T.Helper()
	ctx := w.B.GetContext()
	k := App(w.B).PhrKeeper
	rg, err := k.RemoteGrants.Get(ctx, collections.Join(w.ClientB(), grantID))
	require.NoError(w.T, err)
	in, err := k.Inbox.Get(ctx, collections.Join3(w.ClientB(), grantID, recordID))
	require.NoError(w.T, err)
	if in.Outcome != types.SHARE_OUTCOME_DELIVERED {
		return nil, fmt.Errorf("inbox share of record %d is %s", recordID, in.Outcome)
	}
	vpk, err := keys.DecodeVaultPublicKey(rg.VaultKey)
	require.NoError(w.T, err)
	kg, err := pre.DecodeGrant(rg.KeyGrant)
	require.NoError(w.T, err)
	gk, err := pre.DeriveGrantKey(w.RequesterKey, pre.GrantContext{ChainID: rg.ChainId, GrantID: rg.GrantId, Vault: rg.Vault,
		Epoch: rg.Epoch}, vpk, kg)
	if err != nil {
		return nil, err
	}
	fls := make([]*pre.FirstLevel, len(in.FirstLevel))
	for i, b := range in.FirstLevel {
		if fls[i], err = pre.DecodeFirstLevel(b); err != nil {
			return nil, err
		}
	}
	return gk.Open(fls, in.Body, in.Meta.DeviceKey)
}

// AuditLog is chain c's whole audit log, checked link by link.
func AuditLog(t testing.TB, c *ibctesting.TestChain) []audittypes.Entry {
	t.Helper()
	ctx := c.GetContext()
	var out []audittypes.Entry
	it, err := App(c).AuditKeeper.Entries.Iterate(ctx, nil)
	require.NoError(t, err)
	defer it.Close()
	for ; it.Valid(); it.Next() {
		e, err := it.Value()
		require.NoError(t, err)
		out = append(out, e)
	}
	require.NoError(t, audittypes.VerifyChain(nil, out))
	return out
}
