package app

import (
	"context"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authante "github.com/cosmos/cosmos-sdk/x/auth/ante"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
)

// txSizeKeeper is the account keeper of ConsumeTxSizeGasDecorator. In
// simulation that decorator estimates a missing signature's size by
// amino-encoding the signer's stored public key, and legacy amino has no
// secp256r1 type: the simulation would panic. For a secp256r1 key it sees a
// secp256k1 stand-in of the same 33-byte length, so the estimate is what it
// would be. Outside simulation the decorator reads no account.
type txSizeKeeper struct{ authante.AccountKeeper }

// GetAccount returns the account, its secp256r1 public key replaced by a
// stand-in on a copy (never stored).
func (k txSizeKeeper) GetAccount(ctx context.Context, addr sdk.AccAddress) sdk.AccountI {
	acc := k.AccountKeeper.GetAccount(ctx, addr)
	if acc == nil {
		return nil
	}
	if _, ok := acc.GetPubKey().(*secp256r1.PubKey); !ok {
		return acc
	}
	standIn := authtypes.NewBaseAccount(addr, &secp256k1.PubKey{Key: make([]byte, secp256k1.PubKeySize)}, acc.GetAccountNumber(), acc.GetSequence())
	return standIn
}
