// Package wire holds the tiny binary encoding helpers shared by every
// medexchain crypto object: big-endian fixed-width integers, u32
// length-prefixed byte strings, and a strict reader that fails on short
// input and on trailing bytes. Every encoding in the suite is built from
// these, so that each object has exactly one valid byte representation.
package wire

import (
	"encoding/binary"
	"errors"
)

// ErrMalformed is returned by Reader for short input, oversize fields and
// trailing bytes. Callers wrap it with their own sentinel.
var ErrMalformed = errors.New("malformed encoding")

// AppendU8 appends v.
func AppendU8(b []byte, v uint8) []byte { return append(b, v) }

// AppendU16 appends v big-endian.
func AppendU16(b []byte, v uint16) []byte { return binary.BigEndian.AppendUint16(b, v) }

// AppendU32 appends v big-endian.
func AppendU32(b []byte, v uint32) []byte { return binary.BigEndian.AppendUint32(b, v) }

// AppendU64 appends v big-endian.
func AppendU64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }

// AppendLP appends u32 len(v) ‖ v. Length-prefixing every variable field is
// what makes concatenations unambiguous ("ab"‖"c" ≠ "a"‖"bc").
func AppendLP(b []byte, v []byte) []byte {
	b = AppendU32(b, uint32(len(v)))
	return append(b, v...)
}

// Reader is a strict cursor over an encoding. The first failure sticks:
// later reads return zero values and Done reports the error, so decoders can
// read a whole structure and check once.
type Reader struct {
	b   []byte
	bad bool
}

// NewReader starts reading b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Failed reports whether any read failed so far.
func (r *Reader) Failed() bool { return r.bad }

// Len is the number of unread bytes.
func (r *Reader) Len() int { return len(r.b) }

// Bytes reads exactly n bytes (aliasing the input).
func (r *Reader) Bytes(n int) []byte {
	if r.bad || n < 0 || n > len(r.b) {
		r.bad = true
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

// U8 reads one byte.
func (r *Reader) U8() uint8 {
	v := r.Bytes(1)
	if v == nil {
		return 0
	}
	return v[0]
}

// U16 reads a big-endian uint16.
func (r *Reader) U16() uint16 {
	v := r.Bytes(2)
	if v == nil {
		return 0
	}
	return binary.BigEndian.Uint16(v)
}

// U32 reads a big-endian uint32.
func (r *Reader) U32() uint32 {
	v := r.Bytes(4)
	if v == nil {
		return 0
	}
	return binary.BigEndian.Uint32(v)
}

// U64 reads a big-endian uint64.
func (r *Reader) U64() uint64 {
	v := r.Bytes(8)
	if v == nil {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// LP reads a u32 length-prefixed field of at most max bytes.
func (r *Reader) LP(max int) []byte {
	n := r.U32()
	if r.bad || uint64(n) > uint64(max) {
		r.bad = true
		return nil
	}
	return r.Bytes(int(n))
}

// Done fails unless every byte was consumed and no read failed.
func (r *Reader) Done() error {
	if r.bad || len(r.b) != 0 {
		return ErrMalformed
	}
	return nil
}
