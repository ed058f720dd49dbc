package main

import (
	"context"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/tests/bench/benchkit"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// The malformed txs of the flood, sent in turn.
const (
	kindGarbage   = iota // random bytes, 32 B to 4 KiB
	kindTruncated        // a well-signed upload cut short
	kindCapsule          // a well-signed upload of a registered device with a capsule that does not decode
	numKinds
)

var kindNames = [numKinds]string{"garbage", "truncated", "bad_capsule"}

// flooder sends malformed txs from its workers until stopped. Worker w signs
// as flooding gateway w (the world's gateways after the honest ones), whose
// device is registered: a corrupted capsule is then the only thing wrong.
type flooder struct {
	pools   [][]*types.MsgUploadRecord // per worker: firewalled uploads to corrupt
	sent    [numKinds]atomic.Int64
	refused [numKinds]atomic.Int64 // by CheckTx, or by the node's RPC
	h0      []int64                // every node's height when the flood began

	mu       sync.Mutex
	accepted map[string]int // CheckTx accepted: tx hash -> kind

	quit chan struct{}
	wg   sync.WaitGroup
}

func (l *loader) newFlooder() (*flooder, error) {
	f := &flooder{accepted: map[string]int{}}
	at := time.Now().UTC().Truncate(time.Minute)
	for w := range l.cfg.floodWorkers {
		var pool []*types.MsgUploadRecord
		for range 8 {
			msg, err := l.world.UploadMsg(l.cfg.gateways+w, at)
			if err != nil {
				return nil, err
			}
			pool = append(pool, msg)
		}
		f.pools = append(f.pools, pool)
	}
	return f, nil
}

func (f *flooder) start(l *loader) {
	f.quit = make(chan struct{})
	for _, c := range l.clients {
		h, _ := heightOf(c)
		f.h0 = append(f.h0, h)
	}
	for w := range l.cfg.floodWorkers {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			f.work(l, w)
		}()
	}
}

func (f *flooder) stop() {
	close(f.quit)
	f.wg.Wait()
}

func (f *flooder) work(l *loader, w int) {
	ctx := context.Background()
	acct := l.world.Gateways[l.cfg.gateways+w]
	rpc := l.clients[w%len(l.clients)]
	var tick <-chan time.Time
	if l.cfg.floodRate > 0 {
		t := time.NewTicker(time.Duration(float64(time.Second) / l.cfg.floodRate))
		defer t.Stop()
		tick = t.C
	}
	for i := 0; ; i++ {
		select {
		case <-f.quit:
			return
		default:
		}
		if tick != nil {
			select {
			case <-f.quit:
				return
			case <-tick:
			}
		}
		kind := i % numKinds
		msg := f.pools[w][i%len(f.pools[w])]
		var tx []byte
		var err error
		switch kind {
		case kindGarbage:
			tx = make([]byte, 32+mrand.IntN(4064))
			_, _ = rand.Read(tx)
		case kindTruncated:
			if tx, err = l.chain.Sign(acct, benchkit.UploadGas, msg); err == nil {
				acct.Seq-- // never sent whole
				tx = tx[:1+mrand.IntN(len(tx)-1)]
			}
		case kindCapsule:
			bad := *msg
			bad.Capsules = slices.Clone(msg.Capsules)
			bad.Capsules[0] = undecodable(msg.Capsules[0])
			tx, err = l.chain.Sign(acct, benchkit.UploadGas, &bad)
		}
		if err != nil {
			logf("flood worker %d: %v", w, err)
			return
		}
		f.sent[kind].Add(1)
		res, err := rpc.BroadcastTxSync(ctx, tx)
		switch {
		case err != nil:
			f.refused[kind].Add(1)
		case res.Code != 0:
			f.refused[kind].Add(1)
			if kind == kindCapsule {
				acct.Seq--
				if res.Codespace == sdkerrors.RootCodespace && res.Code == sdkerrors.ErrWrongSequence.ABCICode() {
					_ = l.chain.Refresh(acct) // an accepted one was evicted or refused in its block
				}
			}
		default:
			f.mu.Lock()
			f.accepted[gateway.TxHash(tx)] = kind
			f.mu.Unlock()
		}
	}
}

// report prints what became of the malformed txs and checks that the chain
// stayed live (every node's height grew during the flood) and that none of
// them was stored.
func (f *flooder) report(l *loader) error {
	var sent, refused int64
	for k := range numKinds {
		s, r := f.sent[k].Load(), f.refused[k].Load()
		sent, refused = sent+s, refused+r
		figure("flood_"+kindNames[k]+"_sent", s, "tx")
		figure("flood_"+kindNames[k]+"_refused_checktx", r, "tx")
	}
	figure("flood_malformed_sent", sent, "tx")
	figure("flood_malformed_refused_checktx", refused, "tx")
	// the ones CheckTx let through: in a block, refused there (after their fee)
	// (waiting a few blocks for those still in a mempool)
	heights := map[int64]bool{}
	inBlock := map[string]int64{}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		for hash := range f.accepted {
			if h, _ := l.follow.Included(hash); h > 0 {
				heights[h], inBlock[hash] = true, h
			}
		}
		if len(inBlock) == len(f.accepted) || time.Now().After(deadline) {
			break
		}
	}
	results, err := l.follow.Results(context.Background(), heights)
	if err != nil {
		return err
	}
	var failed, stored int
	for hash := range inBlock {
		if results[hash].Code == 0 {
			stored++
		} else {
			failed++
		}
	}
	figure("flood_malformed_accepted_checktx", len(f.accepted), "tx")
	figure("flood_malformed_refused_in_block", failed, "tx")
	figure("flood_malformed_stored", stored, "tx")
	figure("flood_malformed_not_in_block", len(f.accepted)-len(inBlock), "tx")
	live := true
	for i, c := range l.clients {
		h, err := heightOf(c)
		figure(fmt.Sprintf("flood_node%d_heights", i+1), fmt.Sprintf("%d-%d", f.h0[i], h), "heights")
		if err != nil || h <= f.h0[i] {
			live = false
		}
	}
	if !live {
		return fmt.Errorf("a node's height did not grow during the flood")
	}
	if stored > 0 {
		return fmt.Errorf("%d malformed uploads were stored", stored)
	}
	return nil
}

func heightOf(c *rpchttp.HTTP) (int64, error) {
	info, err := c.ABCIInfo(context.Background())
	if err != nil {
		return 0, err
	}
	return info.Response.LastBlockHeight, nil
}

// undecodable flips bytes of capsule until it no longer decodes. (A flip
// that still decodes is two other group elements: an encryption of another
// key, which no one but the vault owner can tell from a genuine one, and
// which the chain stores like any other.)
func undecodable(capsule []byte) []byte {
	for {
		c := slices.Clone(capsule)
		c[mrand.IntN(len(c))] ^= byte(1 + mrand.IntN(255))
		if _, err := pre.DecodeCapsule(c); err != nil {
			return c
		}
	}
}
