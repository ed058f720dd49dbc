package malformed

import (
	"encoding/hex"
	"io"
	"math/big"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// Bad is one malformed encoding and the decoder sentinel it must hit.
type Bad struct {
	Name  string
	Bytes []byte
	Cause error
}

// fieldP is 2^255 − 19.
var fieldP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// le32 is v as 32 little-endian bytes.
func le32(v *big.Int) []byte {
	be := v.FillBytes(make([]byte, 32))
	for i, j := 0, 31; i < j; i, j = i+1, j-1 {
		be[i], be[j] = be[j], be[i]
	}
	return be
}

func fromLE(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}

// randomInvalid draws n random bytes until decode refuses them.
func randomInvalid(rnd io.Reader, n int, decode func([]byte) error) ([]byte, error) {
	for range 1000 {
		b := make([]byte, n)
		if _, err := io.ReadFull(rnd, b); err != nil {
			return nil, err
		}
		if decode(b) != nil {
			return b, nil
		}
	}
	return nil, errNoBytes
}

func decodeElement(b []byte) error { _, err := group.DecodeElement(b); return err }

// BadElements are malformed ristretto255 encodings of the element valid
// (any canonical encoding): random bytes, the identity, p + x, the high bit
// set, the negative of valid's field element, and wrong lengths.
func BadElements(rnd io.Reader, valid []byte) ([]Bad, error) {
	random, err := randomInvalid(rnd, group.ElementSize, decodeElement)
	if err != nil {
		return nil, err
	}
	high := append([]byte(nil), valid...)
	high[31] |= 0x80
	// s and p − s encode the same square; the odd one is "negative" and
	// refused (RFC 9496 §4.3.1), as is any s ≥ p.
	neg := le32(new(big.Int).Sub(fieldP, fromLE(valid)))
	return []Bad{
		{"random", random, group.ErrNonCanonical},
		{"identity", make([]byte, group.ElementSize), group.ErrIdentity},
		{"p+1", le32(new(big.Int).Add(fieldP, big.NewInt(1))), group.ErrNonCanonical},
		{"p+4", le32(new(big.Int).Add(fieldP, big.NewInt(4))), group.ErrNonCanonical},
		{"high-bit", high, group.ErrNonCanonical},
		{"negative", neg, group.ErrNonCanonical},
		{"short", valid[:31], group.ErrMalformed},
		{"long", append(append([]byte(nil), valid...), 0), group.ErrMalformed},
	}, nil
}

// groupOrder is q = 2^252 + 27742317777372353535851937790883648493.
var groupOrder, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

// BadScalars are non-canonical scalar encodings: q, q + 1, the high bit
// set, all ones, and a short one.
func BadScalars() []Bad {
	ones := make([]byte, 32)
	for i := range ones {
		ones[i] = 0xff
	}
	return []Bad{
		{"q", le32(groupOrder), group.ErrNonCanonical},
		{"q+1", le32(new(big.Int).Add(groupOrder, big.NewInt(1))), group.ErrNonCanonical},
		{"all-ones", ones, group.ErrNonCanonical},
		{"short", make([]byte, 31), group.ErrMalformed},
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func decodeDeviceKey(b []byte) error { _, err := keys.DecodeDevicePublicKey(b); return err }

// BadDeviceKeys are malformed Ed25519 public keys: random bytes that are
// no curve point, non-canonical y (y = p + 1, which crypto/ed25519 reads as
// the identity), small-order points (the identity, order 2, 4 and 8), and
// a wrong length.
func BadDeviceKeys(rnd io.Reader) ([]Bad, error) {
	random, err := randomInvalid(rnd, 32, decodeDeviceKey)
	if err != nil {
		return nil, err
	}
	return []Bad{
		{"random", random, group.ErrNonCanonical},
		{"y=p+1", le32(new(big.Int).Add(fieldP, big.NewInt(1))), group.ErrNonCanonical},
		{"identity", mustHex("0100000000000000000000000000000000000000000000000000000000000000"), group.ErrIdentity},
		{"order-2", mustHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), group.ErrIdentity},
		{"order-4", mustHex("0000000000000000000000000000000000000000000000000000000000000080"), group.ErrIdentity},
		{"order-8", mustHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"), group.ErrIdentity},
		{"short", make([]byte, 31), group.ErrMalformed},
	}, nil
}

func decodeProxyKey(b []byte) error { _, err := keys.DecodeProxyPublicKey(b); return err }

// BadProxyKeys are malformed X25519 public keys: random bytes the decoder
// refuses, u = p + 1, the high bit set, small-order u (0, 1, order 8) and
// a wrong length.
func BadProxyKeys(rnd io.Reader) ([]Bad, error) {
	random, err := randomInvalid(rnd, 32, decodeProxyKey)
	if err != nil {
		return nil, err
	}
	high := make([]byte, 32)
	high[0], high[31] = 9, 0x80
	return []Bad{
		{"random", random, group.ErrNonCanonical},
		{"u=p+1", le32(new(big.Int).Add(fieldP, big.NewInt(1))), group.ErrNonCanonical},
		{"high-bit", high, group.ErrNonCanonical},
		{"u=0", make([]byte, 32), group.ErrIdentity},
		{"u=1", mustHex("0100000000000000000000000000000000000000000000000000000000000000"), group.ErrIdentity},
		{"order-8", mustHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"), group.ErrIdentity},
		{"short", make([]byte, 31), group.ErrMalformed},
	}, nil
}
