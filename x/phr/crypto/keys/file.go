package keys

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"os"

	"filippo.io/age"
	"filippo.io/age/armor"

	"github.com/medexchain/medexchain/internal/atomicfile"
)

// Key files are the secret encoding of one key, encrypted with age to an
// scrypt (passphrase) recipient and ASCII-armored. The secret never touches
// the disk in the clear: it is encrypted in memory and written to a
// temporary file (mode 0600) in the target directory, then renamed.

// DefaultWorkFactor is age's scrypt work factor (log2 N) for new key files:
// age's own default, about one second here.
const DefaultWorkFactor = 18

// MaxWorkFactor is the largest scrypt work factor a key file may demand
// when loaded (2^20 × 1 KiB = 1 GiB of memory); larger ones are refused
// rather than allowed to exhaust the machine.
const MaxWorkFactor = 20

// MaxKeyFileSize bounds what LoadKeyFile reads.
const MaxKeyFileSize = 64 << 10

// ErrPassphrase: the passphrase is empty, or wrong for this file (or the
// file is not a key file).
var ErrPassphrase = errors.New("medexchain/keys: wrong passphrase or not a key file")

// EncryptSecret returns the armored age encryption of secret under
// passphrase. workFactor ≤ 0 means DefaultWorkFactor (tests use ~10).
func EncryptSecret(secret []byte, passphrase string, workFactor int) ([]byte, error) {
	if passphrase == "" {
		return nil, ErrPassphrase
	}
	rcp, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, err
	}
	if workFactor <= 0 {
		workFactor = DefaultWorkFactor
	}
	if workFactor > MaxWorkFactor {
		return nil, fmt.Errorf("medexchain/keys: work factor %d above %d", workFactor, MaxWorkFactor)
	}
	rcp.SetWorkFactor(workFactor)
	var out bytes.Buffer
	aw := armor.NewWriter(&out)
	w, err := age.Encrypt(aw, rcp)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(secret); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// DecryptSecret reverses EncryptSecret.
func DecryptSecret(file []byte, passphrase string) ([]byte, error) {
	if passphrase == "" {
		return nil, ErrPassphrase
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, ErrPassphrase
	}
	id.SetMaxWorkFactor(MaxWorkFactor)
	r, err := age.Decrypt(armor.NewReader(bytes.NewReader(file)), id)
	if err != nil {
		return nil, ErrPassphrase
	}
	secret, err := io.ReadAll(io.LimitReader(r, MaxKeyFileSize))
	if err != nil {
		return nil, ErrPassphrase
	}
	return secret, nil
}

// SaveKeyFile encrypts key's secret encoding under passphrase and writes it
// to path (mode 0600). It refuses to overwrite an existing file.
func SaveKeyFile(path string, key encoding.BinaryMarshaler, passphrase string, workFactor int) error {
	secret, err := key.MarshalBinary()
	if err != nil {
		return err
	}
	defer clear(secret)
	file, err := EncryptSecret(secret, passphrase, workFactor)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("medexchain/keys: %s exists; refusing to overwrite a key file", path)
	}
	return atomicfile.Write(path, file, 0o600)
}

// LoadKeyFile reads and decrypts a key file, returning the secret encoding
// and its kind. The caller decodes it with the Unmarshal* of that kind (or
// use the typed loaders below) and clears the returned slice.
func LoadKeyFile(path, passphrase string) ([]byte, Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	file, err := io.ReadAll(io.LimitReader(f, MaxKeyFileSize+1))
	if err != nil {
		return nil, 0, err
	}
	if len(file) > MaxKeyFileSize {
		return nil, 0, ErrPassphrase
	}
	secret, err := DecryptSecret(file, passphrase)
	if err != nil {
		return nil, 0, err
	}
	if len(secret) == 0 {
		return nil, 0, ErrPassphrase
	}
	return secret, Kind(secret[0]), nil
}

// LoadVaultKey loads a vault key file.
func LoadVaultKey(path, passphrase string) (*VaultSecretKey, error) {
	s, _, err := LoadKeyFile(path, passphrase)
	if err != nil {
		return nil, err
	}
	defer clear(s)
	return UnmarshalVaultSecret(s)
}

// LoadRequesterKey loads a requester key file.
func LoadRequesterKey(path, passphrase string) (*RequesterSecretKey, error) {
	s, _, err := LoadKeyFile(path, passphrase)
	if err != nil {
		return nil, err
	}
	defer clear(s)
	return UnmarshalRequesterSecret(s)
}

// LoadProxyKey loads a proxy key file.
func LoadProxyKey(path, passphrase string) (*ProxySecretKey, error) {
	s, _, err := LoadKeyFile(path, passphrase)
	if err != nil {
		return nil, err
	}
	defer clear(s)
	return UnmarshalProxySecret(s)
}

// LoadDeviceKey loads a device key file.
func LoadDeviceKey(path, passphrase string) (*DeviceSecretKey, error) {
	s, _, err := LoadKeyFile(path, passphrase)
	if err != nil {
		return nil, err
	}
	defer clear(s)
	return UnmarshalDeviceSecret(s)
}
