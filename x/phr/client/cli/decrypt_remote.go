package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"

	"github.com/medexchain/medexchain/internal/keyfile"
	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// DecryptRemote is `phr decrypt-remote` without the node: a record shared
// from a peer chain, opened from this chain's state alone. It reads this
// chain's mirror of the peer's grant (key grant, vault key A, window, the
// peer's chain id and max_upload_delay) and the inbox share (first-level
// capsules as this chain's firewall rerandomized them, body, the record's
// metadata and the device's registered key as the peer shipped them), and
// opens the record with the same checks as DecryptRecord: C_0^d = A under
// the peer's chain id, the device's signature, the signed metadata against
// the peer's chain id and the record's metadata, the signed time against the
// grant's window and the peer's max_upload_delay, the FHIR resource type.
func DecryptRemote(ctx context.Context, q types.QueryClient, clientID string, grantID, recordID uint64, sk *keys.RequesterSecretKey) (*Decrypted, error) {
	gres, err := q.RemoteGrant(ctx, &types.QueryRemoteGrantRequest{ClientId: clientID, GrantId: grantID})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("remote grant %d over %s", grantID, clientID), err)
	}
	g := gres.Grant
	sres, err := q.InboxShare(ctx, &types.QueryInboxShareRequest{ClientId: clientID, GrantId: grantID, RecordId: recordID})
	if err != nil {
		return nil, txclient.QueryError(fmt.Sprintf("inbox share of record %d under grant %d over %s (fetch-remote it first)", recordID, grantID, clientID), err)
	}
	share := sres.Share
	if share.Outcome != types.SHARE_OUTCOME_DELIVERED {
		return nil, fmt.Errorf("record %d under grant %d over %s is %s: its re-encryption timed out on the patient chain; fetch-remote it again",
			recordID, grantID, clientID, share.Outcome)
	}
	m := share.Meta
	in := sharedRecord{
		ChainID: g.ChainId,
		Grant: types.Grant{Id: g.GrantId, Patient: g.Patient, Vault: g.Vault, Epoch: g.Epoch, Scope: g.Scope,
			Status: g.Status, RequesterKey: g.RequesterKey, KeyGrant: g.KeyGrant},
		Record: types.Record{Id: recordID, Patient: m.Patient, Vault: m.Vault, Epoch: m.Epoch, DeviceId: m.DeviceId,
			Time: m.Time, ResourceType: m.ResourceType, Body: share.Body},
		FirstLevel: share.FirstLevel, DeviceKey: m.DeviceKey, VaultKey: g.VaultKey,
		MaxLag: time.Duration(g.MaxUploadDelaySeconds) * time.Second,
	}
	return in.open(sk)
}

func decryptRemoteCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "decrypt-remote [client-id] [grant-id] [record-id]",
		Short: "Decrypt a record shared from a peer chain with the requester key file, from this chain's state alone",
		Long: `Reads this chain's mirror of the peer chain's grant and the inbox share of the record
(q phr remote-grant, q phr inbox-share) from --node, this chain's node; derives the
grant key from --requester-key under the peer's chain id (refusing a grant whose
C_0^d is not the vault key the peer shipped), recovers the envelope, verifies the
device's Ed25519 signature with the device key the peer shipped, and checks the
signed metadata (the peer's chain id, patient, vault, epoch, device) against the
record's and the signed effective time against the grant's window and the peer's
max_upload_delay. With --seen-file, a sequence number already seen for this device
under another record is refused as a replay. Prints the FHIR JSON, or writes it to
--out.`,
		Example: `medexchaind phr decrypt-remote 07-tendermint-0 7 12 --requester-key hospital.key --node tcp://localhost:26757`,
		Args:    cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			grantID, err := ParseID("grant id", args[1])
			if err != nil {
				return err
			}
			recordID, err := ParseID("record id", args[2])
			if err != nil {
				return err
			}
			sk, err := keyfile.FromFlag(cmd, flagRequesterKey, keyfile.Requester, true)
			if err != nil {
				return err
			}
			defer sk.Erase()
			d, err := DecryptRemote(clientCtx.GetCmdContextWithFallback(), types.NewQueryClient(clientCtx), args[0], grantID, recordID, sk)
			if err != nil {
				return err
			}
			return deliverDecrypted(cmd, d)
		},
	}
	addDecryptFlags(cmd)
	return cmd
}
