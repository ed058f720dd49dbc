package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// maxPurposeLen bounds the free-text purpose of a request, maxNoteLen the
// patient's note on a denial or revocation (stored in the grant and sent to
// a remote requester's chain in the decision).
const (
	maxPurposeLen = 256
	maxNoteLen    = 256
)

// checkNote refuses a note longer than maxNoteLen.
func checkNote(note string) error {
	if len(note) > maxNoteLen {
		return errorsmod.Wrapf(types.ErrInvalidNote, "%d bytes", len(note))
	}
	return nil
}

// GetGrant returns a grant, or ErrGrantNotFound.
func (k *Keeper) GetGrant(ctx context.Context, id uint64) (types.Grant, error) {
	g, err := k.Grants.Get(ctx, id)
	if errors.Is(err, collections.ErrNotFound) {
		return g, errorsmod.Wrapf(types.ErrGrantNotFound, "%d", id)
	}
	return g, err
}

// HospitalRequester is an admitted hospital of this chain as a requester,
// or ErrNotHospital.
func (k *Keeper) HospitalRequester(ctx context.Context, addr sdk.AccAddress) (types.Requester, error) {
	hospital, err := k.GetMember(ctx, addr, types.ROLE_HOSPITAL)
	if err != nil {
		return types.Requester{}, errorsmod.Wrapf(types.ErrNotHospital, "%s", addr)
	}
	return types.Requester{Address: addr, Key: hospital.PublicKey}, nil
}

// RequestAccess records a request of a hospital of this chain. The grant id
// is fixed here, before any fragment exists, and the request names the
// vault's current epoch.
func (k *Keeper) RequestAccess(ctx context.Context, requester types.Requester, req types.AccessRequest) (uint64, error) {
	v, err := k.checkRequest(ctx, req)
	if err != nil {
		return 0, err
	}
	g, err := k.openRequest(ctx, v, requester.Address.String(), requester.Key, nil, req)
	if err != nil {
		return 0, err
	}
	_, err = k.auditSuccess(ctx, types.ActionRequestAccess, g.Requester, g.Patient, grantObject(g.Id))
	return g.Id, err
}

// checkRequest runs the checks every access request passes, from a local
// hospital or over IBC: the vault exists, the scope, purpose and expiry are
// allowed. It writes nothing.
func (k *Keeper) checkRequest(ctx context.Context, req types.AccessRequest) (types.Vault, error) {
	v, err := k.GetVault(ctx, req.Patient, req.Vault)
	if err != nil {
		return v, err
	}
	if err := validateScope(req.Scope); err != nil {
		return v, err
	}
	if len(req.Purpose) == 0 || len(req.Purpose) > maxPurposeLen {
		return v, errorsmod.Wrapf(types.ErrInvalidScope, "purpose must be 1-%d bytes", maxPurposeLen)
	}
	return v, k.checkExpiry(ctx, req.Expiry)
}

// openRequest stores a request checked by checkRequest under the next grant
// id, naming requester (an account, or a remote identity when remote is set)
// and its key.
func (k *Keeper) openRequest(ctx context.Context, v types.Vault, requester string, key []byte, remote *types.RemoteRequester, req types.AccessRequest) (types.Grant, error) {
	id, err := k.GrantSeq.Next(ctx)
	if err != nil {
		return types.Grant{}, err
	}
	id++
	g := types.Grant{
		Id: id, Requester: requester, RequesterKey: key, Patient: v.Patient, Vault: v.Name,
		Epoch: v.Epoch, Scope: req.Scope, Purpose: req.Purpose, RequestedExpiry: req.Expiry.UTC(),
		Status: types.GRANT_STATUS_REQUESTED, RequestedHeight: sdk.UnwrapSDKContext(ctx).BlockHeight(),
		Remote: remote,
	}
	return g, k.Grants.Set(ctx, id, g)
}

func validateScope(s types.Scope) error {
	if !s.FromTime.Before(s.ToTime) {
		return errorsmod.Wrapf(types.ErrInvalidScope, "from_time %s must be before to_time %s", s.FromTime, s.ToTime)
	}
	if s.MaxRecords == 0 {
		return errorsmod.Wrap(types.ErrInvalidScope, "max_records must be positive")
	}
	return nil
}

