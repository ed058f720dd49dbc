package cryptobench

// AFGH-style pairing proxy re-encryption (Ateniese, Fu, Green, Hohenberger,
// "Improved Proxy Re-Encryption Schemes with Applications to Secure
// Distributed Storage", NDSS 2005, §3.1 "A new proxy re-encryption scheme"),
// adapted to the asymmetric (type-3) pairing of BLS12-381:
//
//	params   g1 ∈ G1, g2 ∈ G2, Z = e(g1, g2) ∈ Gt
//	keygen   sk = a, pk = (g1^a ∈ G1, g2^a ∈ G2)
//	enc2     k random: c = (pk1^k = g1^{ak} ∈ G1, m·Z^k ∈ Gt)        (second level)
//	rekey    rk_{A→B} = (g2^b)^{1/a} = g2^{b/a} ∈ G2
//	reenc    (α, β) → (e(α, rk) = Z^{bk}, β)                            (first level)
//	dec2     m = β / e(α, g2)^{1/a}
//	dec1     m = β / α^{1/b}
//
// Used as a KEM/DEM exactly like our scheme: m is a fresh uniform element of
// Gt (m = Z^u for random u), the body key is HKDF-SHA-512(enc(m)) and the
// envelope is XORed with the ChaCha20 keystream under it. Z is a fixed public
// parameter, so both Z^k and Z^u are fixed-base exponentiations; the
// benchmark offers circl's generic Gt.Exp and a precomputed fixed-base table
// (the fair analogue of the fixed-base tables ristretto255 uses for g).
// pk1^k is a variable-base G1 multiplication, like A^r in our scheme.
//
// This lives in the benchmark package only; it is a baseline, not a product.

import (
	"crypto/sha512"
	"io"

	"github.com/cloudflare/circl/ecc/bls12381"
	"golang.org/x/crypto/chacha20"
	"golang.org/x/crypto/hkdf"
)

// AFGHParams holds the public parameters and the optional fixed-base table for Z.
type AFGHParams struct {
	G1 *bls12381.G1
	G2 *bls12381.G2
	Z  *bls12381.Gt
	// zTable[i][j] = Z^(j·16^i), i over the 64 nibbles of a 256-bit exponent.
	zTable *[64][16]bls12381.Gt
}

// NewAFGHParams computes Z = e(g1, g2). With fixedBase it also precomputes
// the 64×16 table for fixed-base exponentiation of Z (about 590 KB).
func NewAFGHParams(fixedBase bool) *AFGHParams {
	p := &AFGHParams{G1: bls12381.G1Generator(), G2: bls12381.G2Generator()}
	p.Z = bls12381.Pair(p.G1, p.G2)
	if fixedBase {
		t := new([64][16]bls12381.Gt)
		base := *p.Z
		for i := 0; i < 64; i++ {
			t[i][0].SetIdentity()
			for j := 1; j < 16; j++ {
				t[i][j].Mul(&t[i][j-1], &base)
			}
			// base ← base^16
			var b16 bls12381.Gt
			b16.Mul(&t[i][15], &base)
			base = b16
		}
		p.zTable = t
	}
	return p
}

// ExpZ returns Z^k, with the fixed-base table when present. The table walk
// is variable-time in the exponent's nibbles; this is a speed baseline.
func (p *AFGHParams) ExpZ(k *bls12381.Scalar) *bls12381.Gt {
	out := new(bls12381.Gt)
	if p.zTable == nil {
		out.Exp(p.Z, k)
		return out
	}
	b, _ := k.MarshalBinary() // big-endian, 32 bytes
	out.SetIdentity()
	for i := 0; i < 64; i++ {
		byt := b[31-i/2]
		nib := byt & 0x0f
		if i%2 == 1 {
			nib = byt >> 4
		}
		if nib != 0 {
			out.Mul(out, &p.zTable[i][nib])
		}
	}
	return out
}

// AFGHKey is a key pair.
type AFGHKey struct {
	SK  bls12381.Scalar
	PK1 bls12381.G1
	PK2 bls12381.G2
}

// NewAFGHKey draws a key pair.
func (p *AFGHParams) NewAFGHKey(rnd io.Reader) (*AFGHKey, error) {
	k := new(AFGHKey)
	if err := randNonZero(&k.SK, rnd); err != nil {
		return nil, err
	}
	k.PK1.ScalarMult(&k.SK, p.G1)
	k.PK2.ScalarMult(&k.SK, p.G2)
	return k, nil
}

