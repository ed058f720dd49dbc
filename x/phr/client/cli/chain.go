package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/x/phr/types"
)

// The crypto commands read the chain through types.QueryClient only, so their
// logic runs the same against a node (client.Context) and in process (a
// baseapp query helper in tests).

// queryErr turns a gRPC error into one line naming what was asked for.
func queryErr(what string, err error) error {
	if st, ok := status.FromError(err); ok {
		return fmt.Errorf("%s: %s", what, CleanChainError(st.Message()))
	}
	return fmt.Errorf("%s: %s", what, CleanChainError(err.Error()))
}

// Committee returns every admitted proxy in the order the chain keeps them
// (by address bytes), with its raw address. The chain accepts a key grant
// only for exactly this set.
func Committee(ctx context.Context, q types.QueryClient) ([]types.Member, [][]byte, error) {
	var members []types.Member
	var addrs [][]byte
	var next []byte
	for {
		res, err := q.Members(ctx, &types.QueryMembersRequest{
			Role:       types.ROLE_PROXY,
			Pagination: &query.PageRequest{Key: next, Limit: 100},
		})
		if err != nil {
			return nil, nil, queryErr("listing the proxy committee", err)
		}
		for _, m := range res.Members {
			if m.Role != types.ROLE_PROXY {
				continue // a node that ignores the filter must not put others on the committee
			}
			addr, err := sdk.AccAddressFromBech32(m.Address)
			if err != nil {
				return nil, nil, fmt.Errorf("proxy %q: %v", m.Address, err)
			}
			members = append(members, m)
			addrs = append(addrs, addr)
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return members, addrs, nil
		}
		next = res.Pagination.NextKey
	}
}

// CurrentVault returns a vault's current epoch and key.
func CurrentVault(ctx context.Context, q types.QueryClient, patient, vault string) (types.Vault, error) {
	res, err := q.Patient(ctx, &types.QueryPatientRequest{Address: patient})
	if err != nil {
		return types.Vault{}, queryErr("patient "+patient, err)
	}
	for _, v := range res.Vaults {
		if v.Name == vault {
			return v, nil
		}
	}
	return types.Vault{}, fmt.Errorf("patient %s has no vault %q", patient, vault)
}

// resolveChainID is --chain-id (or the client config), else the node's.
func resolveChainID(clientCtx client.Context) (string, error) {
	if clientCtx.ChainID != "" {
		return clientCtx.ChainID, nil
	}
	node, err := clientCtx.GetNode()
	if err != nil {
		return "", errors.New("--chain-id is required offline")
	}
	ctx, cancel := context.WithTimeout(clientCtx.GetCmdContextWithFallback(), 10*time.Second)
	defer cancel()
	st, err := node.Status(ctx)
	if err != nil {
		return "", fmt.Errorf("asking the node for its chain id (or pass --chain-id): %w", err)
	}
	return st.NodeInfo.Network, nil
}
