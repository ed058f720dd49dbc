package keeper

import (
	"context"
	"errors"
	"slices"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// AnswerTarget is what an answer for a task by a proxy must be checked
// against: the capsule's E from state (never from a message), the proxy's
// cached verification key and the proof's context.
type AnswerTarget struct {
	Task  types.Task
	Grant types.Grant
	// E is the first element of the task's capsule.
	E []byte
	// VerificationKey is V_i of the proxy.
	VerificationKey []byte
	Context         pre.AnswerContext
}

// AnswerTarget reads the target of proxy's answer for taskID. It refuses
// unknown or closed tasks, inactive grants, strangers and repeated answers.
// The chain firewall calls it (through answerTargets) before verifying the
// proof, the msg server again before storing.
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
	slot := -1
	for i, p := range g.Proxies {
		if p == proxy.String() {
			slot = i
		}
	}
	if slot < 0 {
		return at, errorsmod.Wrapf(types.ErrNotCommittee, "%s on grant %d", proxy, g.Id)
	}
	// A proxy removed by the authority (e.g. compromised) answers no more.
	if ok, err := k.IsMember(ctx, proxy, types.ROLE_PROXY); err != nil {
		return at, err
	} else if !ok {
		return at, errorsmod.Wrapf(types.ErrNotProxy, "%s is no longer an admitted proxy", proxy)
	}
	for _, a := range t.Answers {
		if a.Proxy == proxy.String() {
			return at, errorsmod.Wrapf(types.ErrDuplicateAnswer, "%s on task %d", proxy, t.Id)
		}
	}
	r, err := k.recordHead(ctx, t.RecordId)
	if err != nil {
		return at, err
	}
	return AnswerTarget{
		Task: t, Grant: g,
		E:               r.Capsules[t.CapsuleIndex][:group.ElementSize],
		VerificationKey: g.VerificationKeys[slot],
		Context: pre.AnswerContext{
			ChainID: sdk.UnwrapSDKContext(ctx).ChainID(), GrantID: g.Id, TaskID: t.Id,
			RecordID: t.RecordId, CapsuleIndex: t.CapsuleIndex, Proxy: proxy,
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

// SubmitAnswers stores each E_i the chain firewall verified; a task that
// reaches the grant's threshold is combined at once. Tasks that closed, or
// whose grant ended, since the proxy saw them are skipped (the late n−t
// proxies' batches are the normal case); a batch with nothing left to store
// is refused (answerTargets), its fee charged like any refusal. It returns
// the tasks completed.
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
		if at == nil {
			continue
		}
		if a.EI == nil {
			return nil, types.ErrNotFirewalled
		}
		t := at.Task
		t.Answers = append(t.Answers, types.TaskAnswer{Proxy: proxy.String(), EI: a.EI})
		if err := k.Tasks.Set(ctx, t.Id, t); err != nil {
			return nil, err
		}
		if _, err := k.auditSuccess(ctx, types.ActionAnswerTask, proxy.String(), at.Grant.Patient, taskObject(t.Id)); err != nil {
			return nil, err
		}
		if len(t.Answers) >= int(at.Grant.Threshold) {
			if err := k.completeTask(ctx, at.Grant, t); err != nil {
				return nil, err
			}
			completed = append(completed, t.Id)
		}
	}
	return completed, nil
}

// completeTask combines the answers with the t smallest ids into E', stores
// the first-level capsule (E', F, X) in the share and closes the task; the
// share's last capsule completes it, and a remote grant's complete share is
// queued for its requester's chain.
func (k *Keeper) completeTask(ctx context.Context, g types.Grant, t types.Task) error {
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	sdkCtx.GasMeter().ConsumeGas(types.GasCombine(int(g.Threshold)), "phr/combine")
	answers := make([]pre.VerifiedAnswer, len(t.Answers))
	for i, a := range t.Answers {
		proxy, err := k.addressCodec.StringToBytes(a.Proxy)
		if err != nil {
			return err
		}
		ei, err := group.DecodeElement(a.EI)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvalidAnswer, "stored E_i of %s: %v", a.Proxy, err)
		}
		answers[i] = pre.VerifiedAnswer{ID: pre.ProxyID(sdkCtx.ChainID(), g.Id, proxy), Ei: ei}
	}
	ePrime, err := pre.Combine(int(g.Threshold), answers)
	if err != nil {
		return errorsmod.Wrapf(types.ErrInvalidAnswer, "combine task %d: %v", t.Id, err)
	}
	r, err := k.recordHead(ctx, t.RecordId)
	if err != nil {
		return err
	}
	capsule, err := pre.DecodeCapsule(r.Capsules[t.CapsuleIndex])
	if err != nil {
		return err
	}
	keyGrant, err := pre.DecodeGrant(g.KeyGrant)
	if err != nil {
		return err
	}
	firstLevel := pre.NewFirstLevel(capsule, ePrime, keyGrant.X)

	shareKey := collections.Join(g.Id, t.RecordId)
	share, err := k.Shares.Get(ctx, shareKey)
	if err != nil {
		return err
	}
	share.FirstLevel[t.CapsuleIndex] = firstLevel.Bytes()
	share.Status = types.SHARE_STATUS_COMPLETE
	for _, fl := range share.FirstLevel {
		if len(fl) == 0 {
			share.Status = types.SHARE_STATUS_PENDING
		}
	}
	share.Height = sdkCtx.BlockHeight()
	if err := k.Shares.Set(ctx, shareKey, share); err != nil {
		return err
	}
	t.Status = types.TASK_STATUS_DONE
	if err := k.Tasks.Set(ctx, t.Id, t); err != nil {
		return err
	}
	if share.Status != types.SHARE_STATUS_COMPLETE {
		return nil
	}
	if _, err := k.auditSuccess(ctx, types.ActionShareRecord, types.ModuleName, g.Patient, shareObject(g.Id, t.RecordId)); err != nil {
		return err
	}
	// a requester on a peer chain gets the share in a Share packet
	return k.notifyShare(ctx, g, t.RecordId)
}
