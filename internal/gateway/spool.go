package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/medexchain/medexchain/internal/atomicfile"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Spool is the gateway's store-and-forward queue: a directory in which every
// firewalled reading is written, durably, before anything is sent, and from
// which it leaves only when the chain has decided about it.
//
//	<dir>/pending/<device>-<seq>.json  an Entry: the upload, and the last tx signed for it
//	<dir>/sent/<device>-<seq>.json     a Receipt: the record the chain stored
//	<dir>/refused/<device>-<seq>.json  a Refusal: the entry and the chain's registered error
//
// <seq> is the device sequence number, zero-padded to 20 digits, so the names
// sort in the order the device produced the readings. Every write is an
// atomic file write followed by a sync of the file and of its directory; a
// move to sent/ or refused/ writes the new file before it removes the
// pending one, so a crash in between leaves both and the next Open finishes
// the move. A name that exists in any of the three directories is never
// added again: a reading cannot enter the spool twice.
type Spool struct {
	Dir string
}

const (
	spoolPending = "pending"
	spoolSent    = "sent"
	spoolRefused = "refused"
	// entryVersion is the format of the spool's files.
	entryVersion = 1
)

// Entry is one firewalled reading waiting for the chain.
type Entry struct {
	Version  int    `json:"version"`
	DeviceID string `json:"device_id"`
	// Sequence is the device's record sequence number, signed inside the
	// envelope; it was reserved once, before the reading was built.
	Sequence uint64 `json:"sequence"`
	Kind     string `json:"kind"`
	Patient  string `json:"patient"`
	Epoch    uint64 `json:"epoch"`
	Bucket   int    `json:"bucket"`
	// Upload is the MsgUploadRecord (protobuf) the edge firewall produced:
	// uploading it again sends the same bytes, never a re-randomized copy.
	Upload    []byte    `json:"upload"`
	SpooledAt time.Time `json:"spooled_at"`
	// SignedAfter is the node's height just before the first tx for the
	// upload was signed: any tx carrying it is in a later block. 0 until
	// the first.
	SignedAfter int64 `json:"signed_after,omitempty"`
	// Tx is the last tx signed for the upload, written before it is
	// broadcast; nil until the first.
	Tx *SignedTx `json:"tx,omitempty"`
}

// SignedTx is a signed upload tx, kept so that after a crash the gateway
// can ask the chain what became of it, and broadcast the very same bytes
// again if it is still unknown.
type SignedTx struct {
	Hash            string    `json:"hash"`
	Bytes           []byte    `json:"bytes"`
	AccountSequence uint64    `json:"account_sequence"`
	SignedAt        time.Time `json:"signed_at"`
	// CheckTxRefused: the node's CheckTx refused it for a reason about
	// the tx, so no mempool holds it and a new tx with the same account
	// sequence may replace it.
	CheckTxRefused bool `json:"check_tx_refused,omitempty"`
}

// Receipt is what the chain stored for an entry.
type Receipt struct {
	DeviceID string `json:"device_id"`
	Sequence uint64 `json:"sequence"`
	RecordID uint64 `json:"record_id"`
	TxHash   string `json:"tx_hash"`
	Height   int64  `json:"height"`
	// Recovered: the tx was not found by its hash (the node lost its tx
	// index, e.g. in a crash) and the record was found by its body.
	Recovered bool      `json:"recovered,omitempty"`
	SentAt    time.Time `json:"sent_at"`
}

// Refusal is an entry the chain refused for a reason that will not change:
// kept with the registered error, never dropped.
type Refusal struct {
	Entry     Entry     `json:"entry"`
	Codespace string    `json:"codespace"`
	Code      uint32    `json:"code"`
	Log       string    `json:"log"`
	TxHash    string    `json:"tx_hash,omitempty"` // set when refused in a block (the fee was charged)
	RefusedAt time.Time `json:"refused_at"`
}

// OpenSpool creates (or opens) the spool at dir and finishes any move a
// crash interrupted.
func OpenSpool(dir string) (*Spool, error) {
	s := &Spool{Dir: dir}
	for _, sub := range []string{"", spoolPending, spoolSent, spoolRefused} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, fmt.Errorf("spool: %w", err)
		}
	}
	// the directories themselves must survive a power loss
	for _, d := range []string{filepath.Dir(filepath.Clean(dir)), dir} {
		if err := atomicfile.SyncDir(d); err != nil {
			return nil, fmt.Errorf("spool: %w", err)
		}
	}
	names, err := s.names(spoolPending)
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if s.exists(spoolSent, name) || s.exists(spoolRefused, name) {
			if err := atomicfile.Remove(s.path(spoolPending, name)); err != nil {
				return nil, fmt.Errorf("spool: finishing an interrupted move: %w", err)
			}
		}
	}
	return s, nil
}

// EntryName is the file name of device's reading seq in every directory.
func EntryName(device string, seq uint64) string {
	return fmt.Sprintf("%s-%020d.json", device, seq)
}

