package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

// request-access and request-remote-access are hand-written: the scope is a
// nested message with two timestamps, which autocli can only take as a JSON
// blob, and times read better as "24h ago" than as RFC 3339 only. Both take
// the same flags (addRequestFlags, requestFromFlags).

const (
	flagFromTime   = "from-time"
	flagToTime     = "to-time"
	flagMaxRecords = "max-records"
	flagPurpose    = "purpose"
)

func requestAccessCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "request-access [patient] [vault]",
		Short: "Ask a patient for access to records of one vault (hospitals only); prints the grant id the chain assigns",
		Long: `Request access to the patient's vault for records whose time lies in
[--from-time, --to-time), at most --max-records of them, until --expiry. Times are
RFC 3339 or durations from now (-24h, 1h). The request covers the vault's current
key epoch. The chain assigns the grant id, which the patient answers with
'medexchaind phr grant <id>'.`,
		Example: `medexchaind tx phr request-access medex1alice... vitals --from-time -24h --to-time 1h \
  --max-records 10 --purpose "cardiology consult" --expiry 48h --from hospital`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			r, err := requestFromFlags(cmd, args[0], args[1], time.Now())
			if err != nil {
				return err
			}
			msg := &types.MsgRequestAccess{Requester: clientCtx.GetFromAddress().String(), Patient: r.Patient, Vault: r.Vault,
				Scope: r.Scope, Purpose: r.Purpose, Expiry: r.Expiry}
			var res types.MsgRequestAccessResponse
			return sendAndReport(cmd, clientCtx, "", func(in *txclient.Included) (string, map[string]any, error) {
				if err := in.Response(0, &res); err != nil {
					return "", nil, err
				}
				return fmt.Sprintf("grant %d requested", res.GrantId), map[string]any{"grant_id": res.GrantId}, nil
			}, msg)
		},
	}
	addRequestFlags(cmd)
	return cmd
}

func requestRemoteAccessCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "request-remote-access [channel-id] [patient-on-peer] [vault]",
		Short: "Ask a patient on a peer chain for access (hospitals only); prints the request id this chain assigns",
		Long: `Like request-access, for a patient whose vault is on a peer chain: [channel-id] is
an open phr channel to an admitted peer or, for IBC v2, the peer's client id. The
chain sends an AccessRequest packet carrying your address and your registered
requester key. The patient chain's grant id arrives with its ack ('q phr
remote-request <id>'), the decision as a mirror ('q phr remote-grants <you>').`,
		Example: `medexchaind tx phr request-remote-access channel-1 medex1alice... vitals --from-time -24h --to-time 1h \
  --max-records 10 --purpose "cardiology consult" --expiry 48h --from hospital`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			if args[0] == "" {
				return errors.New("channel-id is empty")
			}
			r, err := requestFromFlags(cmd, args[1], args[2], time.Now())
			if err != nil {
				return err
			}
			msg := &types.MsgRequestRemoteAccess{Hospital: clientCtx.GetFromAddress().String(), ChannelId: args[0],
				Patient: r.Patient, Vault: r.Vault, Scope: r.Scope, Purpose: r.Purpose, Expiry: r.Expiry}
			var res types.MsgRequestRemoteAccessResponse
			return sendAndReport(cmd, clientCtx, "", func(in *txclient.Included) (string, map[string]any, error) {
				if err := in.Response(0, &res); err != nil {
					return "", nil, err
				}
				return fmt.Sprintf("remote request %d sent (outbox entry %d)", res.RequestId, res.OutboxId),
					map[string]any{"request_id": res.RequestId, "outbox_id": res.OutboxId}, nil
			}, msg)
		},
	}
	addRequestFlags(cmd)
	return cmd
}

// addRequestFlags registers the scope flags of both request commands.
func addRequestFlags(cmd *cobra.Command) {
	cmd.Flags().String(flagFromTime, "", "start of the time window (RFC 3339 or duration from now, e.g. -24h)")
	cmd.Flags().String(flagToTime, "", "end of the time window, exclusive (RFC 3339 or duration from now)")
	cmd.Flags().Uint32(flagMaxRecords, 0, "most records the grant may cover")
	cmd.Flags().String(flagPurpose, "", "purpose of use, shown to the patient")
	cmd.Flags().String(flagExpiry, "", "when the grant should end (RFC 3339 or duration from now)")
	flags.AddTxFlagsToCmd(cmd)
	txclient.AddWaitFlags(cmd)
}

// requestInput is what both request commands ask for.
type requestInput struct {
	Patient, Vault string
	Scope          types.Scope
	Purpose        string
	Expiry         time.Time
}

// requestFromFlags reads and checks the patient, the vault and the scope
// flags (times relative to now).
func requestFromFlags(cmd *cobra.Command, patient, vault string, now time.Time) (requestInput, error) {
	if _, err := sdk.AccAddressFromBech32(patient); err != nil {
		return requestInput{}, fmt.Errorf("patient %q: %v", patient, err)
	}
	if err := types.ValidateVaultName(vault); err != nil {
		return requestInput{}, err
	}
	get := func(name string) (time.Time, error) {
		s, _ := cmd.Flags().GetString(name)
		if s == "" {
			return time.Time{}, fmt.Errorf("--%s is required", name)
		}
		return ParseTime("--"+name, s, now)
	}
	from, err := get(flagFromTime)
	if err != nil {
		return requestInput{}, err
	}
	to, err := get(flagToTime)
	if err != nil {
		return requestInput{}, err
	}
	if !from.Before(to) {
		return requestInput{}, fmt.Errorf("--from-time %s must be before --to-time %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	expiry, err := get(flagExpiry)
	if err != nil {
		return requestInput{}, err
	}
	maxRecords, _ := cmd.Flags().GetUint32(flagMaxRecords)
	if maxRecords == 0 {
		return requestInput{}, errors.New("--max-records is required and must be positive")
	}
	purpose, _ := cmd.Flags().GetString(flagPurpose)
	if purpose == "" {
		return requestInput{}, errors.New("--purpose is required")
	}
	return requestInput{
		Patient: patient, Vault: vault,
		Scope:   types.Scope{FromTime: from, ToTime: to, MaxRecords: maxRecords},
		Purpose: purpose, Expiry: expiry,
	}, nil
}
