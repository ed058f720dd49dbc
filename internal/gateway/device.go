package gateway

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// Device is what runs on the IoMT device: it measures, writes a FHIR
// Observation, seals it in an envelope signed with its Ed25519 key and
// encrypts it to the vault key (one capsule). It holds the only copy of its
// key, publishes nothing and signs nothing public; its output goes to its
// gateway over a link that must not be observable.
type Device struct {
	ID      string
	ChainID string
	Patient sdk.AccAddress // provisioned: whose vault it writes to
	Vault   string
	Key     *keys.DeviceSecretKey
	Seq     *SeqFile
	// Rand supplies m and r of the capsule: crypto/rand.
	Rand io.Reader
	// HeartRateSource selects the MDC code of heart rates.
	HeartRateSource fhir.HeartRateSource

	sensor *mrand.Rand // simulated physiology, not a secret
}

// Reading is one measurement as the device produced it.
type Reading struct {
	Kind      fhir.Kind
	Sequence  uint64
	Effective time.Time
	FHIR      []byte // the plaintext payload
}

// Measure takes the next reading: it reserves a sequence number and builds
// the Observation. now is the device clock.
func (d *Device) Measure(kind fhir.Kind, now time.Time) (*Reading, error) {
	if d.sensor == nil {
		var seed [16]byte
		if _, err := io.ReadFull(rand.Reader, seed[:]); err != nil {
			return nil, err
		}
		d.sensor = mrand.New(mrand.NewPCG(binary.BigEndian.Uint64(seed[:8]), binary.BigEndian.Uint64(seed[8:])))
	}
	seq, err := d.Seq.Next()
	if err != nil {
		return nil, err
	}
	// millisecond precision: the FHIR dateTime and the envelope's effective
	// time are then the same instant
	eff := now.UTC().Truncate(time.Millisecond)
	c := fhir.Context{Patient: d.Patient.String(), DeviceID: d.ID, Sequence: seq, Effective: eff}
	var obs *fhir.Observation
	switch kind {
	case fhir.KindHeartRate:
		obs, err = fhir.HeartRate(c, 58+d.sensor.IntN(43), d.HeartRateSource)
	case fhir.KindOxygenSaturation:
		obs, err = fhir.OxygenSaturation(c, 94+d.sensor.IntN(6))
	case fhir.KindBloodPressure:
		obs, err = fhir.BloodPressure(c, 105+d.sensor.IntN(31), 65+d.sensor.IntN(21))
	default:
		return nil, fmt.Errorf("device cannot measure %v", kind)
	}
	if err != nil {
		return nil, err
	}
	payload, err := obs.Marshal()
	if err != nil {
		return nil, err
	}
	return &Reading{Kind: kind, Sequence: seq, Effective: eff, FHIR: payload}, nil
}

// Encrypt seals r in a signed envelope and encrypts it to vault (the key of
// epoch). The result (pre.Ciphertext encoding, one capsule) is what the
// device hands to its gateway.
func (d *Device) Encrypt(r *Reading, vault *keys.VaultPublicKey, epoch uint64) ([]byte, error) {
	meta := &envelope.Meta{
		ChainID:       d.ChainID,
		Patient:       d.Patient,
		Vault:         d.Vault,
		Epoch:         epoch,
		DeviceID:      d.ID,
		Sequence:      r.Sequence,
		EffectiveTime: r.Effective,
	}
	ct, err := pre.DeviceEncrypt(vault, meta, r.FHIR, d.Key.Key, d.Rand)
	if err != nil {
		return nil, fmt.Errorf("device %s: encrypting reading %d: %w", d.ID, r.Sequence, err)
	}
	return ct.Bytes(), nil
}