func (s *Spool) path(sub, name string) string { return filepath.Join(s.Dir, sub, name) }

func (s *Spool) exists(sub, name string) bool {
	_, err := os.Lstat(s.path(sub, name))
	return err == nil
}

// names lists the entry files of sub in order.
func (s *Spool) names(sub string) ([]string, error) {
	des, err := os.ReadDir(filepath.Join(s.Dir, sub))
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	var out []string
	for _, de := range des {
		// atomicfile's temporaries start with a dot
		if n := de.Name(); de.Type().IsRegular() && strings.HasSuffix(n, ".json") && !strings.HasPrefix(n, ".") {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Add writes a new entry. It refuses an entry whose reading is already in
// the spool, pending, sent or refused.
func (s *Spool) Add(e *Entry) error {
	name := EntryName(e.DeviceID, e.Sequence)
	for _, sub := range []string{spoolPending, spoolSent, spoolRefused} {
		if s.exists(sub, name) {
			return fmt.Errorf("spool: device %s reading %d is already in %s", e.DeviceID, e.Sequence, filepath.Join(s.Dir, sub))
		}
	}
	e.Version = entryVersion
	return s.write(spoolPending, name, e)
}

// Update rewrites a pending entry (after signing a tx for it).
func (s *Spool) Update(e *Entry) error {
	return s.write(spoolPending, EntryName(e.DeviceID, e.Sequence), e)
}

// Pending returns the pending entries in order (by device, then sequence).
func (s *Spool) Pending() ([]*Entry, error) {
	names, err := s.names(spoolPending)
	if err != nil {
		return nil, err
	}
	out := make([]*Entry, 0, len(names))
	for _, name := range names {
		var e Entry
		if err := s.read(spoolPending, name, &e); err != nil {
			return nil, err
		}
		if e.Version != entryVersion {
			return nil, fmt.Errorf("spool: %s has format version %d, this gateway reads %d", s.path(spoolPending, name), e.Version, entryVersion)
		}
		if EntryName(e.DeviceID, e.Sequence) != name {
			return nil, fmt.Errorf("spool: %s holds device %s reading %d", s.path(spoolPending, name), e.DeviceID, e.Sequence)
		}
		out = append(out, &e)
	}
	return out, nil
}

// Sent records the receipt and removes the pending entry.
func (s *Spool) Sent(e *Entry, r *Receipt) error {
	name := EntryName(e.DeviceID, e.Sequence)
	if err := s.write(spoolSent, name, r); err != nil {
		return err
	}
	return atomicfile.Remove(s.path(spoolPending, name))
}

// Refused records the refusal and removes the pending entry.
func (s *Spool) Refused(e *Entry, r *Refusal) error {
	name := EntryName(e.DeviceID, e.Sequence)
	r.Entry = *e
	r.Entry.Tx = nil // the refusal names the tx; its bytes are of no further use
	if err := s.write(spoolRefused, name, r); err != nil {
		return err
	}
	return atomicfile.Remove(s.path(spoolPending, name))
}

// Receipts returns the receipts in order.
func (s *Spool) Receipts() ([]*Receipt, error) {
	names, err := s.names(spoolSent)
	if err != nil {
		return nil, err
	}
	out := make([]*Receipt, 0, len(names))
	for _, name := range names {
		var r Receipt
		if err := s.read(spoolSent, name, &r); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, nil
}

// Refusals returns the refusals in order.
func (s *Spool) Refusals() ([]*Refusal, error) {
	names, err := s.names(spoolRefused)
	if err != nil {
		return nil, err
	}
	out := make([]*Refusal, 0, len(names))
	for _, name := range names {
		var r Refusal
		if err := s.read(spoolRefused, name, &r); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, nil
}

// RefusedPath is where the refusal of e is kept.
func (s *Spool) RefusedPath(e *Entry) string {
	return s.path(spoolRefused, EntryName(e.DeviceID, e.Sequence))
}

func (s *Spool) write(sub, name string, v any) error {
	bz, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if err := atomicfile.Write(s.path(sub, name), append(bz, '\n'), 0o600); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

func (s *Spool) read(sub, name string, v any) error {
	bz, err := os.ReadFile(s.path(sub, name))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("spool: %s vanished: one gateway per spool", s.path(sub, name))
	}
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if err := json.Unmarshal(bz, v); err != nil {
		return fmt.Errorf("spool: %s is corrupt (%v): move it aside by hand", s.path(sub, name), err)
	}
	return nil
}

// Msg decodes the entry's upload.
func (e *Entry) Msg() (*types.MsgUploadRecord, error) {
	var m types.MsgUploadRecord
	if err := m.Unmarshal(e.Upload); err != nil {
		return nil, fmt.Errorf("spool: device %s reading %d: upload: %w", e.DeviceID, e.Sequence, err)
	}
	return &m, nil
}
