// Package atomicfile writes a file so that a crash leaves the old content or
// the new, never half of it: a temporary file next to the target, synced, then
// renamed over it.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path with mode perm. The mode is set before any byte is
// written, so secrets are never readable by others, even briefly.
func Write(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
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
	return os.Rename(tmp.Name(), path)
}