func randNonZero(s *bls12381.Scalar, rnd io.Reader) error {
	for {
		if err := s.Random(rnd); err != nil {
			return err
		}
		if s.IsZero() == 0 {
			return nil
		}
	}
}

// AFGHCiphertext2 is a second-level ciphertext plus its DEM body.
type AFGHCiphertext2 struct {
	Alpha bls12381.G1 // g1^{ak}
	Beta  bls12381.Gt // m·Z^k
	Body  []byte
}

// Size is the serialized size: compressed G1 (48) + Gt (576) + body.
func (c *AFGHCiphertext2) Size() int {
	return bls12381.G1SizeCompressed + bls12381.GtSize + len(c.Body)
}

// Encrypt2 is the AFGH second-level encryption used as a KEM/DEM over envelope.
func (p *AFGHParams) Encrypt2(rnd io.Reader, pk1 *bls12381.G1, envelope []byte) (*AFGHCiphertext2, error) {
	var k, u bls12381.Scalar
	if err := randNonZero(&k, rnd); err != nil {
		return nil, err
	}
	if err := randNonZero(&u, rnd); err != nil {
		return nil, err
	}
	m := p.ExpZ(&u) // fresh uniform m ∈ Gt
	c := new(AFGHCiphertext2)
	c.Alpha.ScalarMult(&k, pk1)
	c.Beta.Mul(m, p.ExpZ(&k))
	body, err := afghDEM(m, envelope)
	if err != nil {
		return nil, err
	}
	c.Body = body
	return c, nil
}

// AFGHReKey returns rk_{A→B} = pkB2^{1/a}.
func AFGHReKey(a *AFGHKey, pkB2 *bls12381.G2) *bls12381.G2 {
	var inv bls12381.Scalar
	inv.Inv(&a.SK)
	rk := new(bls12381.G2)
	rk.ScalarMult(&inv, pkB2)
	return rk
}

// AFGHCiphertext1 is a first-level (re-encrypted) ciphertext.
type AFGHCiphertext1 struct {
	Alpha bls12381.Gt // Z^{bk}
	Beta  bls12381.Gt
	Body  []byte
}

// AFGHReEncrypt turns a second-level ciphertext into a first-level one for B.
func AFGHReEncrypt(rk *bls12381.G2, c *AFGHCiphertext2) *AFGHCiphertext1 {
	return &AFGHCiphertext1{Alpha: *bls12381.Pair(&c.Alpha, rk), Beta: c.Beta, Body: c.Body}
}

// Decrypt2 opens a second-level ciphertext with the delegator's key.
func (p *AFGHParams) Decrypt2(a *AFGHKey, c *AFGHCiphertext2) ([]byte, error) {
	var inv bls12381.Scalar
	inv.Inv(&a.SK)
	var zk, m bls12381.Gt
	zk.Exp(bls12381.Pair(&c.Alpha, p.G2), &inv)
	zk.Inv(&zk)
	m.Mul(&c.Beta, &zk)
	return afghDEM(&m, c.Body)
}

// AFGHDecrypt1 opens a first-level ciphertext with the delegatee's key.
func AFGHDecrypt1(b *AFGHKey, c *AFGHCiphertext1) ([]byte, error) {
	var inv bls12381.Scalar
	inv.Inv(&b.SK)
	var zk, m bls12381.Gt
	zk.Exp(&c.Alpha, &inv)
	zk.Inv(&zk)
	m.Mul(&c.Beta, &zk)
	return afghDEM(&m, c.Body)
}

// afghDEM XORs data with ChaCha20 (zero nonce) under HKDF-SHA-512(enc(m)),
// the same DEM as our scheme so that only the KEM differs.
func afghDEM(m *bls12381.Gt, data []byte) ([]byte, error) {
	enc, err := m.MarshalBinary()
	if err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha512.New, enc, []byte("afgh-baseline/body-key"), []byte("afgh-bls12381")), key); err != nil {
		return nil, err
	}
	var nonce [chacha20.NonceSize]byte
	s, err := chacha20.NewUnauthenticatedCipher(key, nonce[:])
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	s.XORKeyStream(out, data)
	return out, nil
}