// checkExpiry: in the future, and within max_grant_duration_seconds.
func (k *Keeper) checkExpiry(ctx context.Context, expiry time.Time) error {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	now := sdk.UnwrapSDKContext(ctx).BlockTime()
	if !expiry.After(now) {
		return errorsmod.Wrapf(types.ErrInvalidExpiry, "%s is not after the block time %s", expiry.UTC(), now.UTC())
	}
	if limit := now.Add(time.Duration(params.MaxGrantDurationSeconds) * time.Second); expiry.After(limit) {
		return errorsmod.Wrapf(types.ErrInvalidExpiry, "%s is beyond the longest allowed grant (%s)", expiry.UTC(), limit.UTC())
	}
	return nil
}

// patientGrant loads a grant and checks that signer is its patient.
func (k *Keeper) patientGrant(ctx context.Context, signer sdk.AccAddress, id uint64) (types.Grant, error) {
	g, err := k.GetGrant(ctx, id)
	if err != nil {
		return g, err
	}
	if g.Patient != signer.String() {
		return g, errorsmod.Wrapf(types.ErrNotPatient, "grant %d belongs to %s", id, g.Patient)
	}
	return g, nil
}

// GrantTarget runs the stateful checks of granting request grantID until
// expiry: the request is the patient's and still open, the vault still at the
// requested epoch, the expiry allowed. The chain firewall calls it before
// decoding the key grant and GrantAccess again, so both see the same rules.
func (k *Keeper) GrantTarget(ctx context.Context, patient sdk.AccAddress, grantID uint64, expiry time.Time) (types.Grant, error) {
	g, err := k.patientGrant(ctx, patient, grantID)
	if err != nil {
		return g, err
	}
	if g.Status != types.GRANT_STATUS_REQUESTED {
		return g, errorsmod.Wrapf(types.ErrGrantState, "grant %d is %s, not requested", g.Id, g.Status)
	}
	v, err := k.GetVault(ctx, patient, g.Vault)
	if err != nil {
		return g, err
	}
	if v.Epoch != g.Epoch {
		return g, errorsmod.Wrapf(types.ErrWrongEpoch, "vault %q rotated to epoch %d since request %d (epoch %d): the hospital must request again", g.Vault, v.Epoch, g.Id, g.Epoch)
	}
	if err := k.checkExpiry(ctx, expiry); err != nil {
		return g, err
	}
	if expiry.After(g.RequestedExpiry) {
		return g, errorsmod.Wrapf(types.ErrInvalidExpiry, "%s is after the requested expiry %s", expiry.UTC(), g.RequestedExpiry)
	}
	return g, nil
}

// GrantAccess turns request grantID into a grant with keyGrant, which the
// chain firewall decoded into verified (nil: the firewall produced nothing,
// refused after the stateful checks): the committee must be exactly today's
// admitted proxies, the vault still at the requested epoch. A remote
// request's chain is sent the decision (notifyDecision), as for Deny and
// Revoke.
func (k *Keeper) GrantAccess(ctx context.Context, patient sdk.AccAddress, grantID uint64, verified *types.VerifiedGrant, keyGrant []byte, expiry time.Time) error {
	g, err := k.GrantTarget(ctx, patient, grantID, expiry)
	if err != nil {
		return err
	}
	if verified == nil {
		return types.ErrNotFirewalled
	}
	if err := k.checkCommittee(ctx, verified.Proxies); err != nil {
		return err
	}
	g.Status = types.GRANT_STATUS_GRANTED
	g.DecidedHeight = sdk.UnwrapSDKContext(ctx).BlockHeight()
	g.Threshold = verified.Threshold
	g.KeyGrant = keyGrant
	g.VerificationKeys = verified.VerificationKeys
	g.Expiry = expiry.UTC()
	g.Proxies = make([]string, len(verified.Proxies))
	for i, p := range verified.Proxies {
		g.Proxies[i] = sdk.AccAddress(p).String()
	}
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return err
	}
	if _, err = k.auditSuccess(ctx, types.ActionGrantAccess, g.Patient, g.Patient, grantObject(g.Id)); err != nil {
		return err
	}
	return k.notifyDecision(ctx, g, g.Patient)
}

