package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/fhir"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Uploaded is what publishing one record returned.
type Uploaded struct {
	RecordID uint64 // 0 when not waited for
	TxHash   string
	Height   int64
}

// UploadFunc publishes one upload message (a node broadcast, or a block in
// an in-process test).
type UploadFunc func(*types.MsgUploadRecord) (*Uploaded, error)

// SimConfig is one simulator run.
type SimConfig struct {
	Count    int
	Interval time.Duration
	Kinds    []fhir.Kind // cycled through
	OutDir   string      // if set, the plaintext FHIR of each record goes here
}

// SimResult is one record the simulator published.
type SimResult struct {
	Reading  *Reading
	Uploaded *Uploaded
	Bucket   int
	Epoch    uint64
}

// Provision fills the device's patient and vault from its registration and
// checks that the registration is this device (same key), active, and that
// gw is its gateway.
func Provision(ctx context.Context, q types.QueryClient, d *SimDevice, gw *SimGateway) (types.Device, error) {
	res, err := q.Device(ctx, &types.QueryDeviceRequest{Id: d.ID})
	if err != nil {
		return types.Device{}, txclient.QueryError(fmt.Sprintf("device %q", d.ID), err)
	}
	reg := res.Device
	if !bytes.Equal(reg.PublicKey, d.Key.Public().Bytes()) {
		return reg, fmt.Errorf("the device key file is not device %q's registered key", d.ID)
	}
	if !reg.Active {
		return reg, fmt.Errorf("device %q is deactivated", d.ID)
	}
	if reg.Gateway != gw.Address {
		return reg, fmt.Errorf("device %q's registered gateway is %s, not %s (--from)", d.ID, reg.Gateway, gw.Address)
	}
	patient, err := sdk.AccAddressFromBech32(reg.Patient)
	if err != nil {
		return reg, fmt.Errorf("device %q: patient %q: %v", d.ID, reg.Patient, err)
	}
	d.Patient, d.Vault = patient, reg.Vault
	return reg, nil
}

// Simulate runs cfg.Count readings through the device and the gateway and
// publishes them with upload, printing one line per record to out. Each
// reading is encrypted to the vault's current epoch, read from the chain
// just before (a rotation mid-run takes effect on the next reading).
func Simulate(ctx context.Context, q types.QueryClient, d *SimDevice, gw *SimGateway, upload UploadFunc, cfg SimConfig, out io.Writer) ([]SimResult, error) {
	if cfg.Count < 1 {
		return nil, errors.New("--count must be at least 1")
	}
	if len(cfg.Kinds) == 0 {
		return nil, errors.New("no observation kinds to simulate")
	}
	reg, err := Provision(ctx, q, d, gw)
	if err != nil {
		return nil, err
	}
	if cfg.OutDir != "" {
		if err := os.MkdirAll(cfg.OutDir, 0o700); err != nil {
			return nil, fmt.Errorf("--out-dir: %w", err)
		}
	}
	results := make([]SimResult, 0, cfg.Count)
	for i := 0; i < cfg.Count; i++ {
		if i > 0 && cfg.Interval > 0 {
			select {
			case <-ctx.Done():
				return results, ctx.Err()
			case <-time.After(cfg.Interval):
			}
		}
		vault, err := CurrentVault(ctx, q, reg.Patient, reg.Vault)
		if err != nil {
			return results, err
		}
		vk, err := keys.DecodeVaultPublicKey(vault.PublicKey)
		if err != nil {
			return results, fmt.Errorf("vault %q: registered key: %v", vault.Name, err)
		}

		// device
		reading, err := d.Measure(cfg.Kinds[i%len(cfg.Kinds)], gw.Clock())
		if err != nil {
			return results, err
		}
		output, err := d.Encrypt(reading, vk, vault.Epoch)
		if err != nil {
			return results, err
		}

		// gateway
		msg, rec, err := gw.Firewall(reg, vault, output)
		if err != nil {
			return results, err
		}
		up, err := upload(msg)
		if err != nil {
			return results, fmt.Errorf("uploading reading %d of device %s: %w", reading.Sequence, d.ID, err)
		}
		r := SimResult{Reading: reading, Uploaded: up, Bucket: len(rec.Body), Epoch: vault.Epoch}
		results = append(results, r)
		if cfg.OutDir != "" {
			if err := writeReading(cfg.OutDir, d.ID, r); err != nil {
				return results, err
			}
		}
		if _, err := fmt.Fprintln(out, r.line(d.ID)); err != nil {
			return results, err
		}
	}
	return results, nil
}

func (r SimResult) line(device string) string {
	id := "pending"
	if r.Uploaded.RecordID > 0 {
		id = fmt.Sprint(r.Uploaded.RecordID)
	}
	return fmt.Sprintf("record %s device %s seq %d %s epoch %d bucket %d B tx %s",
		id, device, r.Reading.Sequence, r.Reading.Kind, r.Epoch, r.Bucket, r.Uploaded.TxHash)
}

// writeReading stores the plaintext as record-<id>.json (so a demo can diff
// it with what the hospital decrypts), or <device>-<seq>.json when the
// record id is not known.
func writeReading(dir, device string, r SimResult) error {
	name := fmt.Sprintf("%s-%d.json", device, r.Reading.Sequence)
	if r.Uploaded.RecordID > 0 {
		name = fmt.Sprintf("record-%d.json", r.Uploaded.RecordID)
	}
	return os.WriteFile(filepath.Join(dir, name), r.Reading.FHIR, 0o600)
}

