package secp256r1algo

import (
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
)

// KeyringOption makes a keyring accept secp256k1 (first: still the default
// of `keys add`) and secp256r1. Ledger devices stay secp256k1 only: the
// Cosmos Ledger app signs nothing else.
func KeyringOption() keyring.Option {
	return func(o *keyring.Options) {
		o.SupportedAlgos = keyring.SigningAlgoList{hd.Secp256k1, Secp256r1}
		o.SupportedAlgosLedger = keyring.SigningAlgoList{hd.Secp256k1}
	}
}

// RegisterInterfaces registers the secp256r1 private key as a
// cryptotypes.PrivKey: a keyring record holds its private key in an Any, and
// reading a record unpacks it, so without this every command that reads the
// keyring fails once a P-256 key is in it. The SDK registers only the public
// key (which accounts and txs carry); the private key is for clients.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*cryptotypes.PrivKey)(nil), &secp256r1.PrivKey{})
}
