package keeper

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// EventTypeAnswerRefused is emitted for each answer whose proof did not
// verify: the proxy's seat on the task is spent, the audit log holds the
// refusal, and the rest of the batch goes on.
const EventTypeAnswerRefused = "phr_answer_refused"

// AnswerTarget is what an answer for a task by a proxy must be checked
// against: the record's capsules from state (its head, never the body, and
// never from a message), the proxy's cached verification key and the
// proof's context.
type AnswerTarget struct {
	Task  types.Task
	Grant types.Grant
	// Capsules are the record's capsules (E ‖ F each), in order: the answer
	// is verified on their E, the completed task combines them.
	Capsules [][]byte
	// VerificationKey is V_i of the proxy.
	VerificationKey []byte
	Context         pre.AnswerContext
}

// AnswerTarget reads the target of proxy's answer for taskID. It refuses
// unknown or closed tasks, inactive grants, strangers and proxies that
// answered the task already (accepted or refused). The chain firewall calls
// it (through answerTargets) before verifying the proof, the msg server
// again before storing.
func (k *Keeper) AnswerTarget(ctx context.Context, proxy sdk.AccAddress, taskID uint64) (AnswerTarget, error) {
	var at AnswerTarget
	t, err := k.Tasks.Get(ctx, taskID)
	if errors.Is(err, collections.ErrNotFound) {
		return at, errorsmod.Wrapf(types.ErrTaskNotFound, "%d", taskID)
	} else if err != nil {
		return at, err
	}
	if t.Status != types.TASK_STATUS_OPEN {
		return at, errorsmod.Wrapf(types.ErrTaskClosed, "task %d is %s", t.Id, t.Status)
	}
	// Past its deadline a task is closed even before the end blocker (which
	// expires a bounded number per block) has marked it.
	if h := sdk.UnwrapSDKContext(ctx).BlockHeight(); h > t.DeadlineHeight {
		return at, errorsmod.Wrapf(types.ErrTaskClosed, "task %d passed its deadline height %d", t.Id, t.DeadlineHeight)
	}
	g, err := k.GetGrant(ctx, t.GrantId)
	if err != nil {
		return at, err
	}
	if err := k.activeGrant(ctx, g); err != nil {
		return at, err
	}
	slot := slices.Index(g.Proxies, proxy.String())
	if slot < 0 {
		return at, errorsmod.Wrapf(types.ErrNotCommittee, "%s on grant %d", proxy, g.Id)
	}
	// A proxy removed by the authority (e.g. compromised) answers no more.
	if ok, err := k.IsMember(ctx, proxy, types.ROLE_PROXY); err != nil {
		return at, err
	} else if !ok {
		return at, errorsmod.Wrapf(types.ErrNotProxy, "%s is no longer an admitted proxy", proxy)
	}
	if answered(t, proxy.String()) {
		return at, errorsmod.Wrapf(types.ErrDuplicateAnswer, "%s on task %d", proxy, t.Id)
	}
	r, err := k.recordHead(ctx, t.RecordId)
	if err != nil {
		return at, err
	}
	return AnswerTarget{
		Task: t, Grant: g, Capsules: r.Capsules,
		VerificationKey: g.VerificationKeys[slot],
		Context: pre.AnswerContext{
			ChainID: sdk.UnwrapSDKContext(ctx).ChainID(), GrantID: g.Id, TaskID: t.Id,
			RecordID: t.RecordId, Capsules: uint32(len(r.Capsules)), Proxy: proxy,
		},
	}, nil
}

// taskGone is true when an answer's task closed, or its grant ended, since
// the proxy saw it: nothing the proxy did wrong, so a batch skips the task.
func taskGone(err error) bool {
	return errors.Is(err, types.ErrTaskClosed) || errors.Is(err, types.ErrGrantRevoked) || errors.Is(err, types.ErrGrantExpired)
}

// answerTargets runs AnswerTarget for each task of a batch by proxy. A task
// that is gone (taskGone) gets a nil target and is skipped; any other refusal
// refuses the batch, and so does a batch whose every task is gone (with the
// first task's reason). A task named twice is refused: the targets are read
// before anything is stored.
func (k *Keeper) answerTargets(ctx context.Context, proxy sdk.AccAddress, taskIDs []uint64) ([]*AnswerTarget, error) {
	targets := make([]*AnswerTarget, len(taskIDs))
	seen := make(map[uint64]bool, len(taskIDs))
	var gone error
	for i, id := range taskIDs {
		if seen[id] {
			return nil, errorsmod.Wrapf(types.ErrDuplicateAnswer, "task %d answered twice in one message", id)
		}
		seen[id] = true
		at, err := k.AnswerTarget(ctx, proxy, id)
		switch {
		case taskGone(err):
			if gone == nil {
				gone = err
			}
		case err != nil:
			return nil, err
		default:
			targets[i] = &at
		}
	}
	if len(taskIDs) > 0 && gone != nil && !slices.ContainsFunc(targets, func(t *AnswerTarget) bool { return t != nil }) {
		return nil, errorsmod.Wrapf(gone, "none of the %d tasks answered can be answered any more", len(taskIDs))
	}
	return targets, nil
}

