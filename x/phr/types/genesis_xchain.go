package types

import (
	"fmt"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// validateCrossChain checks the cross-chain state so that InitGenesis can
// rebuild every index from it: peers once each; outbox entries of a known
// kind and status, with unique ids up to last_outbox_id and, in flight, a
// unique (path, sequence); remote grants (patient side) naming their
// canonical identity, each peer request once; the hospital side's requests,
// mirrors and inbox with valid hospitals, unique keys, and every inbox share
// under a mirrored grant.
func (gs GenesisState) validateCrossChain() error {
	peers := map[string]bool{}
	for _, p := range gs.Peers {
		if p.ClientId == "" || p.ChainId == "" || p.Name == "" {
			return errorsmod.Wrapf(ErrInvalidGenesis, "peer %q: client id, chain id and name are required", p.ClientId)
		}
		if peers[p.ClientId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "peer %s listed twice", p.ClientId)
		}
		peers[p.ClientId] = true
	}
	if err := gs.validateOutbox(); err != nil {
		return err
	}
	requests := map[string]bool{}
	for _, g := range gs.Grants {
		if g.Remote == nil {
			continue
		}
		if err := g.Remote.Validate(); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "grant %d: %v", g.Id, err)
		}
		if g.Requester != g.Remote.Identity() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "grant %d: requester %q is not its remote identity %q", g.Id, g.Requester, g.Remote.Identity())
		}
		key := fmt.Sprintf("%s/%d", g.Remote.ClientId, g.Remote.RequestId)
		if requests[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "grant %d: request %d of client %s opened twice", g.Id, g.Remote.RequestId, g.Remote.ClientId)
		}
		requests[key] = true
	}
	return gs.validateHospitalSide()
}

func (gs GenesisState) validateOutbox() error {
	ids := map[uint64]bool{}
	inFlight := map[string]bool{}
	for _, e := range gs.Outbox {
		if e.Id == 0 || e.Id > gs.LastOutboxId || ids[e.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "outbox id %d is zero, repeated or above the last assigned id %d", e.Id, gs.LastOutboxId)
		}
		ids[e.Id] = true
		if _, ok := PacketKind_name[int32(e.Kind)]; !ok || e.Kind == PACKET_KIND_UNSPECIFIED {
			return errorsmod.Wrapf(ErrInvalidGenesis, "outbox entry %d: kind %d", e.Id, e.Kind)
		}
		if _, ok := OutboxStatus_name[int32(e.Status)]; !ok || e.Status == OUTBOX_STATUS_UNSPECIFIED {
			return errorsmod.Wrapf(ErrInvalidGenesis, "outbox entry %d: status %d", e.Id, e.Status)
		}
		if e.ClientId == "" {
			return errorsmod.Wrapf(ErrInvalidGenesis, "outbox entry %d without a client", e.Id)
		}
		if e.Status == OUTBOX_STATUS_IN_FLIGHT {
			key := fmt.Sprintf("%s/%d", e.Path(), e.Sequence)
			if e.Sequence == 0 || inFlight[key] {
				return errorsmod.Wrapf(ErrInvalidGenesis, "outbox entry %d: in flight with sequence %d, zero or taken", e.Id, e.Sequence)
			}
			inFlight[key] = true
		}
	}
	return nil
}

func (gs GenesisState) validateHospitalSide() error {
	hospital := func(what, addr string) error {
		if _, err := sdk.AccAddressFromBech32(addr); err != nil {
			return errorsmod.Wrapf(ErrInvalidGenesis, "%s: hospital %q: %v", what, addr, err)
		}
		return nil
	}
	ids := map[uint64]bool{}
	for _, r := range gs.RemoteRequests {
		if r.Id == 0 || r.Id > gs.LastRemoteRequestId || ids[r.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "remote request id %d is zero, repeated or above the last assigned id %d", r.Id, gs.LastRemoteRequestId)
		}
		ids[r.Id] = true
		if err := hospital(fmt.Sprintf("remote request %d", r.Id), r.Hospital); err != nil {
			return err
		}
		if r.ClientId == "" {
			return errorsmod.Wrapf(ErrInvalidGenesis, "remote request %d without a client", r.Id)
		}
	}
	mirrors := map[string]bool{}
	for _, g := range gs.RemoteGrants {
		key := fmt.Sprintf("%s/%d", g.ClientId, g.GrantId)
		if g.ClientId == "" || g.GrantId == 0 || mirrors[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "remote grant %s: no client, grant id 0 or listed twice", key)
		}
		mirrors[key] = true
		if err := hospital("remote grant "+key, g.Hospital); err != nil {
			return err
		}
	}
	inbox := map[string]bool{}
	for _, s := range gs.Inbox {
		grant := fmt.Sprintf("%s/%d", s.ClientId, s.GrantId)
		key := fmt.Sprintf("%s/%d", grant, s.RecordId)
		if !mirrors[grant] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "inbox share %s: no mirrored grant %s", key, grant)
		}
		if inbox[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "inbox share %s listed twice", key)
		}
		inbox[key] = true
	}
	return nil
}
