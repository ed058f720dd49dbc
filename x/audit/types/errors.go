package types

import errorsmod "cosmossdk.io/errors"

// Registered errors of the audit module. Codes are never renumbered.
var (
	ErrInvalidEntry     = errorsmod.Register(ModuleName, 2, "invalid audit entry")
	ErrBrokenChain      = errorsmod.Register(ModuleName, 3, "audit hash chain broken")
	ErrEntryNotFound    = errorsmod.Register(ModuleName, 4, "audit entry not found")
	ErrInvalidAuthority = errorsmod.Register(ModuleName, 5, "invalid authority")
	ErrInvalidParams    = errorsmod.Register(ModuleName, 6, "invalid audit params")
	ErrEmptyLog         = errorsmod.Register(ModuleName, 7, "audit log is empty")
)
