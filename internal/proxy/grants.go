package proxy

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// grantEntry is what the worker learnt about one grant's fragment. A grant's
// key_grant never changes on chain, so the verdict is kept for the life of
// the process (a restart re-checks everything).
type grantEntry struct {
	grant types.Grant
	// usable: the fragment opened and matched the commitments and is in the
	// keystore. Otherwise reason says why the worker will not answer.
	usable bool
	reason string
}

func (w *Worker) ref(id uint64) keystore.GrantRef {
	return keystore.GrantRef{ChainID: w.cfg.ChainID, GrantID: id}
}

// entry returns the verdict on grant id's fragment, opening and checking it
// the first time. nil (and no error) means "not answerable this cycle, try
// again later"; an error means the node is unreachable.
func (w *Worker) entry(ctx context.Context, id uint64, active map[uint64]*types.Grant, rep *StepReport) (*grantEntry, error) {
	if e := w.grants[id]; e != nil {
		return e, nil
	}
	g := active[id]
	if g == nil { // granted after the listing, or no longer granted
		var err error
		if g, err = w.cfg.Query.Grant(ctx, id); err != nil {
			if errors.Is(err, ErrUnavailable) {
				return nil, err
			}
			w.log.Error("cannot read grant; skipping its tasks", "grant", id, "err", err)
			return nil, nil
		}
	}
	if g.Status != types.GRANT_STATUS_GRANTED {
		w.log.Info("grant is not active; skipping its tasks", "grant", id, "status", g.Status.String())
		return nil, nil
	}
	e := &grantEntry{grant: *g}
	refuse := func(reason string, err error) (*grantEntry, error) {
		e.reason = fmt.Sprintf("%s: %v", reason, err)
		w.grants[id] = e
		rep.Refused = append(rep.Refused, id)
		w.log.Error("refusing fragment; never answering with it", "grant", id, "reason", e.reason)
		return e, nil
	}
	pg, err := pre.DecodeGrant(g.KeyGrant)
	if err != nil {
		return refuse("key_grant does not decode", err)
	}
	if err := pre.ValidateGrant(pg, w.cfg.ChainID, id); err != nil {
		return refuse("key_grant is invalid", err)
	}
	// AddGrant opens the HPKE-sealed fragment and checks g^{k_i} against the
	// Feldman commitments before it stores anything.
	switch err := w.proxy.AddGrant(w.ref(id), pg); {
	case err == nil:
	case errors.Is(err, keystore.ErrRevoked):
		e.reason = "deleted from this keystore earlier (revoked or expired)"
		w.grants[id] = e
		w.log.Info("grant's fragment was deleted before; not answering", "grant", id)
		return e, nil
	case errors.Is(err, pre.ErrFragment), errors.Is(err, pre.ErrContext):
		return refuse("fragment check failed", err)
	default: // the keystore could not write: try again next cycle
		w.log.Error("cannot store fragment; will retry", "grant", id, "err", err)
		return nil, nil
	}
	e.usable = true
	w.grants[id] = e
	w.log.Info("fragment opened and checked against the commitments", "grant", id,
		"threshold", pg.Threshold, "committee", len(pg.Fragments))
	return e, nil
}

// retire deletes the fragments of grants this worker holds that are no
// longer in the active list and whose status on chain is, positively,
// REVOKED or EXPIRED: the only statuses a granted grant can move to, and
// final. Anything else is transient and the fragment is kept: a node that
// answers NotFound (grants are never deleted on chain, so it is behind,
// restored from an older snapshot, misrouted or lying), an empty grant
// (UNSPECIFIED), or an error. Deleting on such an answer would tombstone
// the fragment forever and cost the grant this proxy's share of t-of-n.
func (w *Worker) retire(ctx context.Context, active map[uint64]*types.Grant, rep *StepReport) error {
	ids := make([]uint64, 0, len(w.grants))
	for id := range w.grants {
		if active[id] == nil {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		g, err := w.cfg.Query.Grant(ctx, id)
		switch {
		case errors.Is(err, ErrUnavailable):
			return err
		case err != nil:
			w.log.Error("cannot read grant status; keeping its fragment for now", "grant", id, "err", err)
		case g.Id != id:
			w.log.Error("node answered another grant; keeping the fragment for now", "grant", id, "answered", g.Id)
		case final(g.Status):
			w.deleteFragment(id, g.Status.String(), rep)
		case g.Status != types.GRANT_STATUS_GRANTED:
			w.log.Warn("grant status is not final; keeping its fragment for now", "grant", id, "status", g.Status.String())
		}
		// GRANTED: dropped from the listing by a race; still active
	}
	return nil
}

// final reports whether a grant's status ends it: REVOKED or EXPIRED.
func final(st types.GrantStatus) bool {
	return st == types.GRANT_STATUS_REVOKED || st == types.GRANT_STATUS_EXPIRED
}

// sweep lists this proxy's revoked and expired grants and deletes whatever
// the keystore still holds of them (a revocation while the daemon was down).
func (w *Worker) sweep(ctx context.Context, rep *StepReport) error {
	for _, st := range []types.GrantStatus{types.GRANT_STATUS_REVOKED, types.GRANT_STATUS_EXPIRED} {
		gs, err := w.cfg.Query.GrantsByProxy(ctx, w.me, st)
		if err != nil {
			if errors.Is(err, ErrUnavailable) {
				return err
			}
			w.log.Error("cannot list grants", "status", st.String(), "err", err)
			continue
		}
		for i := range gs {
			id := gs[i].Id
			if gs[i].Status != st {
				// a node ignoring the status filter must not make us
				// tombstone an active grant
				w.log.Error("node listed a grant with another status; ignoring it", "grant", id, "asked", st.String(), "status", gs[i].Status.String())
				continue
			}
			_, gerr := w.cfg.Store.Get(w.ref(id))
			if errors.Is(gerr, keystore.ErrRevoked) {
				delete(w.grants, id)
				continue // tombstoned already
			}
			if gerr == nil || w.grants[id] != nil {
				w.deleteFragment(id, st.String(), rep)
				continue
			}
			// Never held: leave a tombstone so it cannot be added later.
			if err := w.proxy.Revoke(w.ref(id)); err != nil {
				w.log.Error("cannot tombstone grant", "grant", id, "err", err)
			}
		}
	}
	return nil
}

func (w *Worker) deleteFragment(id uint64, why string, rep *StepReport) {
	if err := w.proxy.Revoke(w.ref(id)); err != nil {
		w.log.Error("cannot delete fragment; will retry", "grant", id, "status", why, "err", err)
		return
	}
	delete(w.grants, id)
	rep.Deleted = append(rep.Deleted, id)
	w.log.Info("grant no longer active: fragment deleted", "grant", id, "status", why)
}
