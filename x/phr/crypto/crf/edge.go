package crf

import (
	"fmt"
	"io"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// EdgeFirewall sanitizes a device's output (the pre.Ciphertext encoding)
// into a published record. It refuses anything but exactly one capsule and
// a bucket-sized body (ErrDeviceOutput), then:
//
//  1. rerandomizes the device capsule: (E, F) → (E·g^s, F·A^s), s fresh;
//  2. adds a masking capsule for a fresh M' and XORs the body with the
//     keystream of HKDF(M');
//  3. attaches meta, with Time truncated to the minute (UTC).
//
// rnd must be real randomness (crypto/rand) in production: the guarantee
// (the published record is distributed like an honest encryption of a
// bucket-sized plaintext, whatever the device's randomness) rests on s, M'
// and r' being unknown to the device and its accomplices. vault is the
// vault key of meta.Epoch as registered on chain; meta comes from the
// gateway's own registry and clock, never from the device.
func EdgeFirewall(vault *keys.VaultPublicKey, deviceOutput []byte, meta PublicMeta, rnd io.Reader) (*Record, error) {
	ct, err := pre.DecodeCiphertext(deviceOutput)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDeviceOutput, err)
	}
	return EdgeFirewallCiphertext(vault, ct, meta, rnd)
}

// EdgeFirewallCiphertext is EdgeFirewall on a decoded ciphertext (in
// process). ct is not modified.
func EdgeFirewallCiphertext(vault *keys.VaultPublicKey, ct *pre.Ciphertext, meta PublicMeta, rnd io.Reader) (*Record, error) {
	if ct == nil || len(ct.Capsules) != 1 {
		return nil, fmt.Errorf("%w: exactly one capsule required", ErrDeviceOutput)
	}
	// Re-check what DecodeCiphertext guarantees, for in-process callers.
	c := ct.Capsules[0]
	if c == nil || c.E == nil || c.F == nil || c.E.IsIdentity() || c.F.IsIdentity() {
		return nil, fmt.Errorf("%w: %w", ErrDeviceOutput, group.ErrIdentity)
	}
	if !envelope.IsBucket(len(ct.Body)) {
		return nil, fmt.Errorf("%w: body of %d bytes is not a bucket size", ErrDeviceOutput, len(ct.Body))
	}
	meta.Time = meta.Time.UTC().Round(0).Truncate(time.Minute) // Round(0) drops the monotonic reading
	if err := meta.Validate(); err != nil {
		return nil, err
	}
	s, err := group.RandomScalar(rnd)
	if err != nil {
		return nil, err
	}
	defer s.Erase()
	out := &pre.Ciphertext{
		Capsules: []*pre.Capsule{c.Rerandomize(vault.A, s)},
		Body:     append([]byte(nil), ct.Body...),
	}
	if err := pre.AddLayer(out, vault, rnd); err != nil {
		return nil, err
	}
	return &Record{Meta: meta, Capsules: [NumCapsules]*pre.Capsule{out.Capsules[0], out.Capsules[1]}, Body: out.Body}, nil
}
