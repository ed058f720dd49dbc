package gateway

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/medexchain/medexchain/internal/atomicfile"
)

// SeqFile persists a device's record sequence number next to its key file,
// so the numbers keep increasing across runs (readers refuse a repeated
// one). The next number is written, and the file and its directory synced,
// before it is used: a crash or a power loss skips a number, it never
// reuses one. One simulator per device at a time.
type SeqFile struct{ Path string }

// SeqFileFor is the sequence file of a device key file.
func SeqFileFor(keyPath string) *SeqFile { return &SeqFile{Path: keyPath + ".seq"} }

// Last is the last reserved number (0 when none yet).
func (s *SeqFile) Last() (uint64, error) {
	bz, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sequence file: %w", err)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(bz)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("sequence file %s is corrupt (%q): fix it by hand, never lower it", s.Path, strings.TrimSpace(string(bz)))
	}
	return n, nil
}

// Next reserves and returns the next number.
func (s *SeqFile) Next() (uint64, error) {
	last, err := s.Last()
	if err != nil {
		return 0, err
	}
	if last == ^uint64(0) {
		return 0, errors.New("sequence numbers exhausted")
	}
	next := last + 1
	if err := atomicfile.Write(s.Path, []byte(strconv.FormatUint(next, 10)+"\n"), 0o600); err != nil {
		return 0, fmt.Errorf("sequence file: %w", err)
	}
	return next, nil
}
