package types

import (
	"errors"
	"regexp"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// vaultNamePattern: lower-case, starts with a letter, at most 32 characters, so
// names are safe in CLI arguments, REST paths and audit object ids.
var vaultNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// ValidateVaultName refuses names outside vaultNamePattern.
func ValidateVaultName(name string) error {
	if !vaultNamePattern.MatchString(name) {
		return errorsmod.Wrapf(ErrInvalidVaultName, "%q: use 1-32 characters a-z, 0-9 and '-', starting with a letter", name)
	}
	return nil
}

// ValidateVaultPublicKey decodes A strictly and maps each failure to its own
// registered error.
func ValidateVaultPublicKey(key []byte) error {
	_, err := group.DecodeElement(key)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, group.ErrMalformed):
		return errorsmod.Wrapf(ErrVaultKeyLength, "got %d bytes", len(key))
	case errors.Is(err, group.ErrIdentity):
		return ErrVaultKeyIdentity
	default:
		return ErrVaultKeyNonCanonical
	}
}

// Validate checks one submitted vault.
func (v VaultKey) Validate() error {
	if err := ValidateVaultName(v.Name); err != nil {
		return err
	}
	if err := ValidateVaultPublicKey(v.PublicKey); err != nil {
		return errorsmod.Wrapf(err, "vault %q", v.Name)
	}
	return nil
}

// ValidateVaultKeys checks a registration's vault list: non-empty, bounded,
// every vault valid, names unique.
func ValidateVaultKeys(vaults []VaultKey, maxVaults uint32) error {
	if len(vaults) == 0 {
		return ErrNoVaults
	}
	if maxVaults > 0 && len(vaults) > int(maxVaults) {
		return errorsmod.Wrapf(ErrTooManyVaults, "%d vaults, at most %d", len(vaults), maxVaults)
	}
	seen := make(map[string]bool, len(vaults))
	for _, v := range vaults {
		if err := v.Validate(); err != nil {
			return err
		}
		if seen[v.Name] {
			return errorsmod.Wrapf(ErrDuplicateVault, "%q", v.Name)
		}
		seen[v.Name] = true
	}
	return nil
}
