package secp256r1algo_test

import (
	"crypto/elliptic"
	"encoding/hex"
	"math/big"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"

	"github.com/medexchain/medexchain/internal/keyring/secp256r1algo"
)

// testMnemonic is BIP-39's all-zero-entropy test mnemonic.
const testMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// Known answers computed independently of this package and of the SDK (a
// Python script: PBKDF2 seed, BIP-32 on secp256k1, the SHA-512 map, P-256
// point multiplication, ADR-028 address). The secp256k1 address checks that
// the script's BIP-32 agrees with the SDK's; the rest pin the mapping, which
// is part of the key format.
var knownAnswers = []struct {
	passphrase, path        string
	k1Address               string // the secp256k1 key of the same path
	scalar, pubKey, address string
}{
	{
		path:      "m/44'/118'/0'/0/0",
		k1Address: "28ff5c6d57d8cfd492b6fb42614536ed648e01fd",
		scalar:    "988a5fe3bc4ce12cfe3d9b40e93b07e4d37c62bce270cdc9687dbc0cd907e0d3",
		pubKey:    "03b32ec538a101fc5fdd133c4394738493d5d897d2625d09cb313e800b346dcd8e",
		address:   "6c6a65f7b928baf5af1e58896f61907d2d12c4678c334a19ffada0cc81069742",
	},
	{
		passphrase: "medex",
		path:       "m/44'/118'/0'/0/1",
		scalar:     "08b2cddc19cc1cdb6b4e239d86a0f570ea0cea2c51f5017226cfb79bcb47e640",
		pubKey:     "03d6908fbb3d6b29d7e2ccd6d73271acc1e0172341296acc4dc3baf2b0bbdd663c",
		address:    "6ecd9d710666b5a22aabbd5cf370f97bdc6917e982437db8c397b030bb9620dd",
	},
}

func TestDeriveKnownAnswers(t *testing.T) {
	for _, ka := range knownAnswers {
		if ka.k1Address != "" {
			bz, err := hd.Secp256k1.Derive()(testMnemonic, ka.passphrase, ka.path)
			require.NoError(t, err)
			require.Equal(t, ka.k1Address, hex.EncodeToString(hd.Secp256k1.Generate()(bz).PubKey().Address()))
		}
		scalar, err := secp256r1algo.Secp256r1.Derive()(testMnemonic, ka.passphrase, ka.path)
		require.NoError(t, err)
		require.Equal(t, ka.scalar, hex.EncodeToString(scalar), ka.path)
		sk := secp256r1algo.Secp256r1.Generate()(scalar)
		require.IsType(t, &secp256r1.PrivKey{}, sk)
		require.Equal(t, ka.scalar, hex.EncodeToString(sk.Bytes()))
		require.Equal(t, ka.pubKey, hex.EncodeToString(sk.PubKey().Bytes()))
		require.Equal(t, ka.address, hex.EncodeToString(sk.PubKey().Address()))
	}
}

// Derive is a function of mnemonic, passphrase and path only.
func TestDeriveIsDeterministicAndSeparatesInputs(t *testing.T) {
	derive := secp256r1algo.Secp256r1.Derive()
	const path = "m/44'/118'/0'/0/0"
	a, err := derive(testMnemonic, "", path)
	require.NoError(t, err)
	again, err := derive(testMnemonic, "", path)
	require.NoError(t, err)
	require.Equal(t, a, again)

	otherPath, err := derive(testMnemonic, "", "m/44'/118'/0'/0/1")
	require.NoError(t, err)
	otherPass, err := derive(testMnemonic, "x", path)
	require.NoError(t, err)
	master, err := derive(testMnemonic, "", "")
	require.NoError(t, err)
	require.NotEqual(t, a, otherPath)
	require.NotEqual(t, a, otherPass)
	require.NotEqual(t, a, master)

	// not the secp256k1 secret of the same path
	k1, err := hd.Secp256k1.Derive()(testMnemonic, "", path)
	require.NoError(t, err)
	require.NotEqual(t, k1, a)

	_, err = derive("abandon abandon abandon", "", path)
	require.Error(t, err, "a mnemonic with a bad checksum")
	_, err = derive(testMnemonic, "", "m/44'/x")
	require.Error(t, err, "a malformed path")
}

