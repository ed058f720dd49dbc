package app

import (
	"errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authante "github.com/cosmos/cosmos-sdk/x/auth/ante"
	ibcante "github.com/cosmos/ibc-go/v11/modules/core/ante"
	ibckeeper "github.com/cosmos/ibc-go/v11/modules/core/keeper"

	medexante "github.com/medexchain/medexchain/app/ante"
)

// AnteOptions are the keepers the ante chain reads.
type AnteOptions struct {
	authante.HandlerOptions
	IBCKeeper *ibckeeper.Keeper
	Members   medexante.MembershipKeeper
	Firewall  medexante.FirewallKeeper
}

// NewAnteHandler is the SDK's standard chain plus IBC's redundant-relay filter
// and medexchain's validator admission check and chain firewall.
func NewAnteHandler(o AnteOptions) (sdk.AnteHandler, error) {
	switch {
	case o.AccountKeeper == nil:
		return nil, errors.New("ante: account keeper is required")
	case o.BankKeeper == nil:
		return nil, errors.New("ante: bank keeper is required")
	case o.SignModeHandler == nil:
		return nil, errors.New("ante: sign mode handler is required")
	case o.IBCKeeper == nil:
		return nil, errors.New("ante: IBC keeper is required")
	case o.Members == nil:
		return nil, errors.New("ante: phr membership keeper is required")
	case o.Firewall == nil:
		return nil, errors.New("ante: phr firewall keeper is required")
	}
	return sdk.ChainAnteDecorators(
		authante.NewSetUpContextDecorator(), // first: sets the gas meter
		authante.NewExtensionOptionsDecorator(o.ExtensionOptionChecker),
		authante.NewValidateBasicDecorator(),
		authante.NewTxTimeoutHeightDecorator(),
		authante.NewValidateMemoDecorator(o.AccountKeeper),
		authante.NewConsumeGasForTxSizeDecorator(txSizeKeeper{o.AccountKeeper}),
		authante.NewDeductFeeDecorator(o.AccountKeeper, o.BankKeeper, o.FeegrantKeeper, o.TxFeeChecker),
		authante.NewSetPubKeyDecorator(o.AccountKeeper), // before every signature check
		authante.NewValidateSigCountDecorator(o.AccountKeeper),
		authante.NewSigGasConsumeDecorator(o.AccountKeeper, o.SigGasConsumer),
		authante.NewSigVerificationDecorator(o.AccountKeeper, o.SignModeHandler),
		authante.NewIncrementSequenceDecorator(o.AccountKeeper),
		ibcante.NewRedundantRelayDecorator(o.IBCKeeper),
		medexante.NewValidatorAdmissionDecorator(o.Members),
		medexante.NewPHRFirewallDecorator(o.Firewall),
	), nil
}
