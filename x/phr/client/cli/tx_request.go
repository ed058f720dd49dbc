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

// request-access is hand-written: its scope is a nested message with two
// timestamps, which autocli can only take as a JSON blob, and its times read
// better as "24h ago" than as RFC 3339 only.

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
			msg, err := requestFromFlags(cmd, clientCtx.GetFromAddress().String(), args[0], args[1], time.Now())
			if err != nil {
				return err
			}
			var res types.MsgRequestAccessResponse
			return sendAndReport(cmd, clientCtx, "", func(in *txclient.Included) (string, map[string]any, error) {
				if err := in.Response(0, &res); err != nil {
					return "", nil, err
				}
				return fmt.Sprintf("grant %d requested", res.GrantId), map[string]any{"grant_id": res.GrantId}, nil
			}, msg)
		},
	}
	cmd.Flags().String(flagFromTime, "", "start of the time window (RFC 3339 or duration from now, e.g. -24h)")
	cmd.Flags().String(flagToTime, "", "end of the time window, exclusive (RFC 3339 or duration from now)")
	cmd.Flags().Uint32(flagMaxRecords, 0, "most records the grant may cover")
	cmd.Flags().String(flagPurpose, "", "purpose of use, shown to the patient")
	cmd.Flags().String(flagExpiry, "", "when the grant should end (RFC 3339 or duration from now)")
	flags.AddTxFlagsToCmd(cmd)
	txclient.AddWaitFlags(cmd)
	return cmd
}

func requestFromFlags(cmd *cobra.Command, requester, patient, vault string, now time.Time) (*types.MsgRequestAccess, error) {
	if _, err := sdk.AccAddressFromBech32(patient); err != nil {
		return nil, fmt.Errorf("patient %q: %v", patient, err)
	}
	if err := types.ValidateVaultName(vault); err != nil {
		return nil, err
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
		return nil, err
	}
	to, err := get(flagToTime)
	if err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, fmt.Errorf("--from-time %s must be before --to-time %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	expiry, err := get(flagExpiry)
	if err != nil {
		return nil, err
	}
	maxRecords, _ := cmd.Flags().GetUint32(flagMaxRecords)
	if maxRecords == 0 {
		return nil, errors.New("--max-records is required and must be positive")
	}
	purpose, _ := cmd.Flags().GetString(flagPurpose)
	if purpose == "" {
		return nil, errors.New("--purpose is required")
	}
	return &types.MsgRequestAccess{
		Requester: requester, Patient: patient, Vault: vault,
		Scope:   types.Scope{FromTime: from, ToTime: to, MaxRecords: maxRecords},
		Purpose: purpose, Expiry: expiry,
	}, nil
}
