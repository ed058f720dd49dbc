package benchkit

import (
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Account is a signer with its number and next sequence, tracked locally.
type Account struct {
	Name string
	Priv cryptotypes.PrivKey
	Addr sdk.AccAddress
	Num  uint64
	Seq  uint64
}

// NewAccount is a fresh secp256k1 account (unknown to the chain until funded).
func NewAccount(name string) *Account {
	p := secp256k1.GenPrivKey()
	return &Account{Name: name, Priv: p, Addr: sdk.AccAddress(p.PubKey().Address())}
}

func (a *Account) String() string { return a.Addr.String() }
