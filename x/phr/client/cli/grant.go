package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// GrantParams is what the patient decides when answering a request.
type GrantParams struct {
	ChainID   string
	Patient   string // the signer's bech32 address
	GrantID   uint64
	Threshold int
	// Expiry of the grant; zero means the expiry the hospital asked for
	// (the chain refuses anything later).
	Expiry time.Time
}

// BuildGrant is `phr grant` without the node: it reads the request and the
// proxy committee through q, checks them against the patient's vault key
// file, and builds the MsgGrantAccess carrying fresh fragments for every
// committee proxy (docs/crypto.md §4). rnd is crypto/rand outside tests.
func BuildGrant(ctx context.Context, q types.QueryClient, p GrantParams, vault *keys.VaultSecretKey, rnd io.Reader) (*types.MsgGrantAccess, error) {
	res, err := q.Grant(ctx, &types.QueryGrantRequest{Id: p.GrantID})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("grant %d", p.GrantID), err)
	}
	g := res.Grant
	if g.Patient != p.Patient {
		return nil, fmt.Errorf("grant %d is a request to patient %s, not to %s (--from)", g.Id, g.Patient, p.Patient)
	}
	if g.Status != types.GRANT_STATUS_REQUESTED {
		return nil, fmt.Errorf("grant %d is %s: only a pending request can be granted", g.Id, g.Status)
	}
	if vault.Epoch != g.Epoch {
		return nil, fmt.Errorf("the vault key file is for epoch %d, request %d is for vault %q epoch %d", vault.Epoch, g.Id, g.Vault, g.Epoch)
	}
	cur, err := CurrentVault(ctx, q, g.Patient, g.Vault)
	if err != nil {
		return nil, err
	}
	if cur.Epoch != g.Epoch {
		return nil, fmt.Errorf("vault %q rotated to epoch %d since request %d (epoch %d): the hospital must request again", g.Vault, cur.Epoch, g.Id, g.Epoch)
	}
	epochKey, err := q.VaultEpoch(ctx, &types.QueryVaultEpochRequest{Patient: g.Patient, Vault: g.Vault, Epoch: g.Epoch})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("vault %q epoch %d", g.Vault, g.Epoch), err)
	}
	// A key file of another vault (same epoch number) would yield a grant the
	// hospital refuses (C_0^d ≠ A); catch it here.
	if !bytes.Equal(vault.Public().Bytes(), epochKey.Key.PublicKey) {
		return nil, fmt.Errorf("the vault key file is not the key of vault %q epoch %d registered on chain", g.Vault, g.Epoch)
	}
	requester, err := keys.DecodeRequesterPublicKey(g.RequesterKey)
	if err != nil {
		return nil, fmt.Errorf("grant %d: the requester key on chain is invalid: %v", g.Id, err)
	}

	members, err := Committee(ctx, q)
	if err != nil {
		return nil, err
	}
	n := len(members)
	if n < 2 {
		return nil, fmt.Errorf("the chain has %d admitted proxies; a grant needs a committee of at least 2", n)
	}
	if p.Threshold < 2 || p.Threshold > n {
		return nil, fmt.Errorf("--threshold %d: need 2 ≤ t ≤ %d (the committee size)", p.Threshold, n)
	}
	recipients, err := Recipients(members)
	if err != nil {
		return nil, err
	}

	expiry := p.Expiry
	if expiry.IsZero() {
		expiry = g.RequestedExpiry
	}
	if expiry.After(g.RequestedExpiry) {
		return nil, fmt.Errorf("--expiry %s is after the expiry the hospital asked for (%s)", expiry.UTC().Format(time.RFC3339), g.RequestedExpiry.UTC().Format(time.RFC3339))
	}

	kg, err := pre.CreateGrant(vault, pre.GrantContext{ChainID: p.ChainID, GrantID: g.Id, Vault: g.Vault, Epoch: g.Epoch}, requester, p.Threshold, recipients, rnd)
	if err != nil {
		return nil, fmt.Errorf("building the fragments: %w", err)
	}
	return &types.MsgGrantAccess{Patient: p.Patient, GrantId: g.Id, KeyGrant: kg.Bytes(), Expiry: expiry.UTC()}, nil
}

const (
	flagVaultKey  = "vault-key"
	flagThreshold = "threshold"
	flagExpiry    = "expiry"
)

func grantCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "grant [grant-id]",
		Short: "Answer an access request: build key fragments for the proxy committee from the vault key file and broadcast the grant",
		Long: `Reads request <grant-id> and the proxy committee (every admitted proxy, with its
HPKE key) from the node, checks that the request is addressed to --from and that
--vault-key holds that vault's key of the request's epoch, builds a t-of-n key
grant (fresh x, Feldman commitments, one HPKE-sealed fragment per proxy) and
broadcasts MsgGrantAccess. The vault secret never leaves this process.`,
		Example: `medexchaind phr grant 7 --vault-key vitals.key --threshold 2 --expiry 24h --from alice
medexchaind phr grant 7 --vault-key vitals.key --expiry 2026-06-01T00:00:00Z --from alice --yes`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			id, err := ParseID("grant id", args[0])
			if err != nil {
				return err
			}
			p := GrantParams{GrantID: id, Patient: clientCtx.GetFromAddress().String()}
			if clientCtx.GetFromAddress().Empty() {
				return errors.New("--from is required: the patient's account")
			}
			if p.ChainID, err = txclient.ChainID(clientCtx); err != nil {
				return err
			}
			p.Threshold, _ = cmd.Flags().GetInt(flagThreshold)
			if s, _ := cmd.Flags().GetString(flagExpiry); s != "" {
				if p.Expiry, err = ParseTime("--expiry", s, time.Now()); err != nil {
					return err
				}
			}
			vault, err := keyfile.FromFlag(cmd, flagVaultKey, keyfile.Vault, true)
			if err != nil {
				return err
			}
			defer vault.Erase()
			ctx := clientCtx.GetCmdContextWithFallback()
			msg, err := BuildGrant(ctx, types.NewQueryClient(clientCtx), p, vault, rand.Reader)
			if err != nil {
				return err
			}
			fields := map[string]any{"grant_id": id, "threshold": p.Threshold, "expiry": msg.Expiry.Format(time.RFC3339)}
			return sendAndReport(cmd, clientCtx, fmt.Sprintf("grant %d granted with threshold %d until %s", id, p.Threshold, msg.Expiry.Format(time.RFC3339)),
				func(*txclient.Included) (string, map[string]any, error) {
					return fmt.Sprintf("grant %d granted with threshold %d until %s", id, p.Threshold, msg.Expiry.Format(time.RFC3339)), fields, nil
				}, msg)
		},
	}
	cmd.Flags().String(flagVaultKey, "", "the vault's encrypted key file (phr keygen vault)")
	cmd.Flags().Int(flagThreshold, 2, "proxies needed to re-encrypt (2 ≤ t ≤ committee size)")
	cmd.Flags().String(flagExpiry, "", "grant expiry: RFC 3339 time or duration from now (default: the expiry the hospital asked for)")
	keyfile.AddPassphraseFlag(cmd)
	flags.AddTxFlagsToCmd(cmd)
	txclient.AddWaitFlags(cmd)
	return cmd
}
