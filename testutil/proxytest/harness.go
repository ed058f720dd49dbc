// Package proxytest connects proxy workers to the in-process app harness
// (testutil/apptest): queries through the phr query server on committed
// state, answers delivered as signed txs through the full ante chain (chain
// firewall included), one block per tx.
package proxytest

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"

	cmttypes "github.com/cometbft/cometbft/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/x/phr/keeper"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Querier reads h's committed state like a proxy reads its node.
func Querier(h *apptest.Harness) proxy.Querier {
	return proxy.NewServerQuerier(keeper.NewQueryServerImpl(h.App.PhrKeeper), func() context.Context { return h.Ctx() })
}

// Submitter delivers a proxy's MsgSubmitAnswers through h. The harness is
// not safe for concurrent use: drive the workers from one goroutine.
type Submitter struct {
	H       *apptest.Harness
	Account apptest.Account
	// Before, if set, runs before each delivery (to let other proxies act
	// first and provoke races).
	Before func(msg *types.MsgSubmitAnswers)
}

// Submit implements proxy.Submitter.
func (s *Submitter) Submit(_ context.Context, msg *types.MsgSubmitAnswers) (*proxy.SubmitResult, error) {
	if s.Before != nil {
		s.Before(msg)
	}
	bz := s.H.SignTx(s.Account, msg)
	res := s.H.NextBlock(bz)[0]
	hash := fmt.Sprintf("%X", cmttypes.Tx(bz).Hash())
	if res.Code != 0 {
		return nil, errorsmod.ABCIError(res.Codespace, res.Code, fmt.Sprintf("tx %s: %s", hash, res.Log))
	}
	out := &proxy.SubmitResult{TxHash: hash, Height: s.H.App.LastBlockHeight()}
	var md sdk.TxMsgData
	if err := md.Unmarshal(res.Data); err == nil {
		for _, a := range md.MsgResponses {
			var r types.MsgSubmitAnswersResponse
			if a != nil && r.Unmarshal(a.Value) == nil {
				out.Completed = append(out.Completed, r.CompletedTasks...)
			}
		}
	}
	return out, nil
}