// checkCommittee: the grant's proxies are exactly the admitted proxies, as
// sets (the committee's order is the store's key order, which sorts by
// address length first, so orders are not compared).
func (k *Keeper) checkCommittee(ctx context.Context, proxies [][]byte) error {
	committee, err := k.Committee(ctx)
	if err != nil {
		return err
	}
	if len(committee) < 2 {
		return types.ErrNoCommittee
	}
	if len(proxies) != len(committee) {
		return errorsmod.Wrapf(types.ErrCommitteeMismatch, "%d proxies, the committee has %d", len(proxies), len(committee))
	}
	admitted := make(map[string]bool, len(committee))
	for _, m := range committee {
		admitted[m.Address] = true
	}
	for _, p := range proxies {
		addr := sdk.AccAddress(p).String()
		if !admitted[addr] {
			return errorsmod.Wrapf(types.ErrCommitteeMismatch, "%s is not an admitted proxy, or is named twice", addr)
		}
		delete(admitted, addr) // a proxy named twice is then missing from the set
	}
	return nil
}

// DenyAccess closes a request without a grant.
func (k *Keeper) DenyAccess(ctx context.Context, patient sdk.AccAddress, id uint64, note string) error {
	if err := checkNote(note); err != nil {
		return err
	}
	g, err := k.patientGrant(ctx, patient, id)
	if err != nil {
		return err
	}
	if g.Status != types.GRANT_STATUS_REQUESTED {
		return errorsmod.Wrapf(types.ErrGrantState, "grant %d is %s, not requested", g.Id, g.Status)
	}
	g.Status, g.Note, g.DecidedHeight = types.GRANT_STATUS_DENIED, note, sdk.UnwrapSDKContext(ctx).BlockHeight()
	if err := k.Grants.Set(ctx, g.Id, g); err != nil {
		return err
	}
	if _, err = k.auditSuccess(ctx, types.ActionDenyAccess, g.Patient, g.Patient, grantObject(g.Id)); err != nil {
		return err
	}
	return k.notifyDecision(ctx, g, g.Patient)
}

// RevokeAccess ends a grant: no task opens and no answer is accepted under it
// any more, and honest proxies delete their fragments when they see the
// status. Its open tasks are not walked (revocation costs the same whatever
// their number); they expire at their deadline.
func (k *Keeper) RevokeAccess(ctx context.Context, patient sdk.AccAddress, id uint64, note string) error {
	if err := checkNote(note); err != nil {
		return err
	}
	g, err := k.patientGrant(ctx, patient, id)
	if err != nil {
		return err
	}
	if g.Status != types.GRANT_STATUS_GRANTED {
		return errorsmod.Wrapf(types.ErrGrantState, "grant %d is %s, not granted", g.Id, g.Status)
	}
	if err := k.closeGrant(ctx, g, types.GRANT_STATUS_REVOKED, note); err != nil {
		return err
	}
	if _, err = k.auditSuccess(ctx, types.ActionRevokeAccess, g.Patient, g.Patient, grantObject(g.Id)); err != nil {
		return err
	}
	return k.notifyDecision(ctx, g, g.Patient)
}

// closeGrant moves a request or grant to a final status; the Grants indexes
// take it out of its expiry queue.
func (k *Keeper) closeGrant(ctx context.Context, g types.Grant, status types.GrantStatus, note string) error {
	g.Status, g.Note = status, note
	return k.Grants.Set(ctx, g.Id, g)
}

// activeGrant refuses a grant that is not granted or whose expiry has passed
// (the end blocker marks it expired at the end of the block).
func (k *Keeper) activeGrant(ctx context.Context, g types.Grant) error {
	switch g.Status {
	case types.GRANT_STATUS_GRANTED:
	case types.GRANT_STATUS_REVOKED:
		return errorsmod.Wrapf(types.ErrGrantRevoked, "grant %d", g.Id)
	case types.GRANT_STATUS_EXPIRED:
		return errorsmod.Wrapf(types.ErrGrantExpired, "grant %d expired at %s", g.Id, g.Expiry)
	default:
		return errorsmod.Wrapf(types.ErrGrantState, "grant %d is %s", g.Id, g.Status)
	}
	if now := sdk.UnwrapSDKContext(ctx).BlockTime(); !now.Before(g.Expiry) {
		return errorsmod.Wrapf(types.ErrGrantExpired, "grant %d expired at %s", g.Id, g.Expiry)
	}
	return nil
}
