package gateway

import (
	"fmt"
	"io"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Gateway receives a device's output and publishes it. It applies the
// edge firewall with its own randomness, and sets every public field itself
// (device id and vault from the registry, epoch from the chain, time from
// its own clock to the minute, resource type from its configuration): nothing
// public is copied from the device, so a subverted device has no channel
// through the published record beyond its bucket size.
type Gateway struct {
	Address      string           // the account that signs uploads
	Clock        func() time.Time // the gateway's clock
	Rand         io.Reader        // crypto/rand: s, M', r' of the firewall
	ResourceType string           // FHIR type of what its devices send
}

// Firewall turns deviceOutput of registered device dev into the upload
// message, for vault (its current epoch and key as registered on chain).
func (g *Gateway) Firewall(dev types.Device, vault types.Vault, deviceOutput []byte) (*types.MsgUploadRecord, *crf.Record, error) {
	vk, err := keys.DecodeVaultPublicKey(vault.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("vault %q epoch %d: registered key: %v", vault.Name, vault.Epoch, err)
	}
	meta := crf.PublicMeta{
		DeviceID:     dev.Id,
		Vault:        dev.Vault,
		Epoch:        vault.Epoch,
		Time:         g.Clock(), // EdgeFirewall truncates to the minute, UTC
		ResourceType: g.ResourceType,
	}
	rec, err := crf.EdgeFirewall(vk, deviceOutput, meta, g.Rand)
	if err != nil {
		return nil, nil, fmt.Errorf("gateway: firewall refused device %s output: %w", dev.Id, err)
	}
	msg := &types.MsgUploadRecord{
		Gateway:      g.Address,
		DeviceId:     rec.Meta.DeviceID,
		Epoch:        rec.Meta.Epoch,
		Time:         rec.Meta.Time,
		ResourceType: rec.Meta.ResourceType,
		Capsules:     rec.CapsuleBytes(),
		Body:         rec.Body,
	}
	return msg, rec, nil
}
