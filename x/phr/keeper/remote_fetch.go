package keeper

// The hospital chain's fetches under a peer's grant: a Fetch packet over
// the mirrored grant's path. The patient chain decides (it is the source
// of truth for the grant); the checks here only keep packets that it would
// certainly refuse from being sent.

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// FetchRemote queues a Fetch of recordIDs under the peer's grant grantID,
// mirrored here over clientID: hospital must still be an admitted hospital,
// the mirror must be hospital's, GRANTED and
// unexpired by this chain's block time, the peer still admitted, and the
// selection non-empty, without repeats, within max_records_per_fetch and the
// grant's max_records. A record fetched before may be asked again: the
// patient chain re-sends its Share (the retry after a lost one).
func (k *Keeper) FetchRemote(ctx context.Context, hospital sdk.AccAddress, clientID string, grantID uint64, recordIDs []uint64) (uint64, error) {
	// a hospital the authority removed fetches nothing more
	if _, err := k.HospitalRequester(ctx, hospital); err != nil {
		return 0, err
	}
	g, err := k.GetRemoteGrant(ctx, clientID, grantID)
	if err != nil {
		return 0, err
	}
	if g.Hospital != hospital.String() {
		return 0, errorsmod.Wrapf(types.ErrNotRequester, "grant %d of %s was requested by %s", grantID, clientID, g.Hospital)
	}
	if err := k.activeRemoteGrant(ctx, g); err != nil {
		return 0, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return 0, err
	}
	if len(recordIDs) == 0 || len(recordIDs) > int(params.MaxRecordsPerFetch) || len(recordIDs) > int(g.Scope.MaxRecords) {
		return 0, errorsmod.Wrapf(types.ErrTooManyRecords, "%d records, 1-%d per fetch under grant %d (max_records %d)",
			len(recordIDs), params.MaxRecordsPerFetch, grantID, g.Scope.MaxRecords)
	}
	seen := make(map[uint64]bool, len(recordIDs))
	for _, id := range recordIDs {
		if id == 0 {
			return 0, errorsmod.Wrap(types.ErrRecordNotFound, "record id 0")
		}
		if seen[id] {
			return 0, errorsmod.Wrapf(types.ErrAlreadyFetched, "record %d listed twice", id)
		}
		seen[id] = true
	}
	if _, err := k.CheckPeer(ctx, clientID); err != nil {
		return 0, err
	}
	return k.enqueue(ctx, types.OutboxEntry{
		Kind: types.PACKET_KIND_FETCH, ClientId: g.ClientId, ChannelId: g.ChannelId,
		ObjectId: remoteGrantObject(g.ClientId, g.GrantId), GrantId: g.GrantId,
		RecordIds: append([]uint64(nil), recordIDs...), Patient: g.Patient, Actor: g.Hospital,
	})
}

// GetRemoteGrant returns the mirror of the peer's grant grantID over
// clientID, or ErrRemoteGrantNotFound.
func (k *Keeper) GetRemoteGrant(ctx context.Context, clientID string, grantID uint64) (types.RemoteGrant, error) {
	g, err := k.RemoteGrants.Get(ctx, collections.Join(clientID, grantID))
	if errors.Is(err, collections.ErrNotFound) {
		return g, errorsmod.Wrapf(types.ErrRemoteGrantNotFound, "grant %d over %s", grantID, clientID)
	}
	return g, err
}

// activeRemoteGrant: the mirror says GRANTED and its expiry is after this
// chain's block time (the chains' clocks differ a little; the patient
// chain's is the one that counts, so this is a first filter only).
func (k *Keeper) activeRemoteGrant(ctx context.Context, g types.RemoteGrant) error {
	switch g.Status {
	case types.GRANT_STATUS_GRANTED:
	case types.GRANT_STATUS_REVOKED:
		return errorsmod.Wrapf(types.ErrGrantRevoked, "grant %d of %s", g.GrantId, g.ClientId)
	case types.GRANT_STATUS_EXPIRED:
		return errorsmod.Wrapf(types.ErrGrantExpired, "grant %d of %s", g.GrantId, g.ClientId)
	default:
		return errorsmod.Wrapf(types.ErrGrantState, "grant %d of %s is %s", g.GrantId, g.ClientId, g.Status)
	}
	if now := sdk.UnwrapSDKContext(ctx).BlockTime(); !g.Expiry.After(now) {
		return errorsmod.Wrapf(types.ErrGrantExpired, "grant %d of %s expired at %s", g.GrantId, g.ClientId, g.Expiry.UTC())
	}
	return nil
}

// fetchPacket builds the Fetch of outbox entry e: the requester is the
// hospital the mirror names, the selection the one it asked for.
func (k *Keeper) fetchPacket(ctx context.Context, e *types.OutboxEntry) (*types.PacketData, error) {
	g, err := k.GetRemoteGrant(ctx, e.ClientId, e.GrantId)
	if err != nil {
		return nil, err
	}
	if g.ChannelId != e.ChannelId {
		return nil, errorsmod.Wrapf(types.ErrInvalidPacket, "grant %d of %s is over channel %q, the outbox entry over %q",
			g.GrantId, g.ClientId, g.ChannelId, e.ChannelId)
	}
	return &types.PacketData{Body: &types.PacketData_Fetch{Fetch: &types.FetchPacket{
		GrantId: g.GrantId, Requester: g.Hospital, RecordIds: e.RecordIds,
	}}}, nil
}

// onFetchOutcome has nothing to do: the outbox entry and its audit entries
// say what became of the fetch, and the records come as Share packets.
func (k *Keeper) onFetchOutcome(context.Context, types.OutboxEntry, types.PacketOutcome) error {
	return nil
}
