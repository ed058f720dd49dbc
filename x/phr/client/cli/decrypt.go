package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Decrypted is a record the requester opened and checked.
type Decrypted struct {
	Record  types.Record
	Meta    envelope.Meta
	Payload []byte // the FHIR resource, as the device signed it
	Bucket  int    // envelope size
}

// sharedRecord is what opening a shared record takes, wherever it was read
// from: the local chain's grant, record, share, device and vault epoch
// (DecryptRecord), or this chain's mirror of a peer's grant and its inbox
// share (DecryptRemote).
type sharedRecord struct {
	// ChainID is the patient's chain: part of the grant context of d and
	// the chain the device signed the envelope for.
	ChainID string
	// Grant: its id, patient, vault, epoch, window, requester key and key grant.
	Grant types.Grant
	// Record: its id, patient, vault, epoch, device, public time, resource
	// type and body.
	Record     types.Record
	FirstLevel [][]byte
	// DeviceKey is the device's registered Ed25519 key, VaultKey the vault's
	// A of the grant's epoch, both as the patient chain registered them.
	DeviceKey []byte
	VaultKey  []byte
	// MaxLag is the patient chain's max_upload_delay.
	MaxLag time.Duration
}

// open derives the grant key (refusing a grant whose C_0^d is not the
// registered A, or one requested with another key than sk's), opens the
// envelope with the device's registered Ed25519 key, and checks the signed
// metadata, the signed time and the payload's FHIR resource type against
// the record and the grant (docs/crypto.md §3 and §5).
func (in *sharedRecord) open(sk *keys.RequesterSecretKey) (*Decrypted, error) {
	g, rec := &in.Grant, &in.Record
	if !bytes.Equal(g.RequesterKey, sk.Public().Bytes()) {
		return nil, fmt.Errorf("grant %d was requested with another requester key than this key file's", g.Id)
	}
	if len(g.KeyGrant) == 0 {
		return nil, fmt.Errorf("grant %d is %s and carries no key grant", g.Id, g.Status)
	}
	if rec.Patient != g.Patient || rec.Vault != g.Vault || rec.Epoch != g.Epoch {
		return nil, fmt.Errorf("record %d (%s vault %q epoch %d) is not under grant %d (%s vault %q epoch %d)",
			rec.Id, rec.Patient, rec.Vault, rec.Epoch, g.Id, g.Patient, g.Vault, g.Epoch)
	}
	fls := make([]*pre.FirstLevel, len(in.FirstLevel))
	for i, b := range in.FirstLevel {
		var err error
		if fls[i], err = pre.DecodeFirstLevel(b); err != nil {
			return nil, fmt.Errorf("share of record %d: first-level capsule %d: %v", rec.Id, i, err)
		}
	}
	devKey, err := keys.DecodeDevicePublicKey(in.DeviceKey)
	if err != nil {
		return nil, fmt.Errorf("device %q: registered key: %v", rec.DeviceId, err)
	}
	vaultPK, err := keys.DecodeVaultPublicKey(in.VaultKey)
	if err != nil {
		return nil, fmt.Errorf("vault %q epoch %d: registered key: %v", g.Vault, g.Epoch, err)
	}
	kg, err := pre.DecodeGrant(g.KeyGrant)
	if err != nil {
		return nil, fmt.Errorf("grant %d: key grant: %v", g.Id, err)
	}
	gctx := pre.GrantContext{ChainID: in.ChainID, GrantID: g.Id, Vault: g.Vault, Epoch: g.Epoch}
	gk, err := pre.DeriveGrantKey(sk, gctx, vaultPK, kg)
	if err != nil {
		return nil, fmt.Errorf("grant %d does not target vault %q epoch %d as registered (C_0^d ≠ A) on chain %q: refusing it", g.Id, g.Vault, g.Epoch, in.ChainID)
	}
	defer gk.Erase()
	env, err := gk.Open(fls, rec.Body, ed25519.PublicKey(devKey.Bytes()))
	if err != nil {
		// one error for every failure (docs/crypto.md §3): bad share, wrong
		// key, tampered body or a signature not by the registered device
		return nil, fmt.Errorf("record %d does not decrypt to an envelope signed by device %q", rec.Id, rec.DeviceId)
	}
	if err := CheckMeta(&env.Meta, in.ChainID, rec); err != nil {
		return nil, fmt.Errorf("record %d: %w", rec.Id, err)
	}
	if err := CheckTime(&env.Meta, rec, g, in.MaxLag); err != nil {
		return nil, fmt.Errorf("record %d: %w", rec.Id, err)
	}
	if err := checkResourceType(env.Payload, rec.ResourceType); err != nil {
		return nil, fmt.Errorf("record %d: %w", rec.Id, err)
	}
	return &Decrypted{Record: *rec, Meta: env.Meta, Payload: env.Payload, Bucket: env.Size}, nil
}

