package proxy_test

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/testutil/proxytest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Key epochs on the real app: grant 1 is made under proxy 0's first HPKE
// key, proxy 0 rotates its key (MsgUpdateMemberKey), grant 2 is made under
// the new key. The daemon of proxy 0, running with the new key and the
// earlier one, answers the tasks of both grants; the hospital decrypts both.
// With the new key alone, grant 1's fragment is refused.
func TestWorkerAnswersGrantsAcrossKeyRotation(t *testing.T) {
	w := phrtest.NewWorld(t, 2)
	payload := []byte(`{"resourceType":"Observation","status":"final","code":{"text":"heart rate"}}`)
	record := w.Upload(payload, w.Now())

	before := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(before, 2))

	rotated, err := keys.GenerateProxyKey(rand.Reader)
	require.NoError(t, err)
	w.MustDeliver(w.Proxies[0], &types.MsgUpdateMemberKey{Member: w.Proxies[0].String(), Role: types.ROLE_PROXY, PublicKey: rotated.Public().Bytes()})
	after := w.Request(5)
	w.MustDeliver(w.Patient, w.GrantMsg(after, 2))

	tasks := append(w.Fetch(before, record), w.Fetch(after, record)...)
	q := proxytest.Querier(w.H)
	worker := func(i int, tx proxy.Submitter, key *keys.ProxySecretKey, earlier ...*keys.ProxySecretKey) *proxy.Worker {
		if tx == nil {
			tx = &proxytest.Submitter{H: w.H, Account: w.Proxies[i]}
		}
		wk, err := proxy.NewWorker(proxy.Config{
			ChainID: apptest.ChainID, Address: w.Proxies[i].Address, Key: key, EarlierKeys: earlier,
			Store: keystore.NewMemStore(), Query: q, Tx: tx,
		})
		require.NoError(t, err)
		return wk
	}
	ctx := context.Background()

	// The new key alone: grant 1's fragment does not open (its answers to
	// grant 2 are not submitted, to leave them to the next worker).
	rep, err := worker(0, discard{}, rotated).Step(ctx)
	require.NoError(t, err)
	require.Equal(t, []uint64{before}, rep.Refused)

	rep, err = worker(0, nil, rotated, w.ProxyKeys[0]).Step(ctx)
	require.NoError(t, err)
	require.Empty(t, rep.Refused)
	require.True(t, slices.Equal(tasks, rep.Answered), "answered %v of %v", rep.Answered, tasks)

	rep, err = worker(1, nil, w.ProxyKeys[1]).Step(ctx)
	require.NoError(t, err)
	require.Equal(t, tasks, rep.Completed)
	for _, g := range []uint64{before, after} {
		env, err := w.Decrypt(g, record)
		require.NoError(t, err, "grant %d", g)
		require.Equal(t, payload, env.Payload)
	}
}

// discard refuses every submission.
type discard struct{}

func (discard) Submit(context.Context, *types.MsgSubmitAnswers) (*proxy.SubmitResult, error) {
	return nil, errors.New("not submitted")
}

// The daemon's start check: the on-chain key may be the current key (after
// a rotation, with the old one kept as an earlier key) or an earlier one (a
// new key started before its rotation tx); none of them is refused.
func TestAdmittedKey(t *testing.T) {
	old, err := keys.GenerateProxyKey(rand.Reader)
	require.NoError(t, err)
	cur, err := keys.GenerateProxyKey(rand.Reader)
	require.NoError(t, err)
	other, err := keys.GenerateProxyKey(rand.Reader)
	require.NoError(t, err)
	ring := []*keys.ProxySecretKey{cur, old}
	require.Equal(t, 0, proxy.AdmittedKey(cur.Public().Bytes(), ring))
	require.Equal(t, 1, proxy.AdmittedKey(old.Public().Bytes(), ring))
	require.Equal(t, -1, proxy.AdmittedKey(other.Public().Bytes(), ring))
}
