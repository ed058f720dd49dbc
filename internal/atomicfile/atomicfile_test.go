package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWithMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("content %q, %v", got, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", info.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

// TestWriteSyncsDirectoryAfterRename: the rename is made durable by syncing
// the directory, after the rename (a sync before it would not cover it).
func TestWriteSyncsDirectoryAfterRename(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "seq")
	var synced []string
	restore := SetSyncDir(func(d string) error {
		got, err := os.ReadFile(path)
		if err != nil || string(got) != "7\n" {
			t.Errorf("directory synced before the rename: %q, %v", got, err)
		}
		synced = append(synced, d)
		return SyncDir(d)
	})
	defer restore()
	if err := Write(path, []byte("7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 1 || synced[0] != dir {
		t.Fatalf("directory syncs %v, want [%s]", synced, dir)
	}
	synced = nil
	restore2 := SetSyncDir(func(d string) error { synced = append(synced, d); return SyncDir(d) })
	defer restore2()
	if err := Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("not removed: %v", err)
	}
	if len(synced) != 1 || synced[0] != dir {
		t.Fatalf("directory syncs after remove %v, want [%s]", synced, dir)
	}
}

func TestSyncDirMissing(t *testing.T) {
	if err := SyncDir(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("syncing a missing directory succeeded")
	}
}
