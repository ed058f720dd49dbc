package keeper

// The hospital chain's mirror of a peer's grant, written from the peer's
// GrantDecision packets: with it the hospital checks C_0^d = A and decrypts
// from this chain's state alone.

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/types"
)

// recvGrantDecision mirrors the patient chain's decision on one of this
// chain's requests. Everything is checked before the first write: the
// decision answers a request sent over this same path (by request id, for
// the same patient and vault), which is SENT (the ack may still be on its
// way: the decision then accepts it) or ACCEPTED as this grant; the mirror's
// status only moves forward (none → GRANTED, DENIED, REVOKED or EXPIRED;
// GRANTED → REVOKED or EXPIRED); its note is no longer than a local one; a
// GRANTED decision carries a key grant that decodes strictly for the peer's
// chain id and grant id, a threshold equal to the key grant's, a canonical
// vault key, and an expiry within the request's. The chain id in the mirror is the one the admitted peer's client
// tracks, never the packet's claim.
func (k *Keeper) recvGrantDecision(ctx context.Context, origin types.PacketOrigin, senderHash []byte, p *types.GrantDecisionPacket) (*types.PacketAck, error) {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	r, err := k.GetRemoteRequest(ctx, p.RequestId)
	if err != nil {
		return nil, err
	}
	if r.ClientId != origin.ClientID || r.ChannelId != origin.ChannelID {
		return nil, errorsmod.Wrapf(types.ErrRemoteRequestNotFound, "request %d was not sent over %s/%s", p.RequestId, origin.ClientID, origin.ChannelID)
	}
	if p.GrantId == 0 {
		return nil, errorsmod.Wrap(types.ErrInvalidPacket, "grant id 0")
	}
	if err := checkNote(p.Note); err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidPacket, err.Error())
	}
	switch r.Status {
	case types.REMOTE_REQUEST_STATUS_SENT:
	case types.REMOTE_REQUEST_STATUS_ACCEPTED:
		if r.GrantId != p.GrantId {
			return nil, errorsmod.Wrapf(types.ErrInvalidPacket, "request %d was accepted as grant %d, not %d", r.Id, r.GrantId, p.GrantId)
		}
	default:
		return nil, errorsmod.Wrapf(types.ErrGrantState, "request %d is %s", r.Id, r.Status)
	}
	if p.Patient != r.Patient || p.Vault != r.Vault {
		return nil, errorsmod.Wrapf(types.ErrInvalidPacket, "grant %d is of %s vault %q, request %d of %s vault %q",
			p.GrantId, p.Patient, p.Vault, r.Id, r.Patient, r.Vault)
	}
	if p.ChainId != origin.ChainID {
		return nil, errorsmod.Wrapf(types.ErrPeerChainID, "decision names chain %q, the peer is %q", p.ChainId, origin.ChainID)
	}
	old, err := k.RemoteGrants.Get(ctx, collections.Join(origin.ClientID, p.GrantId))
	exists := err == nil
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return nil, err
	}
	if exists && old.RequestId != r.Id {
		return nil, errorsmod.Wrapf(types.ErrInvalidPacket, "grant %d answers request %d, not %d", p.GrantId, old.RequestId, r.Id)
	}
	if exists && old.Status == p.Status && old.Status != types.GRANT_STATUS_GRANTED {
		// A repeat of a final decision: the patient chain builds a decision
		// when it sends it, so a grant revoked while the path was down goes
		// out twice as REVOKED. Acked and audited; the mirror is unchanged.
		return k.ackDecision(ctx, origin, senderHash, old, p.Status)
	}
	if err := checkDecisionTransition(old.Status, exists, p.Status); err != nil {
		return nil, err
	}

	g := old
	if !exists {
		g = types.RemoteGrant{
			ClientId: origin.ClientID, GrantId: p.GrantId, RequestId: r.Id, Hospital: r.Hospital, ChainId: origin.ChainID,
			Patient: r.Patient, Vault: r.Vault, RequesterKey: r.RequesterKey, ChannelId: origin.ChannelID,
			Scope: p.Scope, Expiry: p.Expiry.UTC(),
		}
	}
	if p.Status == types.GRANT_STATUS_GRANTED {
		if err := checkGrantedDecision(sdkCtx, origin.ChainID, r, p); err != nil {
			return nil, err
		}
		g.Epoch, g.VaultKey, g.Scope, g.Threshold, g.KeyGrant = p.Epoch, p.VaultKey, p.Scope, p.Threshold, p.KeyGrant
		g.Expiry, g.MaxUploadDelaySeconds = p.Expiry.UTC(), p.MaxUploadDelaySeconds
	}
	g.Status, g.Note, g.Height = p.Status, p.Note, sdkCtx.BlockHeight()

	r.Status, r.GrantId = types.REMOTE_REQUEST_STATUS_ACCEPTED, p.GrantId
	if err := k.RemoteRequests.Set(ctx, r.Id, r); err != nil {
		return nil, err
	}
	if err := k.RemoteGrants.Set(ctx, collections.Join(g.ClientId, g.GrantId), g); err != nil {
		return nil, err
	}
	return k.ackDecision(ctx, origin, senderHash, g, p.Status)
}

