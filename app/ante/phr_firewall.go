package ante

import (
	sdk "github.com/cosmos/cosmos-sdk/types"

	phrtypes "github.com/medexchain/medexchain/x/phr/types"
)

// FirewallKeeper runs the chain firewall over a tx's messages (x/phr/keeper).
type FirewallKeeper interface {
	Firewall(ctx sdk.Context, msgs []sdk.Msg) (*phrtypes.Firewalled, error)
}

// PHRFirewallDecorator is the chain firewall (docs/protocol.md, "Chain
// firewall") in the ante chain: every crypto object of every phr message is
// validated (in CheckTx too, so malformed objects never reach the mempool),
// uploaded capsules are rerandomized during block execution, answer proofs
// are verified, and the results reach the msg servers through the context.
// During block execution it refuses a tx only for reasons that cannot change
// since CheckTx, so that a stateful refusal comes from the msg server after
// the fee was deducted; on ReCheckTx it re-runs only the cheap target checks.
// It sits after the signature checks and the fee deduction so that its gas is
// paid by an authenticated sender.
type PHRFirewallDecorator struct {
	keeper FirewallKeeper
}

// NewPHRFirewallDecorator runs k's chain firewall in the ante chain.
func NewPHRFirewallDecorator(k FirewallKeeper) PHRFirewallDecorator {
	return PHRFirewallDecorator{keeper: k}
}

// AnteHandle runs the firewall over the tx's messages and hands its results
// to the msg servers through the context.
func (d PHRFirewallDecorator) AnteHandle(ctx sdk.Context, tx sdk.Tx, simulate bool, next sdk.AnteHandler) (sdk.Context, error) {
	fw, err := d.keeper.Firewall(ctx, tx.GetMsgs())
	if err != nil {
		return ctx, err
	}
	return next(phrtypes.WithFirewalled(ctx, fw), tx, simulate)
}
