package cli_test

import (
	"context"
	"crypto/rand"
	"io"
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

	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/testutil/gatewaytest"
	"github.com/medexchain/medexchain/testutil/phrtest"
	"github.com/medexchain/medexchain/testutil/proxytest"
	"github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
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
	q    types.QueryClient
	dev  *gateway.Device
	gw   *gateway.Gateway
	node *gatewaytest.Node
	gq   types.QueryClient // the simulator's, under node's lock
	dir  string
}

func newStory(t *testing.T) *story {
	w := phrtest.NewWorld(t, 3)
	dir := t.TempDir()
	s := &story{World: w, q: newQueryClient(w.H), dir: dir}
	s.dev = &gateway.Device{ID: phrtest.DeviceID, ChainID: apptest.ChainID, Key: w.DeviceKey,
		Seq: gateway.SeqFileFor(filepath.Join(dir, "device.key")), Rand: rand.Reader}
	s.node, s.gq = gatewaytest.New(w.H, w.Gateway)
	s.gw = &gateway.Gateway{Address: w.Gateway.String(), Clock: s.node.Clock, Rand: rand.Reader, ResourceType: fhir.ResourceType}
	return s
}

// upload publishes through the app as the gateway account, like the
// simulator's forwarder does through a node, and returns the record id.
func (s *story) upload(msg *types.MsgUploadRecord) (uint64, error) {
	res := s.H.Deliver(s.Gateway, msg)
	if res.Code != 0 {
		return 0, &txError{res.Log}
	}
	var resp types.MsgUploadRecordResponse
	decodeResponse(s.T, s.H, res.Data, &resp)
	return resp.RecordId, nil
}

// simResult is one reading the simulator got stored on chain.
type simResult struct {
	Reading  *gateway.Reading
	RecordID uint64
	Bucket   int
	Epoch    uint64
}

// simulate runs `device simulate`'s logic (device, edge firewall, spool,
// forwarder) against the app and returns the stored readings in order.
func (s *story) simulate(cfg gateway.Config, out io.Writer) ([]simResult, error) {
	sp, err := gateway.OpenSpool(filepath.Join(s.dir, "spool"))
	require.NoError(s.T, err)
	res, err := gateway.Simulate(context.Background(), s.gq, s.node, sp, s.dev, s.gw, cfg, out)
	if res == nil {
		return nil, err
	}
	sent := map[uint64]*gateway.Receipt{}
	for _, r := range res.Sent {
		sent[r.Sequence] = r
	}
	var stored []simResult
	for i, rd := range res.Measured {
		if r := sent[rd.Sequence]; r != nil {
			stored = append(stored, simResult{Reading: rd, RecordID: r.RecordID, Bucket: res.Entries[i].Bucket, Epoch: res.Entries[i].Epoch})
		}
	}
	return stored, err
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
	results, err := s.simulate(gateway.Config{
		Count: 3, Kinds: []fhir.Kind{fhir.KindHeartRate, fhir.KindOxygenSaturation, fhir.KindBloodPressure},
		OutDir: filepath.Join(s.dir, "readings"),
	}, &out)
	require.NoError(t, err)
	require.Len(t, results, 3)
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "record ") {
			lines = append(lines, l)
		}
	}
	require.Len(t, lines, 3, out.String())
	require.Contains(t, lines[0], "record 1 device "+phrtest.DeviceID+" seq 1 heart-rate epoch 1 bucket 2048 B")

	var recordIDs []uint64
	for i, r := range results {
		recordIDs = append(recordIDs, r.RecordID)
		require.Equal(t, uint64(i+1), r.Reading.Sequence, "sequence numbers increase from the file")
		// the chain stores what the firewalls made of it: still two capsules, same bucket
		rec, err := s.q.Record(context.Background(), &types.QueryRecordRequest{Id: r.RecordID})
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