// ackDecision audits a received decision on mirror g and acks it with the
// entry's hash.
func (k *Keeper) ackDecision(ctx context.Context, origin types.PacketOrigin, senderHash []byte, g types.RemoteGrant, status types.GrantStatus) (*types.PacketAck, error) {
	hash, err := k.auditIBC(ctx, types.ActionRecvGrantDecision, g.Hospital, g.Patient,
		remoteGrantObject(g.ClientId, g.GrantId)+"/"+status.String(), originCounterparty(origin, senderHash), audittypes.OUTCOME_SUCCESS)
	if err != nil {
		return nil, err
	}
	return &types.PacketAck{ReceiverAuditHash: hash}, nil
}

// checkDecisionTransition lets a mirror's status move forward only: a new
// mirror may start at any decided status (a revocation can overtake the
// grant it ends: packets are unordered), a GRANTED one may end, a final one
// stays (a repeat of it is acked by recvGrantDecision without a change).
func checkDecisionTransition(old types.GrantStatus, exists bool, next types.GrantStatus) error {
	switch next {
	case types.GRANT_STATUS_GRANTED, types.GRANT_STATUS_DENIED, types.GRANT_STATUS_REVOKED, types.GRANT_STATUS_EXPIRED:
	default:
		return errorsmod.Wrapf(types.ErrInvalidPacket, "decision status %s", next)
	}
	if !exists {
		return nil
	}
	if old == types.GRANT_STATUS_GRANTED && (next == types.GRANT_STATUS_REVOKED || next == types.GRANT_STATUS_EXPIRED) {
		return nil
	}
	return errorsmod.Wrapf(types.ErrGrantState, "mirrored grant is %s, a decision %s cannot follow", old, next)
}

// checkGrantedDecision is what a GRANTED decision must carry: a key grant
// that decodes strictly with valid proxy ids for the peer's chain and this
// grant (the chain firewall's grant core), a threshold that is the key
// grant's, a canonical vault key of a real epoch, a sane scope and an expiry
// within the request's. Whether C_0^d = A only the hospital can tell (it
// needs b); `phr decrypt-remote` checks it.
func checkGrantedDecision(ctx sdk.Context, peerChainID string, r types.RemoteRequest, p *types.GrantDecisionPacket) error {
	kg, err := decodeKeyGrant(ctx.GasMeter(), p.KeyGrant, peerChainID, p.GrantId)
	if err != nil {
		return err
	}
	if p.Threshold < 2 || int(p.Threshold) != kg.Threshold {
		return errorsmod.Wrapf(types.ErrInvalidKeyGrant, "threshold %d, the key grant's is %d", p.Threshold, kg.Threshold)
	}
	ctx.GasMeter().ConsumeGas(types.GasDecodeElement, "phr/decode-key")
	if _, err := group.DecodeElement(p.VaultKey); err != nil {
		return errorsmod.Wrapf(types.ErrVaultKeyNonCanonical, "vault key: %v", err)
	}
	if p.Epoch == 0 {
		return errorsmod.Wrap(types.ErrInvalidPacket, "epoch 0")
	}
	if err := validateScope(p.Scope); err != nil {
		return err
	}
	if p.Expiry.After(r.Expiry) {
		return errorsmod.Wrapf(types.ErrInvalidExpiry, "grant expiry %s is after the requested %s", p.Expiry.UTC(), r.Expiry.UTC())
	}
	return nil
}