// SubmitAnswers stores each answer the chain firewall verified; a task that
// reaches the grant's threshold is combined at once. An answer the firewall
// refused by its proof is evidence: its proxy's seat on the task is marked
// refused, the refusal audited (OUTCOME_REFUSED) and an event emitted, and
// the batch goes on; the tx succeeds. Tasks that closed, or whose grant
// ended, since the proxy saw them are skipped (the late n−t proxies' batches
// are the normal case); a batch with nothing left to store is refused
// (answerTargets), its fee charged like any refusal. It returns the tasks
// completed.
func (k *Keeper) SubmitAnswers(ctx context.Context, proxy sdk.AccAddress, answers []types.AnswerEI) ([]uint64, error) {
	if len(answers) == 0 {
		return nil, errorsmod.Wrap(types.ErrInvalidAnswer, "no answers")
	}
	ids := make([]uint64, len(answers))
	for i, a := range answers {
		ids[i] = a.TaskID
	}
	targets, err := k.answerTargets(ctx, proxy, ids)
	if err != nil {
		return nil, err
	}
	var completed []uint64
	for i, a := range answers {
		at := targets[i]
		switch {
		case at == nil:
			continue
		case a.Refusal != nil:
			if err := k.refuseAnswer(ctx, proxy, at, a.Refusal); err != nil {
				return nil, err
			}
			continue
		case len(a.EI) != len(at.Capsules):
			return nil, types.ErrNotFirewalled
		}
		t := at.Task
		t.Answers = append(t.Answers, types.TaskAnswer{Proxy: proxy.String(), EI: a.EI})
		if _, err := k.auditSuccess(ctx, types.ActionAnswerTask, proxy.String(), at.Grant.Patient, taskObject(t.Id)); err != nil {
			return nil, err
		}
		if len(t.Answers) < int(at.Grant.Threshold) {
			if err := k.Tasks.Set(ctx, t.Id, t); err != nil {
				return nil, err
			}
			continue
		}
		if err := k.completeTask(ctx, at.Grant, t, at.Capsules); err != nil {
			return nil, err
		}
		completed = append(completed, t.Id)
	}
	return completed, nil
}

// refuseAnswer spends proxy's seat on the target's task for an answer whose
// proof did not verify (reason), audits it as refused and emits
// EventTypeAnswerRefused. No E_i is stored.
func (k *Keeper) refuseAnswer(ctx context.Context, proxy sdk.AccAddress, at *AnswerTarget, reason error) error {
	t := at.Task
	t.Refused = append(t.Refused, proxy.String())
	if err := k.Tasks.Set(ctx, t.Id, t); err != nil {
		return err
	}
	if _, err := k.auditOutcome(ctx, types.ActionAnswerTask, proxy.String(), at.Grant.Patient, taskObject(t.Id), audittypes.OUTCOME_REFUSED); err != nil {
		return err
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(sdk.NewEvent(EventTypeAnswerRefused,
		sdk.NewAttribute("task_id", fmt.Sprint(t.Id)),
		sdk.NewAttribute("proxy", proxy.String()),
		sdk.NewAttribute("reason", reason.Error()),
	))
	return nil
}

// completeTask combines, per capsule of the task's record, the answers with
// the t smallest ids into E'_j, stores the share's first-level capsules
// (E'_j, F_j, X) at once, completes the share and closes the task (the
// task, with its last answer, is written once, here); a remote grant's
// complete share is queued for its requester's chain. capsules are the
// record's, read with the answer's target.
func (k *Keeper) completeTask(ctx context.Context, g types.Grant, t types.Task, capsules [][]byte) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	sdkCtx.GasMeter().ConsumeGas(uint64(len(capsules))*types.GasCombine(int(g.Threshold)), "phr/combine")
	ids := make([]*group.Scalar, len(t.Answers))
	for i, a := range t.Answers {
		if len(a.EI) != len(capsules) {
			return errorsmod.Wrapf(types.ErrInvalidAnswer, "stored answer of %s on task %d: %d E_i for %d capsules", a.Proxy, t.Id, len(a.EI), len(capsules))
		}
		proxy, err := k.addressCodec.StringToBytes(a.Proxy)
		if err != nil {
			return err
		}
		ids[i] = pre.ProxyID(sdkCtx.ChainID(), g.Id, proxy)
	}
	keyGrant, err := pre.DecodeGrant(g.KeyGrant)
	if err != nil {
		return err
	}
	firstLevel := make([][]byte, len(capsules))
	for j, cb := range capsules {
		answers := make([]pre.VerifiedAnswer, len(t.Answers))
		for i, a := range t.Answers {
			ei, err := group.DecodeElement(a.EI[j])
			if err != nil {
				return errorsmod.Wrapf(types.ErrInvalidAnswer, "stored E_i of %s: %v", a.Proxy, err)
			}
			answers[i] = pre.VerifiedAnswer{ID: ids[i], Ei: ei}
		}
		ePrime, err := pre.Combine(int(g.Threshold), answers)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvalidAnswer, "combine task %d capsule %d: %v", t.Id, j, err)
		}
		capsule, err := pre.DecodeCapsule(cb)
		if err != nil {
			return err
		}
		firstLevel[j] = pre.NewFirstLevel(capsule, ePrime, keyGrant.X).Bytes()
	}

	shareKey := collections.Join(g.Id, t.RecordId)
	share, err := k.Shares.Get(ctx, shareKey)
	if err != nil {
		return err
	}
	share.FirstLevel = firstLevel
	share.Status = types.SHARE_STATUS_COMPLETE
	share.Height = sdkCtx.BlockHeight()
	if err := k.Shares.Set(ctx, shareKey, share); err != nil {
		return err
	}
	t.Status = types.TASK_STATUS_DONE
	if err := k.Tasks.Set(ctx, t.Id, t); err != nil {
		return err
	}
	if _, err := k.auditSuccess(ctx, types.ActionShareRecord, types.ModuleName, g.Patient, shareObject(g.Id, t.RecordId)); err != nil {
		return err
	}
	// a requester on a peer chain gets the share in a Share packet
	return k.notifyShare(ctx, g, t.RecordId)
}
