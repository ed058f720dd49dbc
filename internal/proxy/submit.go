package proxy

import (
	"context"
	"errors"
	"sort"

	"github.com/medexchain/medexchain/x/phr/types"
)

// lostRace reports whether a batch was refused because the chain moved on
// between our listing and our tx: another proxy completed a task first
// (ErrTaskClosed), our own earlier tx landed after all (ErrDuplicateAnswer),
// or a grant was revoked or expired meanwhile. MsgSubmitAnswers is all or
// nothing, so the other answers of the batch are still good.
func lostRace(err error) bool {
	for _, e := range raceErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

var raceErrors = []error{
	types.ErrTaskClosed, types.ErrDuplicateAnswer,
	types.ErrGrantRevoked, types.ErrGrantExpired, types.ErrGrantState,
}

// submitAll sends answers in batches of at most BatchSize. A batch lost to a
// race is retried once with the tasks that are still pending after a fresh
// query; the remaining batches are filtered by that query too.
func (w *Worker) submitAll(ctx context.Context, answers []answered, rep *StepReport) error {
	rest := answers
	for len(rest) > 0 {
		n := min(len(rest), w.cfg.BatchSize)
		batch := rest[:n:n]
		rest = rest[n:]
		err := w.submitBatch(ctx, batch, rep)
		if err == nil {
			continue
		}
		if errors.Is(err, ErrUnavailable) {
			return err
		}
		if !lostRace(err) {
			rep.Skipped += len(batch)
			w.log.Error("batch refused", "tasks", taskIDs(batch), "err", err)
			continue
		}
		pending, qerr := w.cfg.Query.PendingTasks(ctx, w.me, uint64(w.cfg.MaxTasks))
		if qerr != nil {
			if errors.Is(qerr, ErrUnavailable) {
				return qerr
			}
			rep.Skipped += len(batch) + len(rest)
			w.log.Error("batch lost a race and the re-query failed; leaving the rest for the next cycle",
				"tasks", taskIDs(batch), "err", qerr)
			return nil
		}
		open := make(map[uint64]bool, len(pending))
		for _, t := range pending {
			open[t.Id] = true
		}
		retry := stillOpen(batch, open)
		rest = stillOpen(rest, open)
		rep.Skipped += len(batch) - len(retry)
		w.log.Info("batch lost a race (task closed by faster proxies or grant ended); retrying the rest once",
			"tasks", taskIDs(batch), "retry", taskIDs(retry), "err", err)
		if len(retry) == 0 {
			continue
		}
		if err := w.submitBatch(ctx, retry, rep); err != nil {
			if errors.Is(err, ErrUnavailable) {
				return err
			}
			rep.Skipped += len(retry)
			w.log.Error("retry refused; leaving the tasks for the next cycle", "tasks", taskIDs(retry), "err", err)
		}
	}
	return nil
}

// submitBatch sends one MsgSubmitAnswers and logs its outcome.
func (w *Worker) submitBatch(ctx context.Context, batch []answered, rep *StepReport) error {
	msg := &types.MsgSubmitAnswers{Proxy: w.me, Answers: make([]types.AnswerSubmission, len(batch))}
	for i, a := range batch {
		msg.Answers[i] = types.AnswerSubmission{TaskId: a.task, Answer: a.answer}
	}
	res, err := w.cfg.Tx.Submit(ctx, msg)
	if err != nil {
		return err
	}
	ids := make([]uint64, len(batch))
	for i, a := range batch {
		ids[i] = a.task
	}
	rep.Answered = append(rep.Answered, ids...)
	rep.TxHashes = append(rep.TxHashes, res.TxHash)
	rep.Completed = append(rep.Completed, res.Completed...)
	w.log.Info("answers committed", "grants", idList(grantIDs(batch)), "tasks", idList(ids),
		"tx", res.TxHash, "height", res.Height, "completed", idList(res.Completed))
	return nil
}

func stillOpen(as []answered, open map[uint64]bool) []answered {
	var out []answered
	for _, a := range as {
		if open[a.task] {
			out = append(out, a)
		}
	}
	return out
}

func taskIDs(as []answered) string {
	ids := make([]uint64, len(as))
	for i, a := range as {
		ids[i] = a.task
	}
	return idList(ids)
}

func grantIDs(as []answered) []uint64 {
	seen := map[uint64]bool{}
	var ids []uint64
	for _, a := range as {
		if !seen[a.grant] {
			seen[a.grant] = true
			ids = append(ids, a.grant)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
