package keeper

// The hospital chain's inbox: one record per Share packet from the patient
// chain, validated by this chain's firewall core and stored with its
// first-level capsules rerandomized.

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// maxResourceTypeLen bounds a shared record's FHIR resource type.
const maxResourceTypeLen = 64

// recvShare stores one shared record in the inbox. Before any write: the
// grant is mirrored here as GRANTED over this same path; a DELIVERED share
// carries exactly NumCapsules canonical first-level capsules of the grant's
// X, a bucket-sized body within this chain's max_record_bytes, and metadata
// of the grant's patient, vault and epoch, inside its window, with a
// canonical Ed25519 device key; an EXPIRED share carries neither capsules
// nor body (the hospital may fetch the record again). The capsules are
// stored rerandomized with the grant's C_0 and A (block execution only). A
// record already delivered in the inbox is acked and left as it is (the
// patient chain re-sends a Share when the record is fetched again).
func (k *Keeper) recvShare(ctx context.Context, origin types.PacketOrigin, senderHash []byte, p *types.SharePacket) (*types.PacketAck, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	g, err := k.GetRemoteGrant(ctx, origin.ClientID, p.GrantId)
	if err != nil {
		return nil, err
	}
	if g.ChannelId != origin.ChannelID {
		return nil, errorsmod.Wrapf(types.ErrRemoteGrantNotFound, "grant %d of %s is mirrored over channel %q, not %q",
			g.GrantId, g.ClientId, g.ChannelId, origin.ChannelID)
	}
	if g.Status != types.GRANT_STATUS_GRANTED {
		return nil, errorsmod.Wrapf(types.ErrGrantState, "grant %d of %s is %s", g.GrantId, g.ClientId, g.Status)
	}
	if p.RecordId == 0 {
		return nil, errorsmod.Wrap(types.ErrInvalidShare, "record id 0")
	}
	share := types.InboxShare{
		ClientId: g.ClientId, GrantId: g.GrantId, RecordId: p.RecordId, Outcome: p.Outcome,
		SourceAuditHash: senderHash, Height: sdkCtx.BlockHeight(), Hospital: g.Hospital,
	}
	switch p.Outcome {
	case types.SHARE_OUTCOME_DELIVERED:
		stored, err := k.checkDeliveredShare(sdkCtx, origin, g, p)
		if err != nil {
			return nil, err
		}
		share.Meta, share.FirstLevel, share.Body = p.Meta, stored, p.Body
	case types.SHARE_OUTCOME_EXPIRED:
		if len(p.FirstLevel) != 0 || len(p.Body) != 0 {
			return nil, errorsmod.Wrap(types.ErrInvalidShare, "an EXPIRED share carries no capsules and no body")
		}
		share.Meta = p.Meta
	default:
		return nil, errorsmod.Wrapf(types.ErrInvalidShare, "outcome %s", p.Outcome)
	}

	key := collections.Join3(g.ClientId, g.GrantId, p.RecordId)
	prev, err := k.Inbox.Get(ctx, key)
	switch {
	case err == nil && prev.Outcome == types.SHARE_OUTCOME_DELIVERED:
		// replay (or a re-sent Share of a record fetched again): keep the first
	case err == nil || errors.Is(err, collections.ErrNotFound):
		if err := k.Inbox.Set(ctx, key, share); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	hash, err := k.auditIBC(ctx, types.ActionRecvShare, g.Hospital, g.Patient,
		remoteGrantObject(g.ClientId, g.GrantId)+"/"+recordObject(p.RecordId)+"/"+p.Outcome.String(),
		originCounterparty(origin, senderHash), audittypes.OUTCOME_SUCCESS)
	if err != nil {
		return nil, err
	}
	return &types.PacketAck{ReceiverAuditHash: hash}, nil
}

// checkDeliveredShare validates a DELIVERED share against the mirror g and
// returns the first-level capsules to store: the metadata first (no crypto),
// then the firewall core (gas before each decode), then the
// rerandomization.
func (k *Keeper) checkDeliveredShare(ctx sdk.Context, origin types.PacketOrigin, g types.RemoteGrant, p *types.SharePacket) ([][]byte, error) {
	m := p.Meta
	switch {
	case m.Patient != g.Patient || m.Vault != g.Vault || m.Epoch != g.Epoch:
		return nil, errorsmod.Wrapf(types.ErrInvalidShare, "record %d is of %s vault %q epoch %d, grant %d of %s vault %q epoch %d",
			p.RecordId, m.Patient, m.Vault, m.Epoch, g.GrantId, g.Patient, g.Vault, g.Epoch)
	case m.Time.Before(g.Scope.FromTime) || !m.Time.Before(g.Scope.ToTime):
		return nil, errorsmod.Wrapf(types.ErrInvalidShare, "record %d at %s is outside grant %d's window", p.RecordId, m.Time.UTC(), g.GrantId)
	case types.ValidateDeviceID(m.DeviceId) != nil:
		return nil, errorsmod.Wrapf(types.ErrInvalidShare, "device id %q", m.DeviceId)
	case m.ResourceType == "" || len(m.ResourceType) > maxResourceTypeLen:
		return nil, errorsmod.Wrapf(types.ErrInvalidShare, "resource type of %d bytes", len(m.ResourceType))
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	fls, err := validateShare(ctx.GasMeter(), p.FirstLevel, p.Body, params.MaxRecordBytes)
	if err != nil {
		return nil, err
	}
	ctx.GasMeter().ConsumeGas(types.GasDecodeElement, "phr/decode-key")
	if _, err := keys.DecodeDevicePublicKey(m.DeviceKey); err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidShare, "device key: %v", err)
	}
	// the mirror's key grant and vault key were validated when it was
	// written; only X and C_0 are needed here
	ctx.GasMeter().ConsumeGas(uint64(1+g.Threshold)*types.GasDecodeElement, "phr/decode-grant")
	kg, err := pre.DecodeGrant(g.KeyGrant)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidKeyGrant, "mirrored key grant: %v", err)
	}
	for i, fl := range fls {
		if !fl.X.Equal(kg.X) {
			return nil, errorsmod.Wrapf(types.ErrInvalidShare, "first-level capsule %d is not for grant %d (X differs)", i, g.GrantId)
		}
	}
	ctx.GasMeter().ConsumeGas(types.GasDecodeElement, "phr/decode-key")
	A, err := group.DecodeElement(g.VaultKey)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrVaultKeyNonCanonical, "mirrored vault key: %v", err)
	}
	return rerandomizeShare(ctx.GasMeter(), kg.C0(), A, fls, packetRerandSeed(ctx, origin)), nil
}
