package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// grantDecisionPacket describes e's grant as it stands now (a decision sent
// late carries the latest status: A's state is the truth, the packet a
// notification) with what the hospital needs to check C_0^d = A from its own
// chain's state: this chain's id, the vault key of the grant's epoch, the key
// grant and the upload delay its time check uses.
func (k *Keeper) grantDecisionPacket(ctx context.Context, e *types.OutboxEntry) (*types.PacketData, error) {
	g, err := k.GetGrant(ctx, e.GrantId)
	if err != nil {
		return nil, err
	}
	if g.Remote == nil {
		return nil, errorsmod.Wrapf(types.ErrLocalGrant, "grant %d", g.Id)
	}
	patient, err := k.addressCodec.StringToBytes(g.Patient)
	if err != nil {
		return nil, err
	}
	vaultKey, err := k.VaultKeyAt(ctx, patient, g.Vault, g.Epoch)
	if err != nil {
		return nil, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	// a request never granted has no expiry of its own: it names the one asked for
	expiry := g.Expiry
	if len(g.KeyGrant) == 0 {
		expiry = g.RequestedExpiry
	}
	return &types.PacketData{Body: &types.PacketData_GrantDecision{GrantDecision: &types.GrantDecisionPacket{
		GrantId: g.Id, RequestId: g.Remote.RequestId, Status: g.Status, ChainId: sdk.UnwrapSDKContext(ctx).ChainID(),
		Patient: g.Patient, Vault: g.Vault, Epoch: g.Epoch, VaultKey: vaultKey, Scope: g.Scope,
		Threshold: g.Threshold, KeyGrant: g.KeyGrant, Expiry: expiry, Note: g.Note,
		MaxUploadDelaySeconds: params.MaxUploadDelaySeconds,
	}}}, nil
}

// onGrantDecisionOutcome queues a fresh GrantDecision when one timed out:
// the hospital's chain must learn the decision (a revocation above all). An
// error ack is final: the peer refused it (audited by OnPacketOutcome).
func (k *Keeper) onGrantDecisionOutcome(ctx context.Context, e types.OutboxEntry, out types.PacketOutcome) error {
	if !out.Timeout {
		return nil
	}
	_, err := k.enqueue(ctx, types.OutboxEntry{
		Kind: types.PACKET_KIND_GRANT_DECISION, ClientId: e.ClientId, ChannelId: e.ChannelId,
		ObjectId: e.ObjectId, GrantId: e.GrantId, RequestId: e.RequestId, Actor: e.Actor, Patient: e.Patient,
	})
	return err
}
