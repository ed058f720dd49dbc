package envelope

import (
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/medexchain/medexchain/x/phr/crypto/internal/wire"
)

// Envelope is an opened (verified and parsed) envelope.
type Envelope struct {
	Meta    Meta
	Payload []byte // FHIR R4 resource as JSON (not interpreted here)
	Size    int    // bucket size of the raw envelope
}

// ErrOpen is the only error Open returns, whatever failed.
var ErrOpen = errors.New("medexchain/envelope: cannot open envelope")

// ErrTooLarge means meta and payload do not fit the largest bucket.
var ErrTooLarge = errors.New("medexchain/envelope: payload too large for the largest bucket")

// ErrSigner means the signer failed or returned something that is not a 64-byte
// signature.
var ErrSigner = errors.New("medexchain/envelope: signer failed")

// Unsigned is an envelope laid out to its bucket size with the signature
// slot still zero. It lets a caller (or a test model of a device) sign with
// its own Ed25519 implementation: sign Message(), then Finish.
type Unsigned struct{ buf []byte }

// Prepare lays out meta and payload into the smallest fitting bucket.
func Prepare(m *Meta, payload []byte) (*Unsigned, error) {
	mb, err := MarshalMeta(m)
	if err != nil {
		return nil, err
	}
	total := fixedOverhead + len(mb) + len(payload)
	size := BucketFor(total)
	if size == 0 {
		return nil, ErrTooLarge
	}
	buf := make([]byte, 0, size)
	buf = wire.AppendU16(buf, Version)
	buf = wire.AppendLP(buf, mb)
	buf = wire.AppendLP(buf, payload)
	buf = buf[:size] // padding and signature slot: zeros (fresh allocation)
	return &Unsigned{buf: buf}, nil
}

// Size is the bucket size of the envelope.
func (u *Unsigned) Size() int { return len(u.buf) }

// Message returns the exact bytes to sign: SignContext ‖ envelope without
// its signature.
func (u *Unsigned) Message() []byte { return SigningMessage(u.buf[:len(u.buf)-SigSize]) }

// Finish writes sig into the signature slot and returns the envelope bytes.
func (u *Unsigned) Finish(sig []byte) ([]byte, error) {
	if len(sig) != SigSize {
		return nil, ErrSigner
	}
	copy(u.buf[len(u.buf)-SigSize:], sig)
	return u.buf, nil
}

// SigningMessage is SignContext ‖ signed, the message Ed25519 signs.
func SigningMessage(signed []byte) []byte {
	msg := make([]byte, 0, len(SignContext)+len(signed))
	msg = append(msg, SignContext...)
	return append(msg, signed...)
}

// Seal builds and signs an envelope. signer is normally an
// ed25519.PrivateKey; any crypto.Signer producing a pure Ed25519 signature
// (opts crypto.Hash(0)) works, which is how a device model can substitute
// its own signing.
func Seal(m *Meta, payload []byte, signer crypto.Signer) ([]byte, error) {
	u, err := Prepare(m, payload)
	if err != nil {
		return nil, err
	}
	sig, err := signer.Sign(nil, u.Message(), crypto.Hash(0))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSigner, err)
	}
	return u.Finish(sig)
}

// parseHook runs when Open starts parsing; tests replace it to prove that
// nothing is parsed before the signature verifies.
var parseHook = func() {}

// Open verifies and parses raw. Order: the length must be a bucket; the
// Ed25519 signature (last 64 bytes) is verified over SignContext ‖ the rest,
// exactly as received; only then is anything parsed. Every failure returns
// ErrOpen (one error, so a decryptor's behaviour does not reveal which check
// failed).
func Open(raw []byte, devicePub ed25519.PublicKey) (*Envelope, error) {
	if !IsBucket(len(raw)) || len(devicePub) != ed25519.PublicKeySize {
		return nil, ErrOpen
	}
	body := raw[:len(raw)-SigSize]
	if !ed25519.Verify(devicePub, SigningMessage(body), raw[len(raw)-SigSize:]) {
		return nil, ErrOpen
	}
	parseHook()
	r := wire.NewReader(body)
	if r.U16() != Version {
		return nil, ErrOpen
	}
	mb := r.LP(MaxSize)
	payload := r.LP(MaxSize)
	if r.Failed() {
		return nil, ErrOpen
	}
	for _, c := range r.Bytes(r.Len()) {
		if c != 0 {
			return nil, ErrOpen
		}
	}
	m, err := UnmarshalMeta(mb)
	if err != nil {
		return nil, ErrOpen
	}
	return &Envelope{Meta: *m, Payload: append([]byte(nil), payload...), Size: len(raw)}, nil
}
