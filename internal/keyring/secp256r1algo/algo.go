package secp256r1algo

import (
	"crypto/elliptic"
	"crypto/sha512"
	"errors"
	"math/big"

	"github.com/cosmos/go-bip39"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256r1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
)

// Type is the algorithm's name, as given to `keys add --algo` and as the
// keyring records it.
const Type = hd.PubKeyType("secp256r1")

// Domain separates the hash that maps a BIP-32 node secret to a P-256
// scalar (see the package documentation). Part of the key format.
const Domain = "medexchain/keyring/secp256r1/v1"

// ScalarSize is the length of a P-256 private scalar in bytes.
const ScalarSize = 32

// Secp256r1 is the keyring.SignatureAlgo for P-256 keys.
var Secp256r1 = algo{}

var (
	order      = elliptic.P256().Params().N
	orderMinus = new(big.Int).Sub(order, big.NewInt(1))
)

type algo struct{}

// Name implements keyring.SignatureAlgo.
func (algo) Name() hd.PubKeyType { return Type }

// Derive implements keyring.SignatureAlgo: the P-256 scalar (32 bytes,
// big-endian) of mnemonic, bip39Passphrase and hdPath (the master key when
// hdPath is empty, as for secp256k1).
func (algo) Derive() hd.DeriveFn {
	return func(mnemonic, bip39Passphrase, hdPath string) ([]byte, error) {
		seed, err := bip39.NewSeedWithErrorChecking(mnemonic, bip39Passphrase)
		if err != nil {
			return nil, err
		}
		master, chainCode := hd.ComputeMastersFromSeed(seed)
		node := master[:]
		if hdPath != "" {
			if node, err = hd.DerivePrivateKeyForPath(master, chainCode, hdPath); err != nil {
				return nil, err
			}
		}
		return ScalarFromSecret(node), nil
	}
}

// ScalarFromSecret maps secret (a BIP-32 node secret) to a P-256 scalar in
// [1, n-1]: (SHA-512(Domain || secret) mod (n-1)) + 1, 32 bytes big-endian.
func ScalarFromSecret(secret []byte) []byte {
	h := sha512.New()
	h.Write([]byte(Domain))
	h.Write(secret)
	d := new(big.Int).SetBytes(h.Sum(nil))
	d.Mod(d, orderMinus).Add(d, big.NewInt(1))
	return d.FillBytes(make([]byte, ScalarSize))
}

// Generate implements keyring.SignatureAlgo: the private key of a 32-byte
// scalar (Derive's output, or an imported `keys import-hex` key). The
// interface cannot refuse: a shorter input is right-padded with zeros as the
// SDK's secp256k1 does (the keyring asks for the key of an empty input only
// for its type), and an input that is not in [1, n-1] gives a key that
// refuses to sign. Use PrivKeyFromScalar to be told.
func (algo) Generate() hd.GenerateFn {
	return func(bz []byte) cryptotypes.PrivKey {
		scalar := make([]byte, ScalarSize)
		copy(scalar, bz)
		return privKey(scalar)
	}
}

// ErrScalar is a P-256 private scalar of the wrong length or outside [1, n-1].
var ErrScalar = errors.New("not a secp256r1 private key: want 32 bytes, big-endian, in [1, n-1]")

// PrivKeyFromScalar is the SDK secp256r1 private key of a 32-byte big-endian
// scalar in [1, n-1].
func PrivKeyFromScalar(scalar []byte) (*secp256r1.PrivKey, error) {
	if len(scalar) != ScalarSize {
		return nil, ErrScalar
	}
	if d := new(big.Int).SetBytes(scalar); d.Sign() == 0 || d.Cmp(order) >= 0 {
		return nil, ErrScalar
	}
	return privKey(scalar), nil
}

// privKey builds the SDK key from 32 bytes. The SDK type has no constructor
// from bytes (its field type is unexported); its protobuf decoding is the
// one way in: field 1 (secret), length-delimited, 32 bytes. The decoding
// computes the public point and never fails for 32 bytes.
func privKey(scalar []byte) *secp256r1.PrivKey {
	msg := append([]byte{0x0a, ScalarSize}, scalar...)
	sk := &secp256r1.PrivKey{}
	if err := sk.Unmarshal(msg); err != nil {
		panic(err) // unreachable: the length is fixed above
	}
	return sk
}
