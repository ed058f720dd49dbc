package types

import (
	"regexp"

	errorsmod "cosmossdk.io/errors"
)

// deviceIDPattern keeps ids printable, short and safe in paths and CLI args.
var deviceIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)

// ValidateDeviceID refuses ids outside deviceIDPattern.
func ValidateDeviceID(id string) error {
	if !deviceIDPattern.MatchString(id) {
		return errorsmod.Wrapf(ErrInvalidDevice, "device id %q: use 1-64 characters A-Z a-z 0-9 . _ : -, starting with a letter or digit", id)
	}
	return nil
}
