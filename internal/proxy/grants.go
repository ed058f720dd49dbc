package proxy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

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
// longer in the active list and whose status on chain is not GRANTED.
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
		case err == nil && g.Status == types.GRANT_STATUS_GRANTED:
			continue // dropped from the listing by a race; still active
		case err == nil:
			w.deleteFragment(id, g.Status.String(), rep)
		case isNotFound(err):
			w.deleteFragment(id, "not found", rep)
		case errors.Is(err, ErrUnavailable):
			return err
		default:
			w.log.Error("cannot read grant status; keeping its fragment for now", "grant", id, "err", err)
		}
	}
	return nil
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

// isNotFound recognizes "no such grant" however the query path carried it: a
// registered error in process, a gRPC NotFound, or only its text after an
// ABCI query (which keeps the log but not module codes).
func isNotFound(err error) bool {
	return errors.Is(err, types.ErrGrantNotFound) || status.Code(err) == codes.NotFound ||
		strings.Contains(err.Error(), types.ErrGrantNotFound.Error())
}
