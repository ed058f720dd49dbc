package gateway

import (
	"context"
	"errors"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

// DefaultFallbackGas signs an upload whose simulation the chain refused.
const DefaultFallbackGas = 1_000_000

// TxNode is Node over the tx client: a real node's RPC.
type TxNode struct {
	Client *txclient.Client
	// FallbackGas is the gas of an upload whose simulation the chain
	// refused: it is signed and sent anyway, so that the chain decides in a
	// block, with a registered error the spool keeps (DefaultFallbackGas
	// if 0).
	FallbackGas uint64

	number     uint64 // the account number, once read
	haveNumber bool
}

var _ Node = (*TxNode)(nil)

// Height implements Node.
func (n *TxNode) Height(ctx context.Context) (int64, error) { return n.Client.Height(ctx) }

// AccountSequence implements Node.
func (n *TxNode) AccountSequence(ctx context.Context) (uint64, error) {
	num, seq, err := n.Client.Account(ctx)
	if err != nil {
		return 0, err
	}
	n.number, n.haveNumber = num, true
	return seq, nil
}

// SignUpload implements Node.
func (n *TxNode) SignUpload(ctx context.Context, msg *types.MsgUploadRecord, accountSequence uint64, gasScale float64) ([]byte, error) {
	if !n.haveNumber {
		if _, err := n.AccountSequence(ctx); err != nil {
			return nil, err
		}
	}
	gas, err := n.Client.Gas(ctx, n.number, accountSequence, msg)
	var refused *txclient.RefusedError
	if errors.As(err, &refused) {
		gas, err = n.FallbackGas, nil
		if gas == 0 {
			gas = DefaultFallbackGas
		}
	}
	if err != nil {
		return nil, err
	}
	if gasScale > 1 {
		gas = uint64(float64(gas) * gasScale)
	}
	return n.Client.SignAt(ctx, n.number, accountSequence, gas, msg)
}

// Broadcast implements Node.
func (n *TxNode) Broadcast(ctx context.Context, tx []byte) (Verdict, error) {
	_, err := n.Client.Submit(ctx, tx)
	var refused *txclient.RefusedError
	if errors.As(err, &refused) {
		return Verdict{Codespace: refused.Codespace, Code: refused.Code, Log: refused.Log}, nil
	}
	return Verdict{}, err
}

// Tx implements Node.
func (n *TxNode) Tx(ctx context.Context, hash string) (*TxResult, error) {
	r, err := n.Client.LookupTx(ctx, hash)
	if err != nil || r == nil {
		return nil, err
	}
	out := &TxResult{Height: r.Height, Verdict: Verdict{Codespace: r.Codespace, Code: r.Code, Log: r.Log}}
	if r.Code == 0 {
		var res types.MsgUploadRecordResponse
		if err := r.Response(0, &res); err != nil {
			return nil, err
		}
		out.RecordID = res.RecordId
	}
	return out, nil
}
