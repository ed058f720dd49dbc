package crf

import (
	"fmt"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/wire"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// PublicMeta is a published record's public metadata, set by the gateway.
type PublicMeta struct {
	DeviceID     string    // registered device id
	Vault        string    // vault name
	Epoch        uint64    // vault key epoch
	Time         time.Time // gateway time, truncated to the minute (UTC)
	ResourceType string    // FHIR resource type, e.g. "Observation"
}

// Limits of PublicMeta fields.
const (
	MaxIDLen           = 128
	MaxResourceTypeLen = 64
)

// Validate checks the fields: ids 1..MaxIDLen bytes of printable UTF-8, a
// FHIR resource type [A-Z][A-Za-z]*, a minute-aligned UTC time after the
// Unix epoch.
func (m *PublicMeta) Validate() error {
	if !wire.Printable(m.DeviceID, MaxIDLen) || !wire.Printable(m.Vault, MaxIDLen) || !resourceType(m.ResourceType) {
		return ErrPublicMeta
	}
	if m.Time.Unix() <= 0 || !m.Time.Equal(m.Time.Truncate(time.Minute)) || m.Time.Nanosecond() != 0 {
		return ErrPublicMeta
	}
	return nil
}

func resourceType(s string) bool {
	if len(s) == 0 || len(s) > MaxResourceTypeLen || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// Record is a published record: public metadata, exactly two capsules
// (the rerandomized device capsule, then the gateway's masking capsule) and
// the bucket-sized body. It has no wire format of its own: the chain
// message carries its fields (CapsuleBytes, Body, Meta).
type Record struct {
	Meta     PublicMeta
	Capsules [NumCapsules]*pre.Capsule
	Body     []byte
}

// Ciphertext views the record as a library ciphertext (shares the body).
func (r *Record) Ciphertext() *pre.Ciphertext {
	return &pre.Ciphertext{Capsules: r.Capsules[:], Body: r.Body}
}

// CapsuleBytes returns the two capsules' encodings (64 bytes each), the
// form a chain message carries.
func (r *Record) CapsuleBytes() [][]byte {
	return [][]byte{r.Capsules[0].Bytes(), r.Capsules[1].Bytes()}
}

// ValidatePublished is the chain's check of a submitted record, for the
// ante handler (CheckTx and DeliverTx): exactly two capsules, each 64 bytes,
// canonical and neither point the identity, and a body whose length is one
// of envelope.Buckets. It returns the decoded capsules. Errors wrap
// ErrRecord and, for a bad capsule, the group sentinel.
func ValidatePublished(capsules [][]byte, body []byte) ([NumCapsules]*pre.Capsule, error) {
	var out [NumCapsules]*pre.Capsule
	if len(capsules) != NumCapsules {
		return out, fmt.Errorf("%w: %d capsules, want %d", ErrRecord, len(capsules), NumCapsules)
	}
	for i, cb := range capsules {
		c, err := pre.DecodeCapsule(cb)
		if err != nil {
			return out, fmt.Errorf("%w: capsule %d: %w", ErrRecord, i, err)
		}
		out[i] = c
	}
	if !envelope.IsBucket(len(body)) {
		return out, fmt.Errorf("%w: body of %d bytes is not a bucket size", ErrRecord, len(body))
	}
	return out, nil
}
