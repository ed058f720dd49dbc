package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/tests/bench/benchkit"
	phrcli "github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// grant: the hospital requests access to the vault, the patient grants it
// t-of-n to the proxy committee. Not timed.
func (b *bench) grant(w *benchkit.World, at time.Time, records int) (uint64, error) {
	now := time.Now().UTC()
	req := &types.MsgRequestAccess{Requester: w.Hospital.String(), Patient: w.Patient.String(), Vault: benchkit.VaultName,
		Scope:   types.Scope{FromTime: at.Add(-time.Hour), ToTime: at.Add(time.Hour), MaxRecords: uint32(records)},
		Purpose: "treatment", Expiry: now.Add(2 * time.Hour)}
	res, err := b.Deliver(w.Hospital, 500_000, req)
	if err != nil {
		return 0, fmt.Errorf("request: %w", err)
	}
	var resp types.MsgRequestAccessResponse
	if err := benchkit.MsgResponse(res.Data, &resp); err != nil {
		return 0, err
	}
	committee, err := phrcli.Committee(context.Background(), b.Q)
	if err != nil {
		return 0, err
	}
	recips, err := phrcli.Recipients(committee)
	if err != nil {
		return 0, err
	}
	kg, err := pre.CreateGrant(w.Vault, pre.GrantContext{ChainID: b.cfg.chainID, GrantID: resp.GrantId, Vault: benchkit.VaultName,
		Epoch: w.Vault.Epoch}, w.Requester.Public(), b.cfg.threshold, recips, rand.Reader)
	if err != nil {
		return 0, err
	}
	if _, err := b.Deliver(w.Patient, 1_000_000, &types.MsgGrantAccess{Patient: w.Patient.String(), GrantId: resp.GrantId,
		KeyGrant: kg.Bytes(), Expiry: now.Add(time.Hour)}); err != nil {
		return 0, fmt.Errorf("grant: %w", err)
	}
	logf("grant %d: %d-of-%d, %d records", resp.GrantId, b.cfg.threshold, len(recips), records)
	return resp.GrantId, nil
}

// recordIDs lists the first n records of the patient.
func (b *bench) recordIDs(patient string, n int) ([]uint64, error) {
	var ids []uint64
	var next []byte
	for len(ids) < n {
		res, err := b.Q.RecordsByPatient(context.Background(), &types.QueryRecordsByPatientRequest{Patient: patient,
			Pagination: &query.PageRequest{Key: next, Limit: types.MaxPageLimit}})
		if err != nil {
			return nil, err
		}
		for _, r := range res.Records {
			ids = append(ids, r.Id)
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			break
		}
		next = res.Pagination.NextKey
	}
	if len(ids) < n {
		return nil, fmt.Errorf("patient has %d records, %d wanted", len(ids), n)
	}
	return ids[:n], nil
}

type shareResult struct {
	phaseResult
	completed, answers, fetchTxs, answerTxs int
}

// sharePhase: fetches, then the proxies' answers; see the package doc.
func (b *bench) sharePhase(w *benchkit.World, grantID uint64, recordIDs []uint64) (*shareResult, error) {
	c := b.cfg
	var fetches [][]byte
	perTx := types.DefaultMaxRecordsPerFetch * c.fetchMsgs
	for i := 0; i < len(recordIDs); i += perTx {
		ids := recordIDs[i:min(i+perTx, len(recordIDs))]
		var msgs []sdk.Msg
		for j := 0; j < len(ids); j += types.DefaultMaxRecordsPerFetch {
			msgs = append(msgs, &types.MsgFetchRecords{Requester: w.Hospital.String(), GrantId: grantID,
				RecordIds: ids[j:min(j+types.DefaultMaxRecordsPerFetch, len(ids))]})
		}
		tx, err := b.Sign(w.Hospital, uint64(len(ids))*150_000, msgs...)
		if err != nil {
			return nil, err
		}
		fetches = append(fetches, tx)
	}
	// the proxies' fragments, opened before the clock starts (a proxy daemon
	// opens a grant's fragment once, when it first sees the grant)
	g, err := b.Q.Grant(context.Background(), &types.QueryGrantRequest{Id: grantID})
	if err != nil {
		return nil, err
	}
	kg, err := pre.DecodeGrant(g.Grant.KeyGrant)
	if err != nil {
		return nil, err
	}
	answering := w.Proxies[:c.threshold]
	frags := make([]*pre.Fragment, len(answering))
	for i, p := range answering {
		if frags[i], err = pre.OpenFragment(w.ProxyKeys[p.String()], c.chainID, grantID, p.Addr, kg); err != nil {
			return nil, fmt.Errorf("%s opening its fragment: %w", p.Name, err)
		}
	}

	res := &shareResult{fetchTxs: len(fetches)}
	err = b.timed("shares", &res.phaseResult, func(ph *phaseRun) error {
		if err := ph.broadcastStreams([][][]byte{fetches}); err != nil {
			return err
		}
		if _, err := ph.waitCommitted(); err != nil {
			return err
		}
		logf("fetches committed after %.2f s; proxies answering", time.Since(ph.start).Seconds())
		var wg sync.WaitGroup
		errs := make([]error, len(answering))
		counts := make([]int, len(answering))
		for i, p := range answering {
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[i], errs[i] = b.proxyAnswers(ph, p, frags[i], grantID)
			}()
		}
		wg.Wait()
		for _, n := range counts {
			res.answerTxs += n
		}
		return errors.Join(errs...)
	})
	if err != nil {
		return nil, err
	}
	// completed shares and answers, from the chain (not timed)
	var next []byte
	for {
		sr, err := b.Q.SharesByGrant(context.Background(), &types.QuerySharesByGrantRequest{GrantId: grantID,
			Pagination: &query.PageRequest{Key: next, Limit: types.MaxPageLimit}})
		if err != nil {
			return nil, err
		}
		for _, s := range sr.Shares {
			if s.Status == types.SHARE_STATUS_COMPLETE {
				res.completed++
			}
		}
		if sr.Pagination == nil || len(sr.Pagination.NextKey) == 0 {
			break
		}
		next = sr.Pagination.NextKey
	}
	res.answers = res.completed * c.threshold
	logf("%d shares complete", res.completed)
	return res, nil
}

