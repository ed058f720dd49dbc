package envelope

import (
	"errors"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/wire"
)

// Meta is the device-signed record metadata. It is inside the encryption:
// public metadata on chain is set by the gateway (package crf), never copied
// from here. A reader compares Meta with the on-chain record after Open.
type Meta struct {
	ChainID       string    // chain the record is published on
	Patient       []byte    // patient's raw account address bytes
	Vault         string    // vault name
	Epoch         uint64    // vault key epoch encrypted to
	DeviceID      string    // registered device id
	Sequence      uint64    // device-unique record sequence number
	EffectiveTime time.Time // time of the observation (nanosecond precision, UTC)
}

// Field limits (bytes).
const (
	MaxStringLen  = 128
	MaxPatientLen = 64
)

// ErrMeta reports a Meta that cannot be encoded (empty or oversize field,
// invalid UTF-8 or control characters).
var ErrMeta = errors.New("medexchain/envelope: invalid metadata")

// canonical meta encoding:
//
//	LP(suite) ‖ LP(chain id) ‖ LP(patient) ‖ LP(vault) ‖ u64 epoch ‖
//	LP(device id) ‖ u64 sequence ‖ u64 effective time (two's-complement
//	int64 Unix nanoseconds, UTC)
//
// LP(x) = u32 big-endian len(x) ‖ x. suite is group.Suite.

// MarshalMeta returns the canonical encoding of m.
func MarshalMeta(m *Meta) ([]byte, error) {
	if !wire.Printable(m.ChainID, MaxStringLen) || !wire.Printable(m.Vault, MaxStringLen) || !wire.Printable(m.DeviceID, MaxStringLen) ||
		len(m.Patient) == 0 || len(m.Patient) > MaxPatientLen {
		return nil, ErrMeta
	}
	b := make([]byte, 0, 64+len(m.ChainID)+len(m.Patient)+len(m.Vault)+len(m.DeviceID))
	b = wire.AppendLP(b, []byte(group.Suite))
	b = wire.AppendLP(b, []byte(m.ChainID))
	b = wire.AppendLP(b, m.Patient)
	b = wire.AppendLP(b, []byte(m.Vault))
	b = wire.AppendU64(b, m.Epoch)
	b = wire.AppendLP(b, []byte(m.DeviceID))
	b = wire.AppendU64(b, m.Sequence)
	b = wire.AppendU64(b, uint64(m.EffectiveTime.UnixNano()))
	return b, nil
}

// UnmarshalMeta decodes a canonical meta encoding strictly (every rule of
// MarshalMeta, the suite name, no trailing bytes).
func UnmarshalMeta(b []byte) (*Meta, error) {
	r := wire.NewReader(b)
	suite := r.LP(MaxStringLen)
	chain := r.LP(MaxStringLen)
	patient := r.LP(MaxPatientLen)
	vault := r.LP(MaxStringLen)
	epoch := r.U64()
	device := r.LP(MaxStringLen)
	seq := r.U64()
	ts := r.U64()
	if err := r.Done(); err != nil {
		return nil, ErrMeta
	}
	if string(suite) != group.Suite || !wire.Printable(string(chain), MaxStringLen) || !wire.Printable(string(vault), MaxStringLen) ||
		!wire.Printable(string(device), MaxStringLen) || len(patient) == 0 {
		return nil, ErrMeta
	}
	return &Meta{
		ChainID:       string(chain),
		Patient:       append([]byte(nil), patient...),
		Vault:         string(vault),
		Epoch:         epoch,
		DeviceID:      string(device),
		Sequence:      seq,
		EffectiveTime: time.Unix(0, int64(ts)).UTC(),
	}, nil
}
