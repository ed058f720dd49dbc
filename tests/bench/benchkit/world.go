package benchkit

import (
	"crypto/rand"
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// VaultName is the patient's one vault.
const VaultName = "vitals"

// World holds the actors Setup created.
type World struct {
	Senders, Gateways []*Account
	Patient, Hospital *Account
	Proxies           []*Account
	ProxyKeys         map[string]*keys.ProxySecretKey
	Vault             *keys.VaultSecretKey
	Requester         *keys.RequesterSecretKey
	Devices           []*keys.DeviceSecretKey
	chainID           string
	seq               []uint64 // per device: its last reading's sequence
}

// DeviceID is the id of gateway i's device.
func DeviceID(i int) string { return fmt.Sprintf("bench-pulse-ox-%d", i) }

// Setup makes senders bank senders and gateways gateways (one registered
// device each) with admin (the funded admission authority), a patient with
// one vault, a hospital and three proxies admitted to the committee; every
// account is funded and its number and sequence read.
func (c *Chain) Setup(admin *Account, senders, gateways int) (*World, error) {
	w := &World{ProxyKeys: map[string]*keys.ProxySecretKey{}, chainID: c.ChainID, seq: make([]uint64, gateways)}
	var err error
	if w.Vault, err = keys.GenerateVaultKey(1, rand.Reader); err != nil {
		return nil, err
	}
	if w.Requester, err = keys.GenerateRequesterKey(rand.Reader); err != nil {
		return nil, err
	}
	for i := range senders {
		w.Senders = append(w.Senders, NewAccount(fmt.Sprintf("sender%d", i)))
	}
	for i := range gateways {
		w.Gateways = append(w.Gateways, NewAccount(fmt.Sprintf("gateway%d", i)))
		dk, err := keys.GenerateDeviceKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		w.Devices = append(w.Devices, dk)
	}
	w.Patient, w.Hospital = NewAccount("patient"), NewAccount("hospital")
	for i := range 3 {
		p := NewAccount(fmt.Sprintf("proxy%d", i+1))
		sk, err := keys.GenerateProxyKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		w.Proxies = append(w.Proxies, p)
		w.ProxyKeys[p.String()] = sk
	}
	all := append(append(append([]*Account{}, w.Senders...), w.Gateways...), w.Patient, w.Hospital)
	all = append(all, w.Proxies...)

	if err := c.Refresh(admin); err != nil {
		return nil, err
	}
	var fund []sdk.Msg
	for _, a := range all {
		fund = append(fund, &banktypes.MsgSend{FromAddress: admin.String(), ToAddress: a.String(),
			Amount: sdk.NewCoins(sdk.NewCoin(c.Denom, sdkmath.NewInt(100_000_000)))})
	}
	admit := []sdk.Msg{&types.MsgAdmitMember{Authority: admin.String(), Member: w.Hospital.String(), Role: types.ROLE_HOSPITAL,
		PublicKey: w.Requester.Public().Bytes()}}
	for _, p := range w.Proxies {
		admit = append(admit, &types.MsgAdmitMember{Authority: admin.String(), Member: p.String(), Role: types.ROLE_PROXY,
			PublicKey: w.ProxyKeys[p.String()].Public().Bytes()})
	}
	if _, err := c.Deliver(admin, 1_000_000+uint64(len(fund))*50_000, fund...); err != nil {
		return nil, fmt.Errorf("funding: %w", err)
	}
	if _, err := c.Deliver(admin, 2_000_000, admit...); err != nil {
		return nil, fmt.Errorf("admitting hospital and proxies: %w", err)
	}
	for _, a := range all {
		if err := c.Refresh(a); err != nil {
			return nil, err
		}
	}
	reg := []sdk.Msg{&types.MsgRegisterPatient{Patient: w.Patient.String(),
		Vaults: []types.VaultKey{{Name: VaultName, PublicKey: w.Vault.Public().Bytes()}}}}
	for i, g := range w.Gateways {
		reg = append(reg, &types.MsgRegisterDevice{Patient: w.Patient.String(), DeviceId: DeviceID(i), Vault: VaultName,
			PublicKey: w.Devices[i].Public().Bytes(), Gateway: g.String()})
	}
	if _, err := c.Deliver(w.Patient, 2_000_000+uint64(gateways)*200_000, reg...); err != nil {
		return nil, fmt.Errorf("registering patient, vault and devices: %w", err)
	}
	return w, nil
}

// UploadMsg is device g's next reading (sequence numbers 1, 2, … per
// device) through the gateway's edge firewall: what a gateway uploads.
func (w *World) UploadMsg(g int, at time.Time) (*types.MsgUploadRecord, error) {
	w.seq[g]++
	seq := w.seq[g]
	obs, err := fhir.HeartRate(fhir.Context{Patient: w.Patient.String(), DeviceID: DeviceID(g), Sequence: seq, Effective: at},
		60+int(seq%60), fhir.PulseOximeter)
	if err != nil {
		return nil, err
	}
	payload, err := obs.Marshal()
	if err != nil {
		return nil, err
	}
	meta := &envelope.Meta{ChainID: w.chainID, Patient: w.Patient.Addr, Vault: VaultName, Epoch: w.Vault.Epoch,
		DeviceID: DeviceID(g), Sequence: seq, EffectiveTime: at}
	ct, err := pre.DeviceEncrypt(w.Vault.Public(), meta, payload, w.Devices[g].Key, rand.Reader)
	if err != nil {
		return nil, err
	}
	rec, err := crf.EdgeFirewall(w.Vault.Public(), ct.Bytes(), crf.PublicMeta{DeviceID: DeviceID(g), Vault: VaultName,
		Epoch: w.Vault.Epoch, Time: at, ResourceType: "Observation"}, rand.Reader)
	if err != nil {
		return nil, err
	}
	return &types.MsgUploadRecord{Gateway: w.Gateways[g].String(), DeviceId: DeviceID(g), Epoch: w.Vault.Epoch,
		Time: rec.Meta.Time, ResourceType: rec.Meta.ResourceType, Capsules: rec.CapsuleBytes(), Body: rec.Body}, nil
}

// UploadGas is the gas limit of one upload tx (about 250k used).
const UploadGas = 400_000

// SignUploads signs n uploads of readings taken at at by the first gateways
// of w, upload i by gateway i mod gateways: stream g holds gateway g's txs,
// in their sequence order.
func (c *Chain) SignUploads(w *World, gateways, n int, at time.Time) ([][][]byte, error) {
	out := make([][][]byte, gateways)
	for i := range n {
		g := i % gateways
		msg, err := w.UploadMsg(g, at)
		if err != nil {
			return nil, err
		}
		tx, err := c.Sign(w.Gateways[g], UploadGas, msg)
		if err != nil {
			return nil, err
		}
		out[g] = append(out[g], tx)
	}
	return out, nil
}
