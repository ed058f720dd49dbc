package gateway_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/x/phr/types"
)

const fakeGateway = "gw1"

// spoolOf returns a spool holding n readings of device "dev", sequence
// numbers 1..n, whose bodies start with the byte of their number.
func spoolOf(t *testing.T, n int, first byte) (*gateway.Spool, [][]byte) {
	t.Helper()
	sp, err := gateway.OpenSpool(t.TempDir())
	require.NoError(t, err)
	var bodies [][]byte
	for i := 1; i <= n; i++ {
		body := bytes.Repeat([]byte{first + byte(i)}, 64)
		bodies = append(bodies, body)
		msg := &types.MsgUploadRecord{Gateway: fakeGateway, DeviceId: "dev", Body: body}
		bz, err := msg.Marshal()
		require.NoError(t, err)
		require.NoError(t, sp.Add(&gateway.Entry{DeviceID: "dev", Sequence: uint64(i), Patient: fakeGateway, Upload: bz, Bucket: len(body)}))
	}
	return sp, bodies
}

func forwarder(sp *gateway.Spool, c *fakeChain, out *strings.Builder) *gateway.Forwarder {
	return &gateway.Forwarder{
		Spool: sp, Node: c, Query: fakeQuery{c: c}, Out: out,
		InclusionTimeout: time.Millisecond, Poll: time.Millisecond,
		MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond,
	}
}

// requireOnChainOnce: the chain holds exactly bodies, in order, once each,
// and the spool holds one receipt per body naming its record.
func requireOnChainOnce(t *testing.T, c *fakeChain, sp *gateway.Spool, bodies [][]byte, msgAndArgs ...any) {
	t.Helper()
	recs := c.recordsCopy()
	require.Len(t, recs, len(bodies), msgAndArgs...)
	for i, r := range recs {
		require.Equal(t, bodies[i], r.Body, msgAndArgs...)
	}
	pending, err := sp.Pending()
	require.NoError(t, err)
	require.Empty(t, pending, msgAndArgs...)
	receipts, err := sp.Receipts()
	require.NoError(t, err)
	require.Len(t, receipts, len(bodies), msgAndArgs...)
	for i, r := range receipts {
		require.Equal(t, uint64(i+1), r.Sequence, msgAndArgs...)
		require.Equal(t, recs[i].Id, r.RecordID, msgAndArgs...)
	}
}

// TestForwardWaitsOutAnOutage: while the node refuses connections the
// readings stay spooled and the forwarder retries with backoff, saying so;
// then they are uploaded in order, once each.
func TestForwardWaitsOutAnOutage(t *testing.T) {
	sp, bodies := spoolOf(t, 4, 0)
	c := newFakeChain()
	c.downCalls = 7
	var out strings.Builder
	require.NoError(t, forwarder(sp, c, &out).Run(context.Background(), nil, nil, 0))
	requireOnChainOnce(t, c, sp, bodies)
	require.Contains(t, out.String(), "waiting: ")
	require.Contains(t, out.String(), "connection refused")
	require.Contains(t, out.String(), "4 readings spooled")
}

// TestForwardGivesUp: a node that never answers: after giveUp the run stops
// with the readings still spooled.
func TestForwardGivesUp(t *testing.T) {
	sp, _ := spoolOf(t, 2, 0)
	c := newFakeChain()
	c.down = true
	var out strings.Builder
	err := forwarder(sp, c, &out).Run(context.Background(), nil, nil, 20*time.Millisecond)
	require.ErrorContains(t, err, "2 readings remain in "+sp.Dir)
	pending, perr := sp.Pending()
	require.NoError(t, perr)
	require.Len(t, pending, 2)
}

