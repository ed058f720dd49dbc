package proxy

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// answered is one computed answer waiting for submission.
type answered struct {
	task   uint64
	grant  uint64
	answer []byte
}

// answerAll computes the answers of tasks (sorted by id) whose grant has a
// usable fragment: one answer per task, over all capsules of its record.
// The capsules' E come from the node's record head (never the body), read
// once per record per cycle.
func (w *Worker) answerAll(ctx context.Context, tasks []types.Task, active map[uint64]*types.Grant, rep *StepReport) ([]answered, error) {
	sorted := append([]types.Task(nil), tasks...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Id < sorted[j].Id })
	records := map[uint64]*types.Record{}
	byGrant := map[uint64][]uint64{}
	var out []answered
	for i := range sorted {
		t := &sorted[i]
		e, err := w.entry(ctx, t.GrantId, active, rep)
		if err != nil {
			return out, err
		}
		if e == nil || !e.usable {
			rep.Skipped++
			continue
		}
		a, err := w.answerTask(ctx, t, e, records)
		if err != nil {
			if errors.Is(err, ErrUnavailable) {
				return out, err
			}
			rep.Skipped++
			w.log.Error("skipping task", "task", t.Id, "grant", t.GrantId, "record", t.RecordId, "reason", err)
			continue
		}
		out = append(out, answered{task: t.Id, grant: t.GrantId, answer: a})
		byGrant[t.GrantId] = append(byGrant[t.GrantId], t.Id)
	}
	for _, g := range sortedKeys(byGrant) {
		w.log.Info("answers computed", "grant", g, "tasks", idList(byGrant[g]))
	}
	return out, nil
}

// answerTask reads the E of the task's record's capsules from the node and
// answers all of them at once.
// Chain data that does not fit (a missing record, a record outside the
// grant's vault epoch, a bad capsule) is an error, never a panic.
func (w *Worker) answerTask(ctx context.Context, t *types.Task, e *grantEntry, records map[uint64]*types.Record) ([]byte, error) {
	if t.Status != types.TASK_STATUS_OPEN {
		return nil, fmt.Errorf("task is %s", t.Status)
	}
	rec := records[t.RecordId]
	if rec == nil {
		r, err := w.cfg.Query.RecordHead(ctx, t.RecordId)
		if err != nil {
			if errors.Is(err, ErrUnavailable) {
				return nil, err
			}
			return nil, fmt.Errorf("reading record: %w", err)
		}
		rec, records[t.RecordId] = r, r
	}
	// A grant covers one vault epoch of one patient: anything else is not
	// something this fragment should ever be applied to.
	g := &e.grant
	if rec.Patient != g.Patient || rec.Vault != g.Vault || rec.Epoch != g.Epoch {
		return nil, fmt.Errorf("record %d (%s/%s epoch %d) is outside grant %d (%s/%s epoch %d)",
			rec.Id, rec.Patient, rec.Vault, rec.Epoch, g.Id, g.Patient, g.Vault, g.Epoch)
	}
	if len(rec.Capsules) != crf.NumCapsules {
		return nil, fmt.Errorf("record has %d capsules, want %d", len(rec.Capsules), crf.NumCapsules)
	}
	E, err := pre.DecodeCapsuleEs(rec.Capsules)
	if err != nil {
		return nil, fmt.Errorf("stored capsules: %w", err)
	}
	actx := pre.AnswerContext{
		ChainID:  w.cfg.ChainID,
		GrantID:  t.GrantId,
		TaskID:   t.Id,
		RecordID: t.RecordId,
		Capsules: uint32(len(E)),
		Proxy:    w.cfg.Address,
	}
	// The keystore is the authority: a grant deleted since (revocation) has
	// no fragment any more and gets no answer.
	a, err := w.proxy.Answer(actx, E, w.cfg.Rand)
	if err != nil {
		return nil, fmt.Errorf("answer: %w", err)
	}
	return a.Bytes(), nil
}

func sortedKeys(m map[uint64][]uint64) []uint64 {
	ks := make([]uint64, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

// idList formats ids as "3,4,9" for one-line logs ("none" if empty).
func idList(ids []uint64) string {
	if len(ids) == 0 {
		return "none"
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatUint(id, 10)
	}
	return strings.Join(s, ",")
}