const (
	flagDeviceID  = "device-id"
	flagDeviceKey = "device-key"
	flagCount     = "count"
	flagInterval  = "interval"
	flagKinds     = "kinds"
	flagOutDir    = "out-dir"
	flagECG       = "ecg"
)

// NewDeviceCmd is `medexchaind device`: IoMT device tooling.
func NewDeviceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "device",
		Short: "IoMT device tools: simulate a registered device and its gateway",
	}
	cmd.AddCommand(simulateCmd())
	return cmd
}

func simulateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Run a registered device and its gateway: FHIR vital signs, encrypted by the device, firewalled and uploaded by the gateway (--from)",
		Long: `Plays a registered device and its gateway in one process, kept apart as on real
hardware. The device builds FHIR R4 Observations (heart rate, SpO2, blood pressure;
LOINC and IEEE 11073 codings), seals each in an envelope signed with --device-key
(sequence numbers persist in <device-key>.seq) and encrypts it to the vault's
current epoch key read from the chain. The gateway applies the edge firewall with
fresh randomness, sets the public metadata itself (registered device id and vault,
epoch, its clock to the minute, resource type) and uploads from --from, which must
be the device's registered gateway. Prints one line per record. Never prompts.`,
		Example: `medexchaind device simulate --device-id pulse-ox-01 --device-key pulse-ox-01.key \
  --count 6 --interval 1s --kinds hr,spo2,bp --out-dir readings --from gateway --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			if clientCtx.GenerateOnly {
				return errors.New("device simulate broadcasts; --generate-only is not supported")
			}
			if clientCtx.GetFromAddress().Empty() {
				return errors.New("--from is required: the gateway account")
			}
			id, _ := cmd.Flags().GetString(flagDeviceID)
			if err := types.ValidateDeviceID(id); err != nil {
				return err
			}
			keyPath, _ := cmd.Flags().GetString(flagDeviceKey)
			if keyPath == "" {
				return errors.New("--device-key is required: the device's encrypted key file")
			}
			cfg := SimConfig{}
			cfg.Count, _ = cmd.Flags().GetInt(flagCount)
			cfg.Interval, _ = cmd.Flags().GetDuration(flagInterval)
			cfg.OutDir, _ = cmd.Flags().GetString(flagOutDir)
			kinds, _ := cmd.Flags().GetString(flagKinds)
			for _, k := range strings.Split(kinds, ",") {
				kind, err := fhir.ParseKind(strings.TrimSpace(k))
				if err != nil {
					return fmt.Errorf("--kinds: %w", err)
				}
				cfg.Kinds = append(cfg.Kinds, kind)
			}
			chainID, err := txclient.ChainID(clientCtx)
			if err != nil {
				return err
			}
			key, err := keyfile.FromFlag(cmd, flagDeviceKey, keyfile.Device, true)
			if err != nil {
				return err
			}
			defer key.Erase()
			dev := &SimDevice{ID: id, ChainID: chainID, Key: key, Seq: SeqFileFor(keyPath), Rand: rand.Reader}
			if ecg, _ := cmd.Flags().GetBool(flagECG); ecg {
				dev.HeartRateSource = fhir.ECG
			}
			gw := &SimGateway{Address: clientCtx.GetFromAddress().String(), Clock: time.Now, Rand: rand.Reader, ResourceType: fhir.ResourceType}
			sender, err := txclient.FromFlags(clientCtx, cmd.Flags(), false)
			if err != nil {
				return err
			}
			upload := func(msg *types.MsgUploadRecord) (*Uploaded, error) {
				in, err := sender.Send(clientCtx.GetCmdContextWithFallback(), msg)
				if err != nil {
					return nil, err
				}
				up := &Uploaded{TxHash: in.TxHash, Height: in.Height}
				if in.Height > 0 {
					var res types.MsgUploadRecordResponse
					if err := in.Response(0, &res); err != nil {
						return nil, err
					}
					up.RecordID = res.RecordId
				}
				return up, nil
			}
			_, err = Simulate(clientCtx.GetCmdContextWithFallback(), types.NewQueryClient(clientCtx), dev, gw, upload, cfg, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().String(flagDeviceID, "", "the registered device id")
	cmd.Flags().String(flagDeviceKey, "", "the device's encrypted key file (phr keygen device); its sequence file is <file>.seq")
	cmd.Flags().Int(flagCount, 1, "number of readings")
	cmd.Flags().Duration(flagInterval, time.Second, "pause between readings")
	cmd.Flags().String(flagKinds, "heart-rate,spo2,blood-pressure", "observation kinds to cycle through: heart-rate|hr, spo2, blood-pressure|bp")
	cmd.Flags().Bool(flagECG, false, "heart rates come from an ECG (MDC_ECG_HEART_RATE) rather than a pulse oximeter")
	cmd.Flags().String(flagOutDir, "", "also write each reading's plaintext FHIR JSON here (record-<id>.json)")
	keyfile.AddPassphraseFlag(cmd)
	flags.AddTxFlagsToCmd(cmd)
	txclient.AddWaitFlags(cmd)
	return cmd
}
