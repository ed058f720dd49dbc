// Package keyfile reads and writes medexchain secret key files: the secret
// encoding of one key (x/phr/crypto/keys), encrypted with age to an scrypt
// (passphrase) recipient and ASCII-armored. The secret never touches the disk
// in the clear: it is encrypted in memory and written to a temporary file
// (mode 0600) in the target directory, then renamed.
//
// The loaders check the key's kind, so a device key file given where a
// requester key is expected is named as such instead of failing to decode.
// flags.go reads the passphrase and the file named by a command's flag.
package keyfile

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
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// DefaultWorkFactor is age's scrypt work factor (log2 N) for new key files:
// age's own default, about one second here.
const DefaultWorkFactor = 18

// MaxWorkFactor is the largest scrypt work factor a key file may demand
// when loaded (2^20 × 1 KiB = 1 GiB of memory); larger ones are refused
// rather than allowed to exhaust the machine.
const MaxWorkFactor = 20

// MaxFileSize bounds what Read reads.
const MaxFileSize = 64 << 10

// ErrPassphrase means the passphrase is empty, or wrong for this file (or the
// file is not a key file).
var ErrPassphrase = errors.New("medexchain/keyfile: wrong passphrase or not a key file")

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
		return nil, fmt.Errorf("medexchain/keyfile: work factor %d above %d", workFactor, MaxWorkFactor)
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
	secret, err := io.ReadAll(io.LimitReader(r, MaxFileSize))
	if err != nil {
		return nil, ErrPassphrase
	}
	return secret, nil
}

// Save encrypts key's secret encoding under passphrase and writes it to
// path (mode 0600). It refuses to overwrite an existing file.
func Save(path string, key encoding.BinaryMarshaler, passphrase string, workFactor int) error {
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
		return fmt.Errorf("medexchain/keyfile: %s exists; refusing to overwrite a key file", path)
	}
	return atomicfile.Write(path, file, 0o600)
}

// Read reads and decrypts a key file, returning the secret encoding and its
// kind. The caller clears the returned slice; the typed loaders (Load) decode
// it.
func Read(path, passphrase string) ([]byte, keys.Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	file, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, 0, err
	}
	if len(file) > MaxFileSize {
		return nil, 0, ErrPassphrase
	}
	secret, err := DecryptSecret(file, passphrase)
	if err != nil {
		return nil, 0, err
	}
	if len(secret) == 0 {
		return nil, 0, ErrPassphrase
	}
	return secret, keys.Kind(secret[0]), nil
}

// Kind is one kind of secret key with its decoder.
type Kind[K any] struct {
	kind   keys.Kind
	decode func([]byte) (K, error)
}

// The four kinds of key file.
var (
	Vault     = Kind[*keys.VaultSecretKey]{keys.KindVault, keys.UnmarshalVaultSecret}
	Requester = Kind[*keys.RequesterSecretKey]{keys.KindRequester, keys.UnmarshalRequesterSecret}
	Proxy     = Kind[*keys.ProxySecretKey]{keys.KindProxy, keys.UnmarshalProxySecret}
	Device    = Kind[*keys.DeviceSecretKey]{keys.KindDevice, keys.UnmarshalDeviceSecret}
)

// String is the kind's name ("vault", "requester", "proxy", "device").
func (k Kind[K]) String() string { return k.kind.String() }

// Load reads the key file at path and decodes it as kind k. A file of another
// kind is refused with an error wrapping keys.ErrKind that names both kinds;
// every error names the file.
func Load[K any](path, passphrase string, k Kind[K]) (K, error) {
	var zero K
	secret, kind, err := Read(path, passphrase)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	defer clear(secret)
	if kind != k.kind {
		return zero, fmt.Errorf("%s is a %s key file, not a %s key file: %w", path, kind, k.kind, keys.ErrKind)
	}
	key, err := k.decode(secret)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}
