package keystore

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/crypto/cryptobyte"

	"github.com/medexchain/medexchain/internal/atomicfile"
)

// Store keeps grant encodings (public, with this proxy's sealed fragment)
// by grant, and tombstones of deleted grants.
type Store interface {
	// Put stores a grant's encoding; ErrRevoked if the grant was deleted.
	Put(ref GrantRef, grant []byte) error
	// Get returns it; ErrNotFound or ErrRevoked.
	Get(ref GrantRef) ([]byte, error)
	// Delete removes it and records a tombstone (idempotent).
	Delete(ref GrantRef) error
}

// MemStore is an in-memory Store.
type MemStore struct {
	mu      sync.Mutex
	grants  map[GrantRef][]byte
	revoked map[GrantRef]bool
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{grants: map[GrantRef][]byte{}, revoked: map[GrantRef]bool{}}
}

// Put implements Store.
func (m *MemStore) Put(ref GrantRef, grant []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.revoked[ref] {
		return ErrRevoked
	}
	m.grants[ref] = append([]byte(nil), grant...)
	return nil
}

// Get implements Store.
func (m *MemStore) Get(ref GrantRef) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.revoked[ref] {
		return nil, ErrRevoked
	}
	g, ok := m.grants[ref]
	if !ok {
		return nil, ErrNotFound
	}
	return append([]byte(nil), g...), nil
}

// Delete implements Store.
func (m *MemStore) Delete(ref GrantRef) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.grants, ref)
	m.revoked[ref] = true
	return nil
}

// FileStore is a Store in a directory: one file per grant
// (<hash>.grant, mode 0600) holding LP(chain id) ‖ u64 grant id ‖ LP(grant),
// and an empty <hash>.revoked tombstone per deleted grant. <hash> is the
// hex SHA-256 of LP(chain id) ‖ u64 grant id. Writes are atomic (temporary
// file and rename).
type FileStore struct {
	dir string
	mu  sync.Mutex
}

// NewFileStore opens (creating if needed, mode 0700) a store in dir.
func NewFileStore(dir string) (*FileStore, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return &FileStore{dir: dir}, nil
}

// refKey is LP(chain id) ‖ u64 grant id, LP a u32 big-endian length prefix.
func refKey(ref GrantRef) []byte {
	var b cryptobyte.Builder
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(ref.ChainID)) })
	b.AddUint64(ref.GrantID)
	return b.BytesOrPanic()
}

func (f *FileStore) path(ref GrantRef, ext string) string {
	h := sha256.Sum256(refKey(ref))
	return filepath.Join(f.dir, hex.EncodeToString(h[:])+ext)
}

func exists(p string) (bool, error) {
	_, err := os.Lstat(p)
	if err == nil {
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, err
}

// Put implements Store.
func (f *FileStore) Put(ref GrantRef, grant []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if dead, err := exists(f.path(ref, ".revoked")); err != nil {
		return err
	} else if dead {
		return ErrRevoked
	}
	b := cryptobyte.NewBuilder(refKey(ref))
	b.AddUint32LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(grant) })
	data, err := b.Bytes()
	if err != nil {
		return err
	}
	return atomicfile.Write(f.path(ref, ".grant"), data, 0o600)
}

// Get implements Store.
func (f *FileStore) Get(ref GrantRef) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if dead, err := exists(f.path(ref, ".revoked")); err != nil {
		return nil, err
	} else if dead {
		return nil, ErrRevoked
	}
	data, err := os.ReadFile(f.path(ref, ".grant"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r := cryptobyte.String(data)
	var chain, grant []byte
	var id uint64
	if !readLP(&r, &chain) || !r.ReadUint64(&id) || !readLP(&r, &grant) || !r.Empty() ||
		string(chain) != ref.ChainID || id != ref.GrantID {
		return nil, fmt.Errorf("medexchain/keystore: corrupt entry for grant %d", ref.GrantID)
	}
	return append([]byte(nil), grant...), nil
}

// readLP reads a u32 length-prefixed field (cryptobyte writes those but
// reads only up to 24-bit prefixes).
func readLP(r *cryptobyte.String, out *[]byte) bool {
	var n uint32
	return r.ReadUint32(&n) && r.ReadBytes(out, int(n))
}

// Delete implements Store: tombstone first, then remove the entry, so a
// crash in between still refuses the grant.
func (f *FileStore) Delete(ref GrantRef) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := atomicfile.Write(f.path(ref, ".revoked"), nil, 0o600); err != nil {
		return err
	}
	err := os.Remove(f.path(ref, ".grant"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
