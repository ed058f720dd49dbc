package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/x/phr/types"
)

// The hospital chain's messages when their preconditions flip inside the
// block: the authority removes the peer in an earlier tx of the block the
// hospital's tx (which passed CheckTx) lands in. The msg server refuses it
// with the registered error; the hospital pays its fee, its sequence moves,
// and nothing is queued.

// removePeerTx makes w's stranger the admission authority and returns its
// signed MsgRemovePeer of clientID.
func removePeerTx(t *testing.T, w *phrtest.World, clientID string) []byte {
	t.Helper()
	setParams(t, w.H, func(p *types.Params) { p.AdmissionAuthority = w.Stranger.String() })
	return signWithFee(t, w.H, w.Stranger, testFee, &types.MsgRemovePeer{Authority: w.Stranger.String(), ClientId: clientID})
}

func outboxSize(t *testing.T, w *phrtest.World) int {
	t.Helper()
	it, err := w.H.App.PhrKeeper.Outbox.Iterate(w.H.Ctx(), nil)
	require.NoError(t, err)
	keys, err := it.Keys()
	require.NoError(t, err)
	return len(keys)
}

func TestRemoteRequestAfterPeerRemovedInSameBlockPaysFee(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	clientID := w.AddPeerClient(peerChainID)
	remove := removePeerTx(t, w, clientID)
	late := signWithFee(t, w.H, w.Hospital, testFee, w.RemoteRequestMsg(clientID, 5))
	before, queued := payerOf(t, w.H, w.Hospital), outboxSize(t, w)
	seq, err := w.H.App.PhrKeeper.RemoteRequestSeq.Peek(w.H.Ctx())
	require.NoError(t, err)

	res := blockWithLateTx(t, w.H, remove, late)
	requireCode(t, types.ErrNoChannel, res.Codespace, res.Code, res.Log)
	requirePaid(t, w.H, w.Hospital, before)
	require.Equal(t, queued, outboxSize(t, w), "nothing queued")
	after, err := w.H.App.PhrKeeper.RemoteRequestSeq.Peek(w.H.Ctx())
	require.NoError(t, err)
	require.Equal(t, seq, after, "no request stored")
}

func TestFetchRemoteAfterPeerRemovedInSameBlockPaysFee(t *testing.T) {
	w, clientID, grantID, recordID := hospitalWithMirror(t)
	remove := removePeerTx(t, w, clientID)
	late := signWithFee(t, w.H, w.Hospital, testFee, fetchRemoteMsg(w, clientID, grantID, recordID))
	before, queued := payerOf(t, w.H, w.Hospital), outboxSize(t, w)

	res := blockWithLateTx(t, w.H, remove, late)
	requireCode(t, types.ErrPeerNotAdmitted, res.Codespace, res.Code, res.Log)
	requirePaid(t, w.H, w.Hospital, before)
	require.Equal(t, queued, outboxSize(t, w), "no Fetch queued")
}

// Admitting a peer twice, or removing it twice, is refused and changes
// nothing (a replayed admission cannot reset the peer's recorded channel).
func TestPeerAdmissionReplayed(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	clientID := w.AddPeerClient(peerChainID)
	setParams(t, w.H, func(p *types.Params) { p.AdmissionAuthority = w.Stranger.String() })
	admit := &types.MsgAdmitPeer{Authority: w.Stranger.String(), ClientId: clientID, ChainId: peerChainID, Name: "again"}
	deliverRefused(t, w.H, w.Stranger, types.ErrPeerExists, admit)

	w.MustDeliver(w.Stranger, &types.MsgRemovePeer{Authority: w.Stranger.String(), ClientId: clientID})
	deliverRefused(t, w.H, w.Stranger, types.ErrPeerNotAdmitted, &types.MsgRemovePeer{Authority: w.Stranger.String(), ClientId: clientID})
	// and a stranger to the authority may do neither
	deliverRefused(t, w.H, w.Hospital, types.ErrInvalidAuthority, &types.MsgAdmitPeer{Authority: w.Hospital.String(), ClientId: clientID, ChainId: peerChainID, Name: "x"})
}
