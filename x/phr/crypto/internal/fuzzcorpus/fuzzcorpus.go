// Package fuzzcorpus writes seed corpora for go test -fuzz targets into
// testdata/fuzz/<Target>/ in Go's corpus file format, so that the seeds are
// committed and also run as plain tests. Tests call Write from a test that
// does nothing unless MEDEX_WRITE_FUZZ_CORPUS=1:
//
//	MEDEX_WRITE_FUZZ_CORPUS=1 go test -run TestWriteFuzzCorpus ./x/phr/crypto/...
package fuzzcorpus

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Enabled reports whether corpus writing was requested.
func Enabled() bool { return os.Getenv("MEDEX_WRITE_FUZZ_CORPUS") == "1" }

// Write stores each seed (one []byte argument) as a corpus file named by
// its hash, in testdata/fuzz/<target> of the calling package.
func Write(t testing.TB, target string, seeds [][]byte) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range seeds {
		h := sha256.Sum256(s)
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s)
		if err := os.WriteFile(filepath.Join(dir, "seed-"+hex.EncodeToString(h[:8])), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
