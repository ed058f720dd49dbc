package types

import (
	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
)

// GrantsByRemoteRequestKey holds (client id, the peer's request id) of every
// grant opened by an AccessRequest packet; a request id seen again from the
// same peer client is an app-level replay and is refused. Prefixes 44-46
// stay free for further patient-side indexes.
var GrantsByRemoteRequestKey = collections.NewPrefix(43)

// MaxRemoteAddressLen bounds a requester's address on a peer chain (it is
// stored in grants and audit entries; bech32 addresses are far shorter).
const MaxRemoteAddressLen = 128

// Identity is the canonical requester string of a remote grant,
// "ibc:<client>/<channel>/<address>" ("ibc:<client>//<address>" over IBC
// v2). The "ibc:" prefix and the slashes keep it from ever parsing as an
// account of this chain, so no local message can act as its requester.
func (r RemoteRequester) Identity() string {
	return "ibc:" + r.ClientId + "/" + r.ChannelId + "/" + r.Address
}

// ValidateRemoteAddress checks a requester address named by a peer: 1 to
// MaxRemoteAddressLen bytes of printable ASCII without spaces (it ends up in
// the requester identity and in audit entries as is).
func ValidateRemoteAddress(addr string) error {
	if len(addr) == 0 || len(addr) > MaxRemoteAddressLen {
		return errorsmod.Wrapf(ErrInvalidAddress, "remote requester address of %d bytes, 1-%d allowed", len(addr), MaxRemoteAddressLen)
	}
	for i := 0; i < len(addr); i++ {
		if c := addr[i]; c <= ' ' || c > '~' {
			return errorsmod.Wrapf(ErrInvalidAddress, "remote requester address has byte 0x%02x at %d (printable ASCII only)", c, i)
		}
	}
	return nil
}

// Validate checks a stored remote requester: a client, a valid address and
// the peer's request id (the channel is empty for IBC v2).
func (r RemoteRequester) Validate() error {
	if r.ClientId == "" || r.ChainId == "" {
		return errorsmod.Wrap(ErrInvalidPacket, "remote requester without client or chain id")
	}
	if r.RequestId == 0 {
		return errorsmod.Wrap(ErrInvalidPacket, "remote requester without the peer's request id")
	}
	return ValidateRemoteAddress(r.Address)
}
