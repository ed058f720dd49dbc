package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"

	"github.com/medexchain/medexchain/internal/atomicfile"
)

// The seen file makes "the sequence number is new" (docs/crypto.md §3) a local
// check: the chain cannot do it (it never sees a sequence number), so the
// requester remembers which record carried each (chain, device, sequence).
// Decrypting the same record again is fine; the same sequence in another
// record is a replayed envelope and refused. One process at a time per file.

type seenFile struct {
	Version int `json:"version"`
	// Seen maps "chain/device/sequence" to the record id that carried it.
	Seen map[string]uint64 `json:"seen"`
}

// MarkSeen records (chain, device, seq) → record in the file at path, and
// refuses if another record already carried that sequence number.
func MarkSeen(path, chainID, deviceID string, seq, recordID uint64) error {
	sf := seenFile{Version: 1, Seen: map[string]uint64{}}
	bz, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("seen file: %w", err)
	default:
		sf = seenFile{} // the file must say what it is
		if err := json.Unmarshal(bz, &sf); err != nil || sf.Version != 1 || sf.Seen == nil {
			return fmt.Errorf("seen file %s is not a medexchain seen file", path)
		}
	}
	key := chainID + "/" + deviceID + "/" + strconv.FormatUint(seq, 10)
	if prev, ok := sf.Seen[key]; ok {
		if prev == recordID {
			return nil
		}
		return fmt.Errorf("replay: device %q sequence %d was already delivered in record %d; record %d repeats it", deviceID, seq, prev, recordID)
	}
	sf.Seen[key] = recordID
	out, err := json.MarshalIndent(&sf, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, out, 0o600)
}
