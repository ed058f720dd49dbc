package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
	ibcexported "github.com/cosmos/ibc-go/v11/modules/core/exported"
	ibctm "github.com/cosmos/ibc-go/v11/modules/light-clients/07-tendermint"

	"github.com/medexchain/medexchain/x/phr/types"
)

// AdmitPeer admits the chain that clientID tracks as a peer named name. The
// authority admits a client it has seen: the client must exist, be an
// active 07-tendermint client and track chainID.
func (k *Keeper) AdmitPeer(ctx context.Context, authority string, clientID, chainID, name string) error {
	if err := k.checkAdmissionAuthority(ctx, authority); err != nil {
		return err
	}
	if clientID == "" || chainID == "" || name == "" || len(name) > maxPurposeLen {
		return errorsmod.Wrap(types.ErrPeerNotAdmitted, "client id, chain id and a name of at most 256 bytes are required")
	}
	if ok, err := k.Peers.Has(ctx, clientID); err != nil {
		return err
	} else if ok {
		return errorsmod.Wrapf(types.ErrPeerExists, "%s", clientID)
	}
	if err := k.checkClientChain(ctx, clientID, chainID); err != nil {
		return err
	}
	p := types.Peer{ClientId: clientID, ChainId: chainID, Name: name, AdmittedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight()}
	if err := k.Peers.Set(ctx, clientID, p); err != nil {
		return err
	}
	_, err := k.auditSuccess(ctx, types.ActionAdmitPeer, authority, "", "peer/"+clientID)
	return err
}

// RemovePeer withdraws a peer: its handshakes and packets are refused from
// now on; packets in flight to it time out or are acked as usual.
func (k *Keeper) RemovePeer(ctx context.Context, authority string, clientID string) error {
	if err := k.checkAdmissionAuthority(ctx, authority); err != nil {
		return err
	}
	if _, err := k.GetPeer(ctx, clientID); err != nil {
		return err
	}
	if err := k.Peers.Remove(ctx, clientID); err != nil {
		return err
	}
	_, err := k.auditSuccess(ctx, types.ActionRemovePeer, authority, "", "peer/"+clientID)
	return err
}

// GetPeer returns the peer admitted over clientID, or ErrPeerNotAdmitted.
func (k *Keeper) GetPeer(ctx context.Context, clientID string) (types.Peer, error) {
	p, err := k.Peers.Get(ctx, clientID)
	if errors.Is(err, collections.ErrNotFound) {
		return p, errorsmod.Wrapf(types.ErrPeerNotAdmitted, "client %q", clientID)
	}
	return p, err
}

// CheckPeer is what every handshake step, packet and IBC v2 callback asks:
// clientID is an admitted peer and still tracks the admitted chain id.
func (k *Keeper) CheckPeer(ctx context.Context, clientID string) (types.Peer, error) {
	p, err := k.GetPeer(ctx, clientID)
	if err != nil {
		return p, err
	}
	return p, k.checkClientChain(ctx, clientID, p.ChainId)
}

// checkClientChain: clientID is an active 07-tendermint client of chainID
// (a client's chain id is its creator's claim; the authority vouches for it).
func (k *Keeper) checkClientChain(ctx context.Context, clientID, chainID string) error {
	if k.ibc.clients == nil {
		return errorsmod.Wrap(types.ErrPeerNotAdmitted, "IBC is not wired into phr")
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	cs, ok := k.ibc.clients.GetClientState(sdkCtx, clientID)
	if !ok {
		return errorsmod.Wrapf(types.ErrPeerNotAdmitted, "no client %q", clientID)
	}
	tm, ok := cs.(*ibctm.ClientState)
	if !ok {
		return errorsmod.Wrapf(types.ErrPeerNotAdmitted, "client %q is a %s client, peers are 07-tendermint", clientID, cs.ClientType())
	}
	if tm.ChainId != chainID {
		return errorsmod.Wrapf(types.ErrPeerChainID, "client %q tracks %q, the peer is %q", clientID, tm.ChainId, chainID)
	}
	if st := k.ibc.clients.GetClientStatus(sdkCtx, clientID); st != ibcexported.Active {
		return errorsmod.Wrapf(types.ErrPeerNotAdmitted, "client %q is %s", clientID, st)
	}
	return nil
}

// SetPeerChannel records channelID as the phr channel to the peer over
// clientID (the handshake completed on this chain).
func (k *Keeper) SetPeerChannel(ctx context.Context, clientID, channelID string) error {
	p, err := k.GetPeer(ctx, clientID)
	if err != nil {
		return err
	}
	p.ChannelId = channelID
	return k.Peers.Set(ctx, clientID, p)
}
