package types

import (
	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// ValidateMemberKey checks the key a role carries: a hospital's requester key
// B (ristretto255), a proxy's HPKE X25519 key; validators carry none.
func ValidateMemberKey(role Role, key []byte) error {
	switch role {
	case ROLE_VALIDATOR:
		if len(key) != 0 {
			return errorsmod.Wrap(ErrInvalidMemberKey, "validators carry no key")
		}
	case ROLE_HOSPITAL:
		if _, err := group.DecodeElement(key); err != nil {
			return errorsmod.Wrapf(ErrInvalidMemberKey, "hospital requester key: %v", err)
		}
	case ROLE_PROXY:
		if _, err := keys.DecodeProxyPublicKey(key); err != nil {
			return errorsmod.Wrapf(ErrInvalidMemberKey, "proxy HPKE key: %v", err)
		}
	default:
		return ValidateRole(role)
	}
	return nil
}
