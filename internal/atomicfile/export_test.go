package atomicfile

// SetSyncDir replaces the directory sync for a test and returns a restore
// function.
func SetSyncDir(f func(string) error) (restore func()) {
	old := syncDir
	syncDir = f
	return func() { syncDir = old }
}
