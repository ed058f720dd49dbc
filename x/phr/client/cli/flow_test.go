package cli_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	gogogrpc "github.com/cosmos/gogoproto/grpc"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/testutil/proxytest"
	"github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// harnessConn serves the phr Query service from the harness's committed
// state, as a node's gRPC endpoint would: the CLI functions under test take
// the same types.QueryClient they get from a client.Context.
type harnessConn struct {
	h      *apptest.Harness
	helper *baseapp.QueryServiceTestHelper
}

func newQueryClient(h *apptest.Harness) types.QueryClient {
	helper := baseapp.NewQueryServerTestHelper(h.Ctx(), h.App.InterfaceRegistry())
	types.RegisterQueryServer(helper, keeper.NewQueryServerImpl(h.App.PhrKeeper))
	return types.NewQueryClient(harnessConn{h: h, helper: helper})
}

func (c harnessConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	c.helper.Ctx = c.h.Ctx() // latest committed block
	return c.helper.Invoke(ctx, method, args, reply, opts...)
}

func (c harnessConn) NewStream(ctx context.Context, d *grpc.StreamDesc, m string, o ...grpc.CallOption) (grpc.ClientStream, error) {
	return c.helper.NewStream(ctx, d, m, o...)
}

var _ gogogrpc.ClientConn = harnessConn{}

// story is the world plus the CLI's actors: the simulator's device and
// gateway, and a query client over the chain.
type story struct {
	*phrtest.World
	q   types.QueryClient
	dev *cli.SimDevice
	gw  *cli.SimGateway
	dir string
}

func newStory(t *testing.T) *story {
	w := phrtest.NewWorld(t, 3)
	dir := t.TempDir()
	s := &story{World: w, q: newQueryClient(w.H), dir: dir}
	s.dev = &cli.SimDevice{ID: phrtest.DeviceID, ChainID: apptest.ChainID, Key: w.DeviceKey,
		Seq: cli.SeqFileFor(filepath.Join(dir, "device.key")), Rand: rand.Reader}
	s.gw = &cli.SimGateway{Address: w.Gateway.String(), Clock: w.Now, Rand: rand.Reader, ResourceType: fhir.ResourceType}
	return s
}

// upload publishes through the app as the gateway account, like the
// simulator's broadcast does through a node.
func (s *story) upload(msg *types.MsgUploadRecord) (*cli.Uploaded, error) {
	res := s.H.Deliver(s.Gateway, msg)
	if res.Code != 0 {
		return nil, &txError{res.Log}
	}
	var resp types.MsgUploadRecordResponse
	decodeResponse(s.T, s.H, res.Data, &resp)
	return &cli.Uploaded{RecordID: resp.RecordId, Height: s.H.App.LastBlockHeight()}, nil
}

type txError struct{ log string }

func (e *txError) Error() string { return e.log }

// grant is `phr grant`'s logic followed by the broadcast.
func (s *story) grant(grantID uint64, t int) {
	s.T.Helper()
	msg, err := cli.BuildGrant(context.Background(), s.q, cli.GrantParams{
		ChainID: apptest.ChainID, Patient: s.Patient.String(), GrantID: grantID, Threshold: t,
	}, s.VaultKey, rand.Reader)
	require.NoError(s.T, err)
	s.MustDeliver(s.Patient, msg)
}

// answer runs the real proxy workers of the given proxies for one cycle
// each (internal/proxy: fragment check, E from state, DLEQ answers).
func (s *story) answer(proxies ...int) {
	s.T.Helper()
	for _, i := range proxies {
		wk, err := proxy.NewWorker(proxy.Config{
			ChainID: apptest.ChainID, Address: s.Proxies[i].Address, Key: s.ProxyKeys[i],
			Store: keystore.NewMemStore(), Query: proxytest.Querier(s.H),
			Tx: &proxytest.Submitter{H: s.H, Account: s.Proxies[i]}, Logger: log.NewNopLogger(),
		})
		require.NoError(s.T, err)
		rep, err := wk.Step(context.Background())
		require.NoError(s.T, err)
		require.NotEmpty(s.T, rep.Answered, "proxy %d answered nothing", i)
	}
}

func (s *story) decrypt(grantID, recordID uint64, sk *keys.RequesterSecretKey) (*cli.Decrypted, error) {
	return cli.DecryptRecord(context.Background(), s.q, apptest.ChainID, grantID, recordID, sk)
}