// proxyAnswers is one proxy: list its pending tasks (one per record), read
// each record's head (capsules, no body) from the node, answer all its
// capsules at once, and broadcast batches as they are ready. It returns the
// number of txs broadcast.
func (b *bench) proxyAnswers(ph *phaseRun, p *benchkit.Account, frag *pre.Fragment, grantID uint64) (int, error) {
	ctx := context.Background()
	var tasks []types.Task
	var next []byte
	for {
		res, err := b.Q.PendingTasks(ctx, &types.QueryPendingTasksRequest{Proxy: p.String(),
			Pagination: &query.PageRequest{Key: next, Limit: types.MaxPageLimit}})
		if err != nil {
			return 0, fmt.Errorf("%s pending tasks: %w", p.Name, err)
		}
		tasks = append(tasks, res.Tasks...)
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			break
		}
		next = res.Pagination.NextKey
	}
	txs := 0
	inFlight := func() error { return nil }
	for i := 0; i < len(tasks); i += b.cfg.batch {
		var batch []types.Task
		for _, t := range tasks[i:min(i+b.cfg.batch, len(tasks))] {
			if t.GrantId == grantID {
				batch = append(batch, t)
			}
		}
		if len(batch) == 0 {
			continue
		}
		// A batch's answers are computed by several goroutines: a sequential
		// proxy would be bound by one record-head round trip per task and
		// leave the node idle, which is the proxy's limit, not the chain's.
		msg := &types.MsgSubmitAnswers{Proxy: p.String(), Answers: make([]types.AnswerSubmission, len(batch))}
		var eg errgroup.Group
		eg.SetLimit(b.cfg.answerWorkers)
		for j, t := range batch {
			eg.Go(func() error {
				r, err := b.Q.RecordHead(ctx, &types.QueryRecordHeadRequest{Id: t.RecordId})
				if err != nil {
					return fmt.Errorf("%s reading record %d: %w", p.Name, t.RecordId, err)
				}
				E, err := pre.DecodeCapsuleEs(r.Record.Capsules)
				if err != nil {
					return err
				}
				ans, err := frag.Answer(pre.AnswerContext{ChainID: b.cfg.chainID, GrantID: grantID, TaskID: t.Id, RecordID: t.RecordId,
					Capsules: uint32(len(E)), Proxy: p.Addr}, E, rand.Reader)
				if err != nil {
					return err
				}
				msg.Answers[j] = types.AnswerSubmission{TaskId: t.Id, Answer: ans.Bytes()}
				return nil
			})
		}
		if err := eg.Wait(); err != nil {
			return txs, err
		}
		// gas: the answers' verification and, for the second proxy, the
		// completion of every task (about 100k gas per answer measured)
		tx, err := b.Sign(p, uint64(len(msg.Answers))*150_000, msg)
		if err != nil {
			return txs, err
		}
		// with -one-in-flight, the next batch is computed while this one waits
		if err := inFlight(); err != nil {
			return txs, fmt.Errorf("%s: %w", p.Name, err)
		}
		if inFlight, err = ph.submit(tx); err != nil {
			return txs, fmt.Errorf("%s: %w", p.Name, err)
		}
		txs++
	}
	if err := inFlight(); err != nil {
		return txs, fmt.Errorf("%s: %w", p.Name, err)
	}
	return txs, nil
}
