package txclient

import (
	"errors"
	"fmt"

	errorsmod "cosmossdk.io/errors"
)

// Where a tx was refused.
const (
	StageSimulation = "simulation"
	StageCheck      = "CheckTx"
	StageBlock      = "block"
)

// RefusedError is a tx the chain refused: in simulation, at CheckTx (the
// account sequence did not move) or in its block. It unwraps to the
// registered error of its codespace and code, so errors.Is(err,
// types.ErrGrantRevoked) or errors.Is(err, sdkerrors.ErrWrongSequence) work
// whatever the node's text says.
type RefusedError struct {
	Stage     string
	TxHash    string // empty for a simulation
	Height    int64  // the block, for StageBlock
	Codespace string
	Code      uint32
	Log       string // the node's log, reduced to one line (cliutil.ErrorLine)
}

// Registered is the registered error of the refusal's codespace and code
// (an error with the description "unknown" for one this program does not
// know).
func (e *RefusedError) Registered() *errorsmod.Error {
	var root *errorsmod.Error
	if errors.As(errorsmod.ABCIError(e.Codespace, e.Code, ""), &root) {
		return root
	}
	return nil
}

// Unwrap implements errors.Unwrap.
func (e *RefusedError) Unwrap() error { return errorsmod.ABCIError(e.Codespace, e.Code, e.Log) }

// Error is one line: where, the registered error (codespace, code and
// description) and the chain's message.
func (e *RefusedError) Error() string {
	name := fmt.Sprintf("%s code %d", e.Codespace, e.Code)
	if r := e.Registered(); r != nil && r.Error() != "unknown" {
		name += ": " + r.Error()
	}
	var where string
	switch e.Stage {
	case StageSimulation:
		where = "the chain would refuse the tx"
	case StageBlock:
		where = fmt.Sprintf("tx %s failed at height %d", e.TxHash, e.Height)
	default:
		where = "the chain refused the tx"
	}
	return fmt.Sprintf("%s (%s): %s", where, name, e.Log)
}
