package subverted

import (
	"crypto"
	"crypto/ed25519"
	"fmt"
	"io"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// KeyedBit domains of the channels.
const (
	CiphertextDomain = "ciphertext" // (a): E ‖ F ‖ body of the device capsule and body
	RecordDomain     = "record"     // (a) without the edge firewall: the whole published ciphertext
	MDomain          = "M"          // M chosen by the device
)

// Device is an IoMT device: its vault key, its signing key, and the
// randomness it uses. Honest() is the reference behaviour; every other
// method is a subverted variant that still produces outputs the vault
// owner can decrypt and whose envelope signature verifies.
type Device struct {
	Vault  *keys.VaultPublicKey
	Signer crypto.Signer // normally the device's ed25519.PrivateKey
	Rand   io.Reader     // the device's randomness (seeded in experiments)
	Key    Key           // subversion key shared with the accomplice
	Tries  int           // rejection-sampling budget per record (8: leak 1 − 2^-8)
}

// Reading is what the device encrypts for one record.
type Reading struct {
	Meta    *envelope.Meta
	Payload []byte
}

// Honest is the reference device: pre.DeviceEncrypt.
func (d *Device) Honest(r Reading) (*pre.Ciphertext, error) {
	return pre.DeviceEncrypt(d.Vault, r.Meta, r.Payload, d.Signer, d.Rand)
}

// DecodeCiphertext is the accomplice's decoder of channel (a) on a device
// output: the keyed bit of its capsule and body (E ‖ F ‖ body).
func DecodeCiphertext(k Key, c *pre.Capsule, body []byte) uint8 {
	return KeyedBit(k, CiphertextDomain, c.E.Bytes(), c.F.Bytes(), body)
}

// RejectionSampling is channel (a): the device signs once, then redraws
// its encryption randomness (m, r) until the keyed bit of its ciphertext
// bytes equals bit. Every candidate is an honest encryption of the same
// envelope, so the output decrypts and verifies like an honest one.
// embedded reports whether the bit made it in within Tries draws.
func (d *Device) RejectionSampling(r Reading, bit uint8) (ct *pre.Ciphertext, embedded bool, err error) {
	env, err := envelope.Seal(r.Meta, r.Payload, d.Signer)
	if err != nil {
		return nil, false, err
	}
	return Sample(d.Tries, bit, func() (*pre.Ciphertext, error) {
		return pre.Seal(d.Vault, env, d.Rand)
	}, func(ct *pre.Ciphertext) uint8 {
		return DecodeCiphertext(d.Key, ct.Capsules[0], ct.Body)
	})
}

// RejectionSamplingPublished is channel (a) for a deployment without an
// edge firewall: the device itself produces the published two-capsule
// form (its capsule plus a second layer drawn from its own randomness) and
// steers the keyed bit of the whole published ciphertext encoding.
func (d *Device) RejectionSamplingPublished(r Reading, bit uint8) (ct *pre.Ciphertext, embedded bool, err error) {
	env, err := envelope.Seal(r.Meta, r.Payload, d.Signer)
	if err != nil {
		return nil, false, err
	}
	return Sample(d.Tries, bit, func() (*pre.Ciphertext, error) {
		ct, err := pre.Seal(d.Vault, env, d.Rand)
		if err != nil {
			return nil, err
		}
		if err := pre.AddLayer(ct, d.Vault, d.Rand); err != nil {
			return nil, err
		}
		return ct, nil
	}, func(ct *pre.Ciphertext) uint8 {
		return KeyedBit(d.Key, RecordDomain, ct.Bytes())
	})
}

// UnpaddedLength is channel (b), fine-grained: the device encodes bit in
// the exact body length by skipping bucket padding (body length =
// unpadded envelope length + bit). Such a body is not a bucket size: the
// edge firewall (and the chain) refuse it. The capsule and keystream are
// real; the envelope is laid out and signed like an honest one but cut to
// its unpadded length.
func (d *Device) UnpaddedLength(r Reading, bit uint8) (*pre.Ciphertext, error) {
	meta, err := envelope.MarshalMeta(r.Meta)
	if err != nil {
		return nil, err
	}
	n := 2 + 4 + len(meta) + 4 + len(r.Payload) + int(bit) + envelope.SigSize
	u, err := envelope.Prepare(r.Meta, r.Payload)
	if err != nil {
		return nil, err
	}
	full, err := u.Finish(make([]byte, envelope.SigSize))
	if err != nil {
		return nil, err
	}
	signed := append([]byte(nil), full[:n-envelope.SigSize]...)
	sig, err := d.Signer.Sign(nil, envelope.SigningMessage(signed), crypto.Hash(0))
	if err != nil {
		return nil, err
	}
	body := append(signed, sig...)
	m, err := group.RandomScalar(d.Rand)
	if err != nil {
		return nil, err
	}
	rr, err := group.RandomScalar(d.Rand)
	if err != nil {
		return nil, err
	}
	return sealWith(d.Vault, body, new(group.Element).BaseMul(m), rr), nil
}

// WhitespaceLength is channel (b) within a bucket: bit adds extraBytes of
// JSON whitespace to the payload. If the padded envelope stays in the same
// bucket the published length does not change; if extraBytes pushes it to
// the next bucket (BucketChoice) the length carries the bit.
func (d *Device) WhitespaceLength(r Reading, bit uint8, extraBytes int) (*pre.Ciphertext, error) {
	p := r.Payload
	if bit == 1 {
		p = append(append([]byte(nil), p...), make([]byte, extraBytes)...)
		for i := len(r.Payload); i < len(p); i++ {
			p[i] = ' '
		}
	}
	return pre.DeviceEncrypt(d.Vault, r.Meta, p, d.Signer, d.Rand)
}

// BucketChoice is channel (b) across buckets: for bit 1 the device pads
// its payload so the envelope lands in the next bucket up. A perfectly
// valid record: the firewall cannot tell it from a longer reading.
func (d *Device) BucketChoice(r Reading, bit uint8) (*pre.Ciphertext, error) {
	mb, err := envelope.MarshalMeta(r.Meta)
	if err != nil {
		return nil, err
	}
	honest := envelope.BucketFor(2 + 4 + len(mb) + 4 + len(r.Payload) + envelope.SigSize)
	extra := honest + 1 - (2 + 4 + len(mb) + 4 + len(r.Payload) + envelope.SigSize) // one byte past the bucket
	return d.WhitespaceLength(r, bit, extra)
}

// DecodeLength is the accomplice's decoder of (b): 1 iff the body is longer
// than the honest bucket of this reading.
func DecodeLength(honestBucket, bodyLen int) uint8 {
	if bodyLen > honestBucket {
		return 1
	}
	return 0
}

// DecodeLengthParity decodes the fine-grained length channel.
func DecodeLengthParity(bodyLen int) uint8 { return uint8(bodyLen & 1) }

// CapsuleCount is channel (d): for bit 1 the device emits two capsules (a
// second layer from its own randomness, still decryptable by the vault
// owner), for bit 0 one.
func (d *Device) CapsuleCount(r Reading, bit uint8) (*pre.Ciphertext, error) {
	ct, err := d.Honest(r)
	if err != nil || bit == 0 {
		return ct, err
	}
	return ct, pre.AddLayer(ct, d.Vault, d.Rand)
}

// ReportedTime is channel (c): the time the device reports to its gateway
// alongside its output, whose minute parity carries bit (the device shifts
// its true reading time by one minute when needed; a leak in the seconds
// would not even survive coarsening to the minute). A gateway that copies
// this time into public metadata, even coarsened, publishes the bit.
func ReportedTime(trueTime time.Time, bit uint8) time.Time {
	t := trueTime.UTC()
	if DecodeTime(t) != bit {
		t = t.Add(time.Minute)
	}
	return t
}

// DecodeTime is the accomplice's decoder of (c) on published time:
// the parity of the minute.
func DecodeTime(t time.Time) uint8 { return uint8((t.Unix() / 60) & 1) }

// ChooseM is the decryptor-side channel through M: the device draws m until
// the keyed bit of enc(M) equals bit, then encrypts honestly with that M.
// The edge firewall rerandomizes the capsule and adds a layer, but M, which
// every decryptor recovers, is unchanged.
func (d *Device) ChooseM(r Reading, bit uint8) (ct *pre.Ciphertext, embedded bool, err error) {
	env, err := envelope.Seal(r.Meta, r.Payload, d.Signer)
	if err != nil {
		return nil, false, err
	}
	M, ok, err := Sample(d.Tries, bit, func() (*group.Element, error) {
		m, err := group.RandomScalar(d.Rand)
		if err != nil {
			return nil, err
		}
		return new(group.Element).BaseMul(m), nil
	}, func(M *group.Element) uint8 { return DecodeM(d.Key, M) })
	if err != nil {
		return nil, false, err
	}
	rr, err := group.RandomScalar(d.Rand)
	if err != nil {
		return nil, false, err
	}
	return sealWith(d.Vault, env, M, rr), ok, nil
}

// sealWith is pre.Seal with the device's own choice of M and r: the
// capsule (g^r, M·A^r) and the envelope XORed with the keystream of
// BodyKey(M), built from pre's exported steps so that pre keeps no
// production entry point for chosen randomness.
func sealWith(vault *keys.VaultPublicKey, env []byte, M *group.Element, r *group.Scalar) *pre.Ciphertext {
	c, K := pre.Encapsulate(vault.A, M, r)
	body := append([]byte(nil), env...)
	pre.XORKeystream(&K, body)
	return &pre.Ciphertext{Capsules: []*pre.Capsule{c}, Body: body}
}

// DecodeM is the accomplice's decoder of the M channel (run by a
// decryptor who recovered M).
func DecodeM(k Key, M *group.Element) uint8 { return KeyedBit(k, MDomain, M.Bytes()) }

// SubvertedNonce is the decryptor-side channel through the Ed25519 nonce:
// the envelope is signed by a NonceSigner that steers R; everything else is
// honest.
func (d *Device) SubvertedNonce(r Reading, bit uint8, priv ed25519.PrivateKey) (ct *pre.Ciphertext, embedded bool, err error) {
	s := (&NonceSigner{Priv: priv, Key: d.Key, Rand: d.Rand, Tries: d.Tries}).Signer(bit)
	ct, err = pre.DeviceEncrypt(d.Vault, r.Meta, r.Payload, s, d.Rand)
	return ct, s.Embedded, err
}

// OwnerM recovers the M of capsule c with the vault secret: M = F / E^a.
// (What every decryptor computes; pre.DecryptOwner does it internally.)
func OwnerM(vault *keys.VaultSecretKey, c *pre.Capsule) *group.Element {
	Ea := new(group.Element).Mul(c.E, vault.Scalar())
	return new(group.Element).Sub(c.F, Ea)
}

// RequesterD recomputes a requester's grant secret d = H2S("d", suite,
// chain id, u64 grant id, vault, u64 epoch, A, X, B, X^b) (docs/crypto.md §4;
// pre keeps d unexported) and checks C_0^d = A, so a change of the
// derivation in pre is detected here rather than silently mis-measured.
func RequesterD(req *keys.RequesterSecretKey, ctx pre.GrantContext, A *group.Element, g *pre.Grant) (*group.Scalar, error) {
	Xb := new(group.Element).Mul(g.X, req.Scalar())
	d := group.H2S("d", []byte(group.Suite), []byte(ctx.ChainID), group.U64(ctx.GrantID),
		[]byte(ctx.Vault), group.U64(ctx.Epoch), A.Bytes(), g.X.Bytes(), req.Public().B.Bytes(), Xb.Bytes())
	if !new(group.Element).Mul(g.C0(), d).Equal(A) {
		return nil, fmt.Errorf("subverted: recomputed d does not match the grant (pre changed its derivation?)")
	}
	return d, nil
}

// RequesterM recovers M from a first-level capsule with d: M = F / E'^d.
func RequesterM(d *group.Scalar, fl *pre.FirstLevel) *group.Element {
	Ar := new(group.Element).Mul(fl.EPrime, d)
	return new(group.Element).Sub(fl.F, Ar)
}
