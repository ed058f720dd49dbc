package keyfile_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

const testWork = 10 // scrypt log2 N for tests (fast)

func TestKeyFilesEncryptedAtRest(t *testing.T) {
	dir := t.TempDir()
	rnd := rand.NewChaCha8([32]byte{3})
	v, _ := keys.GenerateVaultKey(4, rnd)
	d, _ := keys.GenerateDeviceKey(rnd)
	p, _ := keys.GenerateProxyKey(rnd)
	r, _ := keys.GenerateRequesterKey(rnd)
	path := filepath.Join(dir, "vault.key")
	if err := keyfile.Save(path, v, "correct horse", testWork); err != nil {
		t.Fatal(err)
	}
	file, _ := os.ReadFile(path)
	secret, _ := v.MarshalBinary()
	if bytes.Contains(file, secret[9:]) || bytes.Contains(file, v.Scalar().Bytes()) {
		t.Fatal("secret scalar appears in the key file")
	}
	if !strings.HasPrefix(string(file), "-----BEGIN AGE ENCRYPTED FILE-----") {
		t.Fatal("not an armored age file")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	got, err := keyfile.Load(path, "correct horse", keyfile.Vault)
	if err != nil || got.Epoch != 4 || !got.Public().A.Equal(v.Public().A) {
		t.Fatal("load", err)
	}
	if _, err := keyfile.Load(path, "wrong", keyfile.Vault); !errors.Is(err, keyfile.ErrPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := keyfile.Load(path, "", keyfile.Vault); !errors.Is(err, keyfile.ErrPassphrase) {
		t.Fatal("empty passphrase")
	}
	if err := keyfile.Save(path, v, "x", testWork); err == nil {
		t.Fatal("overwrote an existing key file")
	}
	if err := keyfile.Save(filepath.Join(dir, "e.key"), v, "", testWork); !errors.Is(err, keyfile.ErrPassphrase) {
		t.Fatal("empty passphrase accepted for saving")
	}
	// other kinds, and loading the wrong kind
	for name, k := range map[string]interface{ MarshalBinary() ([]byte, error) }{"d": d, "p": p, "r": r} {
		if err := keyfile.Save(filepath.Join(dir, name), k, "pw", testWork); err != nil {
			t.Fatal(err)
		}
	}
	if dk, err := keyfile.Load(filepath.Join(dir, "d"), "pw", keyfile.Device); err != nil || !ed25519.PublicKey(dk.Public().Key).Equal(d.Public().Key) {
		t.Fatal("device load", err)
	}
	if pk, err := keyfile.Load(filepath.Join(dir, "p"), "pw", keyfile.Proxy); err != nil || !bytes.Equal(pk.Public().Bytes(), p.Public().Bytes()) {
		t.Fatal("proxy load", err)
	}
	if rk, err := keyfile.Load(filepath.Join(dir, "r"), "pw", keyfile.Requester); err != nil || !rk.Public().B.Equal(r.Public().B) {
		t.Fatal("requester load", err)
	}
	if _, err := keyfile.Load(filepath.Join(dir, "d"), "pw", keyfile.Requester); !errors.Is(err, keys.ErrKind) {
		t.Fatalf("device file loaded as requester: %v", err)
	}
	// no temporary files left behind
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".medexkey-") {
			t.Fatal("temporary file left behind")
		}
	}
}
