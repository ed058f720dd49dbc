package pre

import (
	"fmt"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/wire"
)

// Ciphertext is a record in the library's general form: one or more
// capsules and a bucket-sized body XORed with every capsule's keystream.
// The device emits one capsule; the published form (package crf) has
// exactly two.
//
// Encoding: u8 n ‖ n × capsule (64) ‖ u32 len(body) ‖ body, with
// 1 ≤ n ≤ MaxCapsules and len(body) one of envelope.Buckets.
type Ciphertext struct {
	Capsules []*Capsule
	Body     []byte
}

// Bytes returns the encoding.
func (ct *Ciphertext) Bytes() []byte {
	b := make([]byte, 0, 1+len(ct.Capsules)*CapsuleSize+4+len(ct.Body))
	b = wire.AppendU8(b, uint8(len(ct.Capsules)))
	for _, c := range ct.Capsules {
		b = append(b, c.Bytes()...)
	}
	return wire.AppendLP(b, ct.Body)
}

// DecodeCiphertext decodes strictly.
func DecodeCiphertext(b []byte) (*Ciphertext, error) {
	r := wire.NewReader(b)
	n := int(r.U8())
	if r.Failed() || n < 1 || n > MaxCapsules {
		return nil, fmt.Errorf("ciphertext: %w: capsule count", group.ErrMalformed)
	}
	ct := &Ciphertext{Capsules: make([]*Capsule, n)}
	for i := range ct.Capsules {
		cb := r.Bytes(CapsuleSize)
		if r.Failed() {
			return nil, fmt.Errorf("ciphertext: %w", group.ErrMalformed)
		}
		c, err := DecodeCapsule(cb)
		if err != nil {
			return nil, fmt.Errorf("ciphertext capsule %d: %w", i, err)
		}
		ct.Capsules[i] = c
	}
	body := r.LP(envelope.MaxSize)
	if err := r.Done(); err != nil || !envelope.IsBucket(len(body)) {
		return nil, fmt.Errorf("ciphertext: %w: body", group.ErrMalformed)
	}
	ct.Body = append([]byte(nil), body...)
	return ct, nil
}
