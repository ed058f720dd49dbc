package types

import errorsmod "cosmossdk.io/errors"

// ValidateRole refuses ROLE_UNSPECIFIED and unknown values.
func ValidateRole(r Role) error {
	if _, ok := Role_name[int32(r)]; !ok || r == ROLE_UNSPECIFIED {
		return errorsmod.Wrapf(ErrInvalidRole, "%d", r)
	}
	return nil
}