// TestForwardCrashAtEveryStep kills the gateway at every node call of a run
// (the call fails and the process is gone: only the spool remains), in
// four variants: the node also crashes then (mempool and cache lost) or
// not, and the node indexes its blocks or loses the index (a kill -9
// between commit and indexing). A new forwarder on the same spool then
// finishes. Whatever the crash point, every reading is on chain exactly
// once, in order.
func TestForwardCrashAtEveryStep(t *testing.T) {
	const n = 3
	for _, variant := range []struct {
		name                 string
		nodeCrash, loseIndex bool
	}{{"gateway only", false, false}, {"gateway and node", true, false}, {"index lost", false, true}, {"node and index lost", true, true}} {
		t.Run(variant.name, func(t *testing.T) {
			// the calls of an undisturbed run bound the crash points
			sp, _ := spoolOf(t, n, 0)
			c := newFakeChain()
			c.loseIndex = variant.loseIndex
			require.NoError(t, forwarder(sp, c, new(strings.Builder)).Run(context.Background(), nil, nil, 0))
			steps := c.calls
			require.Greater(t, steps, 3*n)

			for k := 1; k <= steps; k++ {
				sp, bodies := spoolOf(t, n, 0)
				c := newFakeChain()
				c.loseIndex = variant.loseIndex
				ctx, cancel := context.WithCancel(context.Background())
				c.crashAfter = k
				c.onCrash = func() { // under the chain's lock
					cancel()
					if variant.nodeCrash {
						c.mempool, c.cache = nil, map[string]bool{}
					}
				}
				err := forwarder(sp, c, new(strings.Builder)).Run(ctx, nil, nil, 0)
				require.True(t, errors.Is(err, context.Canceled) || errors.Is(err, errGatewayCrash), "step %d: %v", k, err)
				cancel()

				c.mu.Lock()
				c.loseIndex = false // the restarted node indexes again
				c.mu.Unlock()
				restarted, err := gateway.OpenSpool(sp.Dir)
				require.NoError(t, err)
				var out strings.Builder
				require.NoError(t, forwarder(restarted, c, &out).Run(context.Background(), nil, nil, 0), "step %d", k)
				requireOnChainOnce(t, c, restarted, bodies, fmt.Sprintf("crash at step %d: %s", k, out.String()))
			}
		})
	}
}

// TestForwardKeepsRefusals: a reading the phr module refuses (a registered
// error, here ErrWrongEpoch) moves to refused/ with the error; the next
// readings go on.
func TestForwardKeepsRefusals(t *testing.T) {
	sp, bodies := spoolOf(t, 3, 0)
	c := newFakeChain()
	c.refuse = bodies[1][0]
	var out strings.Builder
	require.NoError(t, forwarder(sp, c, &out).Run(context.Background(), nil, nil, 0))
	recs := c.recordsCopy()
	require.Len(t, recs, 2)
	require.Equal(t, bodies[0], recs[0].Body)
	require.Equal(t, bodies[2], recs[1].Body)
	refusals, err := sp.Refusals()
	require.NoError(t, err)
	require.Len(t, refusals, 1)
	require.Equal(t, uint64(2), refusals[0].Entry.Sequence)
	require.Equal(t, types.ModuleName, refusals[0].Codespace)
	require.Equal(t, types.ErrWrongEpoch.ABCICode(), refusals[0].Code)
	require.NotEmpty(t, refusals[0].TxHash, "refused in a block: the fee was charged")
	require.Contains(t, out.String(), "refused device dev seq 2: phr code")
}

// TestForwardReplacesACheckTxRefusal: a tx CheckTx refused for a reason
// about the tx (a full mempool) is in no mempool; a new tx with the same
// account sequence replaces it and the reading is stored once.
func TestForwardReplacesACheckTxRefusal(t *testing.T) {
	sp, bodies := spoolOf(t, 2, 0)
	c := newFakeChain()
	c.checkTxRefusals = 2
	var out strings.Builder
	require.NoError(t, forwarder(sp, c, &out).Run(context.Background(), nil, nil, 0))
	requireOnChainOnce(t, c, sp, bodies)
	require.Contains(t, out.String(), "mempool is full")
	require.Equal(t, uint64(2), c.seq, "one executed tx per reading")
}

// TestForwardLostIndex: the node executed the tx but its index lost it;
// the account sequence moved on and the record is found by its body, not
// uploaded again.
func TestForwardLostIndex(t *testing.T) {
	sp, bodies := spoolOf(t, 1, 0)
	c := newFakeChain()
	c.loseIndex = true
	var out strings.Builder
	require.NoError(t, forwarder(sp, c, &out).Run(context.Background(), nil, nil, 0))
	requireOnChainOnce(t, c, sp, bodies)
	receipts, err := sp.Receipts()
	require.NoError(t, err)
	require.True(t, receipts[0].Recovered)
}
