package pre

import (
	"crypto/ed25519"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// DecryptOwner recovers the raw envelope bytes with the vault secret:
// M_j = F_j / E_j^a for every capsule, then the body XOR all keystreams.
// It does not check the signature (OpenOwner does); use it only when the
// caller verifies the envelope itself.
func DecryptOwner(vault *keys.VaultSecretKey, ct *Ciphertext) ([]byte, error) {
	if len(ct.Capsules) == 0 || !envelope.IsBucket(len(ct.Body)) {
		return nil, ErrDecrypt
	}
	body := append([]byte(nil), ct.Body...)
	a := vault.Scalar()
	for _, c := range ct.Capsules {
		Ar := new(group.Element).Mul(c.E, a)
		M := new(group.Element).Sub(c.F, Ar)
		Ar.Erase()
		unmask(body, M)
	}
	return body, nil
}

// OpenOwner decrypts all-or-nothing: every keystream is removed, then the
// envelope's signature is checked against the device key before anything is
// parsed. Every failure is ErrDecrypt. The caller then compares the returned
// Meta with the on-chain record (patient, vault, epoch, device) and checks
// that the sequence number is new.
func OpenOwner(vault *keys.VaultSecretKey, ct *Ciphertext, device ed25519.PublicKey) (*envelope.Envelope, error) {
	raw, err := DecryptOwner(vault, ct)
	if err != nil {
		return nil, ErrDecrypt
	}
	return openEnvelope(raw, device)
}