// TestCLIFlow is the local story driven by the CLI's own functions against
// the app: the simulator uploads three vital signs through the edge
// firewall and the chain firewall; the hospital requests; `phr grant` builds
// the fragments from the committee it reads; the hospital fetches; two real
// proxy workers answer; `phr decrypt` opens each record from what the chain
// returns and yields exactly the FHIR the device produced.
func TestCLIFlow(t *testing.T) {
	s := newStory(t)
	var out strings.Builder
	results, err := cli.Simulate(context.Background(), s.q, s.dev, s.gw, s.upload, cli.SimConfig{
		Count: 3, Kinds: []fhir.Kind{fhir.KindHeartRate, fhir.KindOxygenSaturation, fhir.KindBloodPressure},
		OutDir: filepath.Join(s.dir, "readings"),
	}, &out)
	require.NoError(t, err)
	require.Len(t, results, 3)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 3, out.String())
	require.Contains(t, lines[0], "record 1 device "+phrtest.DeviceID+" seq 1 heart-rate epoch 1 bucket 2048 B")

	var recordIDs []uint64
	for i, r := range results {
		recordIDs = append(recordIDs, r.Uploaded.RecordID)
		require.Equal(t, uint64(i+1), r.Reading.Sequence, "sequence numbers increase from the file")
		// the chain stores what the firewalls made of it: still two capsules, same bucket
		rec, err := s.q.Record(context.Background(), &types.QueryRecordRequest{Id: r.Uploaded.RecordID})
		require.NoError(t, err)
		require.Len(t, rec.Record.Capsules, 2)
		require.Len(t, rec.Record.Body, r.Bucket)
		require.Equal(t, fhir.ResourceType, rec.Record.ResourceType)
		require.Equal(t, rec.Record.Time, rec.Record.Time.Truncate(time.Minute), "gateway time is whole minutes")
	}
	last, err := s.dev.Seq.Last()
	require.NoError(t, err)
	require.Equal(t, uint64(3), last, "the sequence file keeps the last number")

	grantID := s.Request(10)
	s.grant(grantID, 2)
	g, err := s.q.Grant(context.Background(), &types.QueryGrantRequest{Id: grantID})
	require.NoError(t, err)
	require.Equal(t, types.GRANT_STATUS_GRANTED, g.Grant.Status)
	require.Len(t, g.Grant.Proxies, 3, "the committee is every admitted proxy")

	s.Fetch(grantID, recordIDs...)
	_, err = s.decrypt(grantID, recordIDs[0], s.RequesterKey)
	require.ErrorContains(t, err, "not complete", "no answers yet")

	s.answer(0, 2) // 2 of 3
	seen := filepath.Join(s.dir, "seen.json")
	wantKinds := []fhir.Kind{fhir.KindHeartRate, fhir.KindOxygenSaturation, fhir.KindBloodPressure}
	for i, id := range recordIDs {
		d, err := s.decrypt(grantID, id, s.RequesterKey)
		require.NoError(t, err, "record %d", id)
		require.Equal(t, results[i].Reading.FHIR, d.Payload, "the hospital reads exactly what the device produced")
		onDisk, err := os.ReadFile(filepath.Join(s.dir, "readings", "record-"+itoa(id)+".json"))
		require.NoError(t, err)
		require.Equal(t, onDisk, d.Payload, "--out-dir holds the same FHIR")
		_, kind, err := fhir.Parse(d.Payload)
		require.NoError(t, err)
		require.Equal(t, wantKinds[i], kind)
		require.Equal(t, results[i].Reading.Sequence, d.Meta.Sequence)
		require.Equal(t, results[i].Reading.Effective, d.Meta.EffectiveTime)
		require.Equal(t, s.Patient.Address.Bytes(), d.Meta.Patient)
		require.NoError(t, cli.MarkSeen(seen, apptest.ChainID, d.Meta.DeviceID, d.Meta.Sequence, id))
		require.NoError(t, cli.MarkSeen(seen, apptest.ChainID, d.Meta.DeviceID, d.Meta.Sequence, id), "decrypting a record again is no replay")
	}

	// Another hospital's key file cannot use this grant.
	other, err := keys.GenerateRequesterKey(rand.Reader)
	require.NoError(t, err)
	_, err = s.decrypt(grantID, recordIDs[0], other)
	require.ErrorContains(t, err, "another requester key")

	// A record outside the grant: none, so an unknown id.
	_, err = s.decrypt(grantID, 99, s.RequesterKey)
	require.ErrorContains(t, err, "record 99")
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

func decodeResponse(t testing.TB, h *apptest.Harness, data []byte, out interface{ Unmarshal([]byte) error }) {
	t.Helper()
	var md sdk.TxMsgData
	require.NoError(t, h.App.AppCodec().Unmarshal(data, &md))
	require.Len(t, md.MsgResponses, 1)
	require.NoError(t, out.Unmarshal(md.MsgResponses[0].Value))
}
