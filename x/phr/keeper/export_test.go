package keeper

import "context"

// CheckCommittee exposes checkCommittee to the keeper tests.
func (k *Keeper) CheckCommittee(ctx context.Context, proxies [][]byte) error {
	return k.checkCommittee(ctx, proxies)
}
