// Package atomicfile writes a file so that a crash, or a power loss, leaves
// the old content or the new, never half of it, and never forgets a write it
// reported done: a temporary file next to the target, synced, renamed over
// it, and then the directory synced, since the rename lives in the directory
// and is not durable until the directory is.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path with mode perm. The mode is set before any byte is
// written, so secrets are never readable by others, even briefly. When Write
// returns nil the new content survives a power loss.
func Write(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir is SyncDir; a test replaces it to see when it runs.
var syncDir = SyncDir

// SyncDir makes the entries of directory dir durable: a file created,
// renamed into or removed from it before SyncDir returns stays so after a
// power loss.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		d.Close()
		return err
	}
	return d.Close()
}

// Remove removes path and syncs its directory, so the removal is durable.
func Remove(path string) error {
	if err := os.Remove(path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}