// The map lands in [1, n-1] at its edges: secrets whose hash reduces to 0
// cannot be searched for, so the edges are checked on the formula's parts.
func TestScalarFromSecretRange(t *testing.T) {
	n := elliptic.P256().Params().N
	for _, secret := range [][]byte{nil, make([]byte, 32), {0xff}, []byte("medexchain")} {
		d := new(big.Int).SetBytes(secp256r1algo.ScalarFromSecret(secret))
		require.Equal(t, 1, d.Sign())
		require.Equal(t, -1, d.Cmp(n))
		require.Len(t, secp256r1algo.ScalarFromSecret(secret), secp256r1algo.ScalarSize)
	}
}

func TestPrivKeyFromScalarRefusesOutOfRange(t *testing.T) {
	n := elliptic.P256().Params().N
	for name, bz := range map[string][]byte{
		"zero":  make([]byte, 32),
		"n":     n.FillBytes(make([]byte, 32)),
		"short": {1},
		"long":  make([]byte, 33),
	} {
		_, err := secp256r1algo.PrivKeyFromScalar(bz)
		require.ErrorIs(t, err, secp256r1algo.ErrScalar, name)
	}
	for _, d := range []*big.Int{big.NewInt(1), new(big.Int).Sub(n, big.NewInt(1))} {
		sk, err := secp256r1algo.PrivKeyFromScalar(d.FillBytes(make([]byte, 32)))
		require.NoError(t, err)
		sig, err := sk.Sign([]byte("edge"))
		require.NoError(t, err)
		require.True(t, sk.PubKey().VerifySignature([]byte("edge"), sig))
	}
}

// A key Generate builds from a scalar out of range cannot sign: it never
// silently signs with another key.
func TestGenerateOutOfRangeCannotSign(t *testing.T) {
	sk := secp256r1algo.Secp256r1.Generate()(nil)
	require.Equal(t, "/cosmos.crypto.secp256r1.PubKey", "/"+proto.MessageName(sk.PubKey()))
	_, err := sk.Sign([]byte("msg"))
	require.Error(t, err)

	n := elliptic.P256().Params().N
	for _, d := range []*big.Int{n, new(big.Int).Add(n, big.NewInt(1))} {
		_, err := secp256r1algo.Secp256r1.Generate()(d.FillBytes(make([]byte, 32))).Sign([]byte("msg"))
		require.Error(t, err, d)
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	scalar, err := secp256r1algo.Secp256r1.Derive()(testMnemonic, "", "m/44'/118'/0'/0/0")
	require.NoError(t, err)
	sk := secp256r1algo.Secp256r1.Generate()(scalar)
	msg := []byte("transfer 10umedex")
	sig, err := sk.Sign(msg)
	require.NoError(t, err)
	require.Len(t, sig, 64)
	pk := sk.PubKey()
	require.True(t, pk.VerifySignature(msg, sig))
	require.False(t, pk.VerifySignature([]byte("transfer 11umedex"), sig))

	// the public key survives its wire form (as an account stores it)
	decoded, err := secp256r1.NewPubKeyFromBytes(pk.Bytes())
	require.NoError(t, err)
	require.True(t, decoded.VerifySignature(msg, sig))

	// a fresh random key from the SDK (keys that were not derived)
	fresh, err := secp256r1.GenPrivKey()
	require.NoError(t, err)
	sig, err = fresh.Sign(msg)
	require.NoError(t, err)
	require.True(t, fresh.PubKey().VerifySignature(msg, sig))
	require.False(t, pk.VerifySignature(msg, sig))
	again, err := secp256r1algo.PrivKeyFromScalar(fresh.Bytes())
	require.NoError(t, err)
	require.True(t, again.Equals(fresh))
}