// DecryptRecord is `phr decrypt` without the node: it reads the grant, the
// record, the share, the device and the vault key of the grant's epoch
// through q and opens the record (sharedRecord.open).
// Checking that the sequence number is new is the caller's (SeenFile), as it
// needs local state.
func DecryptRecord(ctx context.Context, q types.QueryClient, chainID string, grantID, recordID uint64, sk *keys.RequesterSecretKey) (*Decrypted, error) {
	gres, err := q.Grant(ctx, &types.QueryGrantRequest{Id: grantID})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("grant %d", grantID), err)
	}
	g := gres.Grant
	rres, err := q.Record(ctx, &types.QueryRecordRequest{Id: recordID})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("record %d", recordID), err)
	}
	rec := rres.Record
	sres, err := q.Share(ctx, &types.QueryShareRequest{GrantId: grantID, RecordId: recordID})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("share of record %d under grant %d (fetch it first)", recordID, grantID), err)
	}
	share := sres.Share
	if share.Status != types.SHARE_STATUS_COMPLETE {
		return nil, fmt.Errorf("share of record %d under grant %d is not complete yet: the proxies have not all answered", recordID, grantID)
	}
	if len(share.FirstLevel) != len(rec.Capsules) {
		return nil, fmt.Errorf("share of record %d has %d first-level capsules, the record %d capsules", recordID, len(share.FirstLevel), len(rec.Capsules))
	}
	dres, err := q.Device(ctx, &types.QueryDeviceRequest{Id: rec.DeviceId})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("device %q of record %d", rec.DeviceId, recordID), err)
	}
	dev := dres.Device
	if dev.Patient != rec.Patient || dev.Vault != rec.Vault {
		return nil, fmt.Errorf("device %q is registered to %s vault %q, record %d to %s vault %q", dev.Id, dev.Patient, dev.Vault, recordID, rec.Patient, rec.Vault)
	}
	vres, err := q.VaultEpoch(ctx, &types.QueryVaultEpochRequest{Patient: g.Patient, Vault: g.Vault, Epoch: g.Epoch})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("vault %q epoch %d", g.Vault, g.Epoch), err)
	}
	pres, err := q.Params(ctx, &types.QueryParamsRequest{})
	if err != nil {
		return nil, txclient.QueryError("phr params", err)
	}
	in := sharedRecord{
		ChainID: chainID, Grant: g, Record: rec, FirstLevel: share.FirstLevel, DeviceKey: dev.PublicKey,
		VaultKey: vres.Key.PublicKey, MaxLag: time.Duration(pres.Params.MaxUploadDelaySeconds) * time.Second,
	}
	return in.open(sk)
}

// CheckMeta compares the device-signed metadata with the on-chain record:
// the chain, patient, vault, epoch and device must all be the record's.
func CheckMeta(m *envelope.Meta, chainID string, rec *types.Record) error {
	patient, err := sdk.AccAddressFromBech32(rec.Patient)
	if err != nil {
		return fmt.Errorf("patient %q: %v", rec.Patient, err)
	}
	switch {
	case m.ChainID != chainID:
		return fmt.Errorf("envelope is for chain %q, not %q", m.ChainID, chainID)
	case !bytes.Equal(m.Patient, patient):
		return fmt.Errorf("envelope is for patient %s, the record for %s", sdk.AccAddress(m.Patient), rec.Patient)
	case m.Vault != rec.Vault:
		return fmt.Errorf("envelope is for vault %q, the record for %q", m.Vault, rec.Vault)
	case m.Epoch != rec.Epoch:
		return fmt.Errorf("envelope is for epoch %d, the record for %d", m.Epoch, rec.Epoch)
	case m.DeviceID != rec.DeviceId:
		return fmt.Errorf("envelope is from device %q, the record from %q", m.DeviceID, rec.DeviceId)
	}
	return nil
}

// SignedTimeAhead is how far the device-signed effective time may lie after
// the record's public time: the public time is the gateway's clock truncated
// to the minute, and the device's clock may run a little ahead of it.
const SignedTimeAhead = 5 * time.Minute

