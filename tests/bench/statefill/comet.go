package main

import (
	"fmt"
	"path/filepath"

	cmtcfg "github.com/cometbft/cometbft/config"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	sm "github.com/cometbft/cometbft/state"
	"github.com/cometbft/cometbft/store"
)

// cometState is a stopped node's CometBFT state and the header of its last
// block, with the state store open for the new app hash.
type cometState struct {
	cfg    *cmtcfg.Config
	stores []interface{ Close() error }
	states sm.Store
	state  sm.State
	header cmtproto.Header
}

// openComet opens home's state and block stores (the backend of
// config.toml's default, goleveldb) and checks that both end at the same
// height: the node stopped between blocks, not after saving a block it had
// not applied (the handshake would then replay that block, whose header
// carries the old app hash).
func openComet(home string) (*cometState, error) {
	cfg := cmtcfg.DefaultConfig()
	cfg.SetRoot(home)
	c := &cometState{cfg: cfg}
	stateDB, err := cmtcfg.DefaultDBProvider(&cmtcfg.DBContext{ID: "state", Config: cfg})
	if err != nil {
		return nil, fmt.Errorf("state store in %s: %w", filepath.Join(home, "data"), err)
	}
	c.stores = append(c.stores, stateDB)
	blockDB, err := cmtcfg.DefaultDBProvider(&cmtcfg.DBContext{ID: "blockstore", Config: cfg})
	if err != nil {
		c.close()
		return nil, fmt.Errorf("block store: %w", err)
	}
	c.stores = append(c.stores, blockDB)
	c.states = sm.NewStore(stateDB, sm.StoreOptions{})
	if c.state, err = c.states.Load(); err != nil {
		c.close()
		return nil, err
	}
	blocks := store.NewBlockStore(blockDB)
	h := c.state.LastBlockHeight
	if h < 2 || blocks.Height() != h {
		c.close()
		return nil, fmt.Errorf("state at height %d, block store at %d: need a node stopped cleanly after at least 2 blocks", h, blocks.Height())
	}
	meta := blocks.LoadBlockMeta(h)
	if meta == nil {
		c.close()
		return nil, fmt.Errorf("no block meta at height %d", h)
	}
	c.header = *meta.Header.ToProto()
	return c, nil
}

// setAppHash records hash as the app hash after block H (what the next
// block's header will carry).
func (c *cometState) setAppHash(hash []byte) error {
	c.state.AppHash = hash
	return c.states.Save(c.state)
}

func (c *cometState) close() {
	for _, s := range c.stores {
		_ = s.Close()
	}
}
