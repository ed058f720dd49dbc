package main

import (
	"fmt"

	"github.com/cosmos/iavl"

	storeiavl "github.com/cosmos/cosmos-sdk/store/v2/iavl"
	"github.com/cosmos/cosmos-sdk/store/v2/rootmulti"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
)

// reopenVersion makes version h of cms writable again: it reads what block h
// changed in every store (IAVL's own change set of version h against h-1),
// rolls cms back to h-1 and writes those changes into the working trees.
// The next Commit is then version h again, holding block h's state plus
// whatever is written meanwhile. It returns the number of changes.
func reopenVersion(cms *rootmulti.Store, h int64) (int, error) {
	changes := map[storetypes.StoreKey][]*iavl.KVPair{}
	total := 0
	for _, key := range cms.StoreKeysByName() {
		if _, ok := key.(*storetypes.KVStoreKey); !ok {
			continue // transient and memory stores are not committed
		}
		tree, ok := cms.GetStore(key).(*storeiavl.Store)
		if !ok {
			return 0, fmt.Errorf("store %s is a %T, not IAVL", key.Name(), cms.GetStore(key))
		}
		err := tree.TraverseStateChanges(h, h, func(_ int64, cs *iavl.ChangeSet) error {
			changes[key] = append(changes[key], cs.Pairs...)
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("changes of store %s at %d: %w", key.Name(), h, err)
		}
		total += len(changes[key])
	}
	if err := cms.RollbackToVersion(h - 1); err != nil {
		return 0, fmt.Errorf("rollback to %d: %w", h-1, err)
	}
	for key, pairs := range changes {
		s := cms.GetKVStore(key)
		for _, p := range pairs {
			if p.Delete {
				s.Delete(p.Key)
			} else {
				s.Set(p.Key, p.Value)
			}
		}
	}
	return total, nil
}
