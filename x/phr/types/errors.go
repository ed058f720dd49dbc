package types

import errorsmod "cosmossdk.io/errors"

// Registered errors of the phr module. Codes start at 2 and are never renumbered.
var (
	ErrInvalidVaultName     = errorsmod.Register(ModuleName, 2, "invalid vault name")
	ErrVaultKeyLength       = errorsmod.Register(ModuleName, 3, "vault public key must be 32 bytes")
	ErrVaultKeyNonCanonical = errorsmod.Register(ModuleName, 4, "vault public key is not a canonical ristretto255 encoding")
	ErrVaultKeyIdentity     = errorsmod.Register(ModuleName, 5, "vault public key is the identity element")
	ErrPatientExists        = errorsmod.Register(ModuleName, 6, "patient already registered")
	ErrDuplicateVault       = errorsmod.Register(ModuleName, 7, "duplicate vault name")
	ErrNoVaults             = errorsmod.Register(ModuleName, 8, "at least one vault is required")
	ErrTooManyVaults        = errorsmod.Register(ModuleName, 9, "too many vaults")
	ErrPatientNotFound      = errorsmod.Register(ModuleName, 10, "patient not found")
	ErrInvalidAddress       = errorsmod.Register(ModuleName, 11, "invalid address")
	ErrInvalidAuthority     = errorsmod.Register(ModuleName, 12, "signer is not the authority")
	ErrInvalidRole          = errorsmod.Register(ModuleName, 13, "invalid role")
	ErrMemberExists         = errorsmod.Register(ModuleName, 14, "member already admitted in this role")
	ErrMemberNotFound       = errorsmod.Register(ModuleName, 15, "member not found in this role")
	ErrValidatorNotAdmitted = errorsmod.Register(ModuleName, 16, "validator operator not admitted by the authority")
	ErrInvalidParams        = errorsmod.Register(ModuleName, 17, "invalid phr params")
	ErrInvalidGenesis       = errorsmod.Register(ModuleName, 18, "invalid phr genesis")
)