// CheckTime compares the device-signed effective time with the grant and the
// record: it must lie in the grant's window (the chain applies the window to
// the gateway's public time only), and no further than maxLag (the chain's
// max_upload_delay: how long a gateway may hold a reading) before the
// record's public time, nor more than SignedTimeAhead after it. A gateway
// that dates a reading into a window it was not taken in is caught here.
func CheckTime(m *envelope.Meta, rec *types.Record, g *types.Grant, maxLag time.Duration) error {
	eff := m.EffectiveTime.UTC()
	switch {
	case eff.Before(g.Scope.FromTime) || !eff.Before(g.Scope.ToTime):
		return fmt.Errorf("signed effective time %s is outside grant %d's window [%s, %s)",
			eff.Format(time.RFC3339), g.Id, g.Scope.FromTime.UTC().Format(time.RFC3339), g.Scope.ToTime.UTC().Format(time.RFC3339))
	case eff.Before(rec.Time.Add(-maxLag)):
		return fmt.Errorf("signed effective time %s is more than %s before the record's public time %s",
			eff.Format(time.RFC3339), maxLag, rec.Time.UTC().Format(time.RFC3339))
	case eff.After(rec.Time.Add(SignedTimeAhead)):
		return fmt.Errorf("signed effective time %s is more than %s after the record's public time %s",
			eff.Format(time.RFC3339), SignedTimeAhead, rec.Time.UTC().Format(time.RFC3339))
	}
	return nil
}

// checkResourceType: the payload is a FHIR resource of the type the gateway
// published (the public resource_type is set by the gateway, the payload by
// the device; they must agree).
func checkResourceType(payload []byte, want string) error {
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(payload, &head); err != nil {
		return fmt.Errorf("payload is not FHIR JSON: %v", err)
	}
	if head.ResourceType != want {
		return fmt.Errorf("payload is a FHIR %q, the record says %q", head.ResourceType, want)
	}
	return nil
}

const (
	flagRequesterKey = "requester-key"
	flagSeenFile     = "seen-file"
)

func decryptCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "decrypt [grant-id] [record-id]",
		Short: "Decrypt a shared record with the requester key file and print its FHIR resource",
		Long: `Reads grant, record, share, device and vault epoch key from the node; derives the
grant key from --requester-key (refusing a grant whose C_0^d is not the registered
vault key); recovers the envelope, verifies the device's Ed25519 signature with the
device's registered key, and checks the signed metadata (chain, patient, vault,
epoch, device) against the on-chain record and the signed effective time against
the grant's window and the record's public time (at most max_upload_delay
before it, at most 5 minutes after it). With --seen-file, a sequence number
already seen for this device under another record is refused as a replay.
Prints the FHIR JSON, or writes it to --out.`,
		Example: `medexchaind phr decrypt 7 12 --requester-key hospital.key
medexchaind phr decrypt 7 12 --requester-key hospital.key --out obs-12.json --seen-file seen.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			grantID, err := ParseID("grant id", args[0])
			if err != nil {
				return err
			}
			recordID, err := ParseID("record id", args[1])
			if err != nil {
				return err
			}
			chainID, err := txclient.ChainID(clientCtx)
			if err != nil {
				return err
			}
			sk, err := keyfile.FromFlag(cmd, flagRequesterKey, keyfile.Requester, true)
			if err != nil {
				return err
			}
			defer sk.Erase()
			d, err := DecryptRecord(clientCtx.GetCmdContextWithFallback(), types.NewQueryClient(clientCtx), chainID, grantID, recordID, sk)
			if err != nil {
				return err
			}
			return deliverDecrypted(cmd, d)
		},
	}
	addDecryptFlags(cmd)
	return cmd
}

// addDecryptFlags registers the flags of decrypt and decrypt-remote.
func addDecryptFlags(cmd *cobra.Command) {
	cmd.Flags().String(flagRequesterKey, "", "the hospital's encrypted requester key file (phr keygen requester)")
	cmd.Flags().String(flagOut, "", "write the FHIR JSON to this file (mode 0600) instead of stdout")
	cmd.Flags().String(flagSeenFile, "", "file of (device, sequence) pairs already decrypted; refuse replays")
	keyfile.AddPassphraseFlag(cmd)
	flags.AddQueryFlagsToCmd(cmd)
}

// deliverDecrypted refuses a replayed sequence number (--seen-file, keyed
// by the chain the device signed for) and writes the FHIR JSON to --out or
// stdout.
func deliverDecrypted(cmd *cobra.Command, d *Decrypted) error {
	if seenPath, _ := cmd.Flags().GetString(flagSeenFile); seenPath != "" {
		if err := MarkSeen(seenPath, d.Meta.ChainID, d.Meta.DeviceID, d.Meta.Sequence, d.Record.Id); err != nil {
			return err
		}
	}
	if out, _ := cmd.Flags().GetString(flagOut); out != "" {
		return os.WriteFile(out, d.Payload, 0o600)
	}
	_, err := cmd.OutOrStdout().Write(append(d.Payload, '\n'))
	return err
}
