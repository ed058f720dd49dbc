package secp256r1algo_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/medexchain/medexchain/internal/keyring/secp256r1algo"
)

// keyringCodec is the crypto codec a client has, with or without the
// package's private key registration.
func keyringCodec(withR1 bool) codec.Codec {
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	if withR1 {
		secp256r1algo.RegisterInterfaces(reg)
	}
	return codec.NewProtoCodec(reg)
}

func TestKeyringOptionAlgorithms(t *testing.T) {
	kr := keyring.NewInMemory(keyringCodec(true), secp256r1algo.KeyringOption())
	algos, ledger := kr.SupportedAlgorithms()
	require.Equal(t, "secp256k1,secp256r1", algos.String())
	require.Equal(t, "secp256k1", ledger.String())
	_, err := keyring.NewSigningAlgoFromString("secp256r1", algos)
	require.NoError(t, err)

	_, err = kr.SaveLedgerKey("dev", secp256r1algo.Secp256r1, "medex", 118, 0, 0)
	require.ErrorIs(t, err, keyring.ErrUnsupportedSigningAlgo)

	// without the option the SDK refuses the algorithm
	plain := keyring.NewInMemory(keyringCodec(true))
	_, _, err = plain.NewMnemonic("h", keyring.English, sdk.FullFundraiserPath, "", secp256r1algo.Secp256r1)
	require.ErrorIs(t, err, keyring.ErrUnsupportedSigningAlgo)
}

// A mnemonic key is created, recovered to the same key, read back, and signs.
func TestKeyringMnemonicRecoverSign(t *testing.T) {
	kr := keyring.NewInMemory(keyringCodec(true), secp256r1algo.KeyringOption())
	rec, mnemonic, err := kr.NewMnemonic("hospital", keyring.English, sdk.FullFundraiserPath, "", secp256r1algo.Secp256r1)
	require.NoError(t, err)
	pk, err := rec.GetPubKey()
	require.NoError(t, err)
	require.IsType(t, &secp256r1.PubKey{}, pk)

	// the same keyring refuses a second record of one address: recover in another
	_, err = kr.NewAccount("recovered", mnemonic, "", sdk.FullFundraiserPath, secp256r1algo.Secp256r1)
	require.ErrorIs(t, err, keyring.ErrDuplicatedAddress)
	other := keyring.NewInMemory(keyringCodec(true), secp256r1algo.KeyringOption())
	again, err := other.NewAccount("recovered", mnemonic, "", sdk.FullFundraiserPath, secp256r1algo.Secp256r1)
	require.NoError(t, err)
	a1, err := rec.GetAddress()
	require.NoError(t, err)
	a2, err := again.GetAddress()
	require.NoError(t, err)
	require.Equal(t, a1, a2)
	require.Len(t, a1, 32, "ADR-028 address of an ECDSA key")

	msg := []byte("sign bytes")
	sig, signer, err := kr.Sign("hospital", msg, signing.SignMode_SIGN_MODE_DIRECT)
	require.NoError(t, err)
	require.True(t, signer.Equals(pk))
	require.True(t, pk.VerifySignature(msg, sig))

	// the default algorithm is unchanged
	k1, _, err := kr.NewMnemonic("relayer", keyring.English, sdk.FullFundraiserPath, "", hd.Secp256k1)
	require.NoError(t, err)
	k1pk, err := k1.GetPubKey()
	require.NoError(t, err)
	require.Equal(t, "secp256k1", k1pk.Type())
}

// A stored P-256 key is read back by a keyring whose codec registers the
// private key, and by no other: RegisterInterfaces is needed beside the
// option.
func TestStoredKeyNeedsThePrivKeyRegistration(t *testing.T) {
	home := t.TempDir()
	kr, err := keyring.New("medexchain", keyring.BackendTest, home, nil, keyringCodec(true), secp256r1algo.KeyringOption())
	require.NoError(t, err)
	_, _, err = kr.NewMnemonic("hospital", keyring.English, sdk.FullFundraiserPath, "", secp256r1algo.Secp256r1)
	require.NoError(t, err)

	reopened, err := keyring.New("medexchain", keyring.BackendTest, home, nil, keyringCodec(true), secp256r1algo.KeyringOption())
	require.NoError(t, err)
	_, err = reopened.Key("hospital")
	require.NoError(t, err)
	_, _, err = reopened.Sign("hospital", []byte("x"), signing.SignMode_SIGN_MODE_DIRECT)
	require.NoError(t, err)

	unregistered, err := keyring.New("medexchain", keyring.BackendTest, home, nil, keyringCodec(false), secp256r1algo.KeyringOption())
	require.NoError(t, err)
	_, err = unregistered.Key("hospital")
	require.Error(t, err)
}
