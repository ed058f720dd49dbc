package cli

import (
	"context"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// The crypto commands read the chain through types.QueryClient only, so their
// logic runs the same against a node (client.Context) and in process (a
// baseapp query helper in tests).

// Committee returns every admitted proxy in the order the chain keeps them
// (by address bytes). The chain accepts a key grant only for exactly this
// set.
func Committee(ctx context.Context, q types.QueryClient) ([]types.Member, error) {
	var members []types.Member
	var next []byte
	for {
		res, err := q.Members(ctx, &types.QueryMembersRequest{
			Role:       types.ROLE_PROXY,
			Pagination: &query.PageRequest{Key: next, Limit: 100},
		})
		if err != nil {
			return nil, txclient.QueryError("listing the proxy committee", err)
		}
		for _, m := range res.Members {
			if m.Role != types.ROLE_PROXY {
				continue // a node that ignores the filter must not put others on the committee
			}
			if _, err := sdk.AccAddressFromBech32(m.Address); err != nil {
				return nil, fmt.Errorf("proxy %q: %v", m.Address, err)
			}
			members = append(members, m)
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return members, nil
		}
		next = res.Pagination.NextKey
	}
}

// Recipients are proxy members as a key grant's recipients: each one's
// address with its HPKE key, in the members' order.
func Recipients(members []types.Member) ([]pre.ProxyRecipient, error) {
	out := make([]pre.ProxyRecipient, len(members))
	for i, m := range members {
		addr, err := sdk.AccAddressFromBech32(m.Address)
		if err != nil {
			return nil, fmt.Errorf("proxy %q: %v", m.Address, err)
		}
		pk, err := keys.DecodeProxyPublicKey(m.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("proxy %s has no valid HPKE key on chain: %v", m.Address, err)
		}
		out[i] = pre.ProxyRecipient{Address: addr, Key: pk}
	}
	return out, nil
}

// CurrentVault returns a vault's current epoch and key.
func CurrentVault(ctx context.Context, q types.QueryClient, patient, vault string) (types.Vault, error) {
	res, err := q.Patient(ctx, &types.QueryPatientRequest{Address: patient})
	if err != nil {
		return types.Vault{}, txclient.QueryError("patient "+patient, err)
	}
	for _, v := range res.Vaults {
		if v.Name == vault {
			return v, nil
		}
	}
	return types.Vault{}, fmt.Errorf("patient %s has no vault %q", patient, vault)
}
