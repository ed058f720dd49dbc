package cmd

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/medexchain/medexchain/internal/fhir"
	"github.com/medexchain/medexchain/internal/gateway"
	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

const (
	flagDeviceID  = "device-id"
	flagDeviceKey = "device-key"
	flagCount     = "count"
	flagInterval  = "interval"
	flagKinds     = "kinds"
	flagOutDir    = "out-dir"
	flagECG       = "ecg"
	flagSpoolDir  = "spool-dir"
	flagGiveUp    = "give-up"
)

// deviceCommand is `medexchaind device`: IoMT device tooling. The device,
// the gateway's edge firewall, its spool and its forwarder live in
// internal/gateway; this is their flags.
func deviceCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "device",
		Short: "IoMT device tools: simulate a registered device and its gateway",
	}
	cmd.AddCommand(deviceSimulateCommand())
	return cmd
}

func deviceSimulateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Run a registered device and its gateway: FHIR vital signs, encrypted by the device, firewalled, spooled and uploaded by the gateway (--from)",
		Long: `Plays a registered device and its gateway in one process, kept apart as on real
hardware. The device builds FHIR R4 Observations (heart rate, SpO2, blood pressure;
LOINC and IEEE 11073 codings), seals each in an envelope signed with --device-key
(sequence numbers persist in <device-key>.seq) and encrypts it to the vault's
current epoch key read from the chain. The gateway applies the edge firewall with
fresh randomness and sets the public metadata itself (registered device id and
vault, epoch, its clock to the minute, resource type).

Store and forward: every firewalled reading is written to the spool (--spool-dir)
before anything is sent, and uploaded from there, in order, from --from (the
device's registered gateway). An entry leaves the spool when the chain has
included it (sent/) or refused it for good (refused/, with the registered error).
While the node is unreachable the device keeps measuring and the gateway retries
with backoff. After a crash, run the command again (--count 0 only uploads what
is spooled): a reading whose tx was included is recognised, never sent twice.

Prints "spooled ..." when a reading is durable and "record <id> device ..." when
the chain stored it. Exits non-zero if the chain refused a reading, or after
--give-up without an answer from the node. Never prompts.`,
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
			var cfg gateway.Config
			cfg.Count, _ = cmd.Flags().GetInt(flagCount)
			cfg.Interval, _ = cmd.Flags().GetDuration(flagInterval)
			cfg.OutDir, _ = cmd.Flags().GetString(flagOutDir)
			cfg.GiveUp, _ = cmd.Flags().GetDuration(flagGiveUp)
			kinds, _ := cmd.Flags().GetString(flagKinds)
			for _, k := range strings.Split(kinds, ",") {
				kind, err := fhir.ParseKind(strings.TrimSpace(k))
				if err != nil {
					return fmt.Errorf("--kinds: %w", err)
				}
				cfg.Kinds = append(cfg.Kinds, kind)
			}
			spoolDir, _ := cmd.Flags().GetString(flagSpoolDir)
			if spoolDir == "" {
				spoolDir = keyPath + ".spool"
			}
			sp, err := gateway.OpenSpool(spoolDir)
			if err != nil {
				return err
			}
			unlock, err := sp.Lock()
			if err != nil {
				return err
			}
			defer unlock()

			chainID, err := txclient.ChainID(clientCtx)
			if err != nil {
				return err
			}
			key, err := keyfile.FromFlag(cmd, flagDeviceKey, keyfile.Device, true)
			if err != nil {
				return err
			}
			defer key.Erase()
			dev := &gateway.Device{ID: id, ChainID: chainID, Key: key, Seq: gateway.SeqFileFor(keyPath), Rand: rand.Reader}
			if ecg, _ := cmd.Flags().GetBool(flagECG); ecg {
				dev.HeartRateSource = fhir.ECG
			}
			gw := &gateway.Gateway{Address: clientCtx.GetFromAddress().String(), Clock: time.Now, Rand: rand.Reader, ResourceType: fhir.ResourceType}
			tc, err := txclient.FromFlags(clientCtx, cmd.Flags(), false)
			if err != nil {
				return err
			}
			_, err = gateway.Simulate(clientCtx.GetCmdContextWithFallback(), types.NewQueryClient(clientCtx), &gateway.TxNode{Client: tc},
				sp, dev, gw, cfg, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().String(flagDeviceID, "", "the registered device id")
	cmd.Flags().String(flagDeviceKey, "", "the device's encrypted key file (phr keygen device); its sequence file is <file>.seq")
	cmd.Flags().Int(flagCount, 1, "number of readings (0: only upload what the spool holds)")
	cmd.Flags().Duration(flagInterval, time.Second, "pause between readings")
	cmd.Flags().String(flagKinds, "heart-rate,spo2,blood-pressure", "observation kinds to cycle through: heart-rate|hr, spo2, blood-pressure|bp")
	cmd.Flags().Bool(flagECG, false, "heart rates come from an ECG (MDC_ECG_HEART_RATE) rather than a pulse oximeter")
	cmd.Flags().String(flagOutDir, "", "also write each reading's plaintext FHIR JSON here (record-<id>.json once stored)")
	cmd.Flags().String(flagSpoolDir, "", "the gateway's spool directory (default <device-key>.spool)")
	cmd.Flags().Duration(flagGiveUp, 10*time.Minute, "stop (non-zero, readings stay spooled) when the node has not answered for this long; 0 waits for ever")
	keyfile.AddPassphraseFlag(cmd)
	flags.AddTxFlagsToCmd(cmd)
	return cmd
}
