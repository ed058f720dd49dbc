package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	errorsmod "cosmossdk.io/errors"

	coretypes "github.com/cometbft/cometbft/rpc/core/types"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/tests/hostile/malformed"
	"github.com/medexchain/medexchain/x/phr/types"
)

// outcome is what became of one case.
type outcome struct {
	c         malformed.Case
	stage     malformed.Stage
	codespace string
	code      uint32
	name      string // the registered error's description
	hash      string
	problems  []string
	// unregistered: a refusal whose codespace and code no module
	// registered (or the SDK's internal and panic errors)
	unregistered bool
	crashed      bool
}

func (o *outcome) fail(format string, args ...any) {
	o.problems = append(o.problems, fmt.Sprintf(format, args...))
}

// registered is the registered error of (codespace, code), nil for one no
// module registered, or the SDK's catch-alls (internal, panic).
func registered(codespace string, code uint32) *errorsmod.Error {
	root := (&txclient.RefusedError{Codespace: codespace, Code: code}).Registered()
	if root == nil || root.Error() == "unknown" || codespace == errorsmod.UndefinedCodespace {
		return nil
	}
	return root
}

// runCase signs one case and broadcasts it in sync mode (CometBFT RPC, not
// txclient: a tx the node already holds is a refusal here), waits for its
// block when CheckTx accepted it, and checks the refusal, the node and the state.
func (d *driver) runCase(ctx context.Context, c malformed.Case) *outcome {
	o := &outcome{c: c}
	before, err := d.snapshot(ctx)
	if err != nil {
		o.fail("state before: %v", err)
		return o
	}
	answered, err := d.taskAnswers(ctx, c)
	if err != nil {
		o.fail("tasks before: %v", err)
		return o
	}
	sg := d.sig[c.Signer]
	bz, err := c.Encode(func(msgs []sdk.Msg, gas uint64, edit func([]byte) []byte) ([]byte, error) {
		return sg.sign(ctx, msgs, gas, edit)
	})
	if err != nil {
		o.fail("signing: %v", err)
		return o
	}
	res, err := d.rpc.BroadcastTxSync(ctx, bz)
	// the node's own refusals (in its cache, too large, mempool full) as
	// the SDK's registered errors
	if r := client.CheckCometError(err, bz); r != nil {
		res, err = &coretypes.ResultBroadcastTx{Code: r.Code, Codespace: r.Codespace, Log: err.Error()}, nil
	}
	switch {
	case err != nil:
		o.stage = malformed.AtRPC
		if c.Want.Stage == malformed.AtRPC && !strings.Contains(err.Error(), "request body too large") {
			o.fail("the RPC refused it for another reason than its size: %v", err)
		}
	case res.Code != 0:
		o.stage, o.codespace, o.code, o.hash = malformed.AtCheck, res.Codespace, res.Code, res.Hash.String()
		o.checkRefusal(res.Log)
	default:
		o.stage, o.hash = malformed.InBlock, res.Hash.String()
		res, err := sg.wait(ctx, o.hash)
		if err != nil {
			o.fail("%v", err)
			break
		}
		o.codespace, o.code = res.Codespace, res.Code
		if res.Code != 0 {
			o.checkRefusal(res.Log)
		} else if c.Want.Err != nil {
			o.fail("accepted in block %d", res.Height)
		}
	}
	if o.stage != c.Want.Stage {
		o.fail("ended at %s, want %s", o.stage, c.Want.Stage)
	}
	if err := d.alive(ctx); err != nil {
		o.crashed = true
		o.fail("node: %v", err)
		return o
	}
	after, err := d.snapshot(ctx)
	if err != nil {
		o.fail("state after: %v", err)
		return o
	}
	d.checkState(ctx, o, before, after)
	d.checkAnswers(ctx, o, answered)
	return o
}

// taskAnswers reads the answers stored on every task the case's messages
// answer.
func (d *driver) taskAnswers(ctx context.Context, c malformed.Case) (map[uint64][]types.TaskAnswer, error) {
	out := map[uint64][]types.TaskAnswer{}
	for _, m := range c.Msgs {
		sub, ok := m.(*types.MsgSubmitAnswers)
		if !ok {
			continue
		}
		for _, a := range sub.Answers {
			t, err := d.q.Task(ctx, &types.QueryTaskRequest{Id: a.TaskId})
			if notFound(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out[a.TaskId] = t.Task.Answers
		}
	}
	return out, nil
}

// checkAnswers: no case stores an E_i (an accepted answer case is evidence
// of a proof that does not verify, audited as refused, never an answer).
func (d *driver) checkAnswers(ctx context.Context, o *outcome, before map[uint64][]types.TaskAnswer) {
	for id, answers := range before {
		t, err := d.q.Task(ctx, &types.QueryTaskRequest{Id: id})
		if err != nil {
			o.fail("task %d after: %v", id, err)
			continue
		}
		if !slices.EqualFunc(answers, t.Task.Answers, func(a, b types.TaskAnswer) bool {
			return a.Proxy == b.Proxy && slices.EqualFunc(a.EI, b.EI, bytes.Equal)
		}) {
			o.fail("task %d: answers changed (%d before, %d after)", id, len(answers), len(t.Task.Answers))
		}
	}
}

// checkRefusal checks a refusal's code against the registry and the case.
func (o *outcome) checkRefusal(log string) {
	reg := registered(o.codespace, o.code)
	if reg == nil {
		o.unregistered = true
		o.name = "UNREGISTERED"
		o.fail("%s code %d is no registered error: %s", o.codespace, o.code, log)
		return
	}
	o.name = reg.Error()
	if !o.c.Want.Allows(reg) {
		want := "acceptance"
		if o.c.Want.Err != nil {
			want = fmt.Sprintf("%s %d (%s)", o.c.Want.Err.Codespace(), o.c.Want.Err.ABCICode(), o.c.Want.Err.Error())
		}
		o.fail("want %s; log: %s", want, log)
	}
	if cause := o.c.Want.Cause; cause != nil && !strings.Contains(log, cause.Error()) {
		o.fail("log does not name the cause %q: %s", cause.Error(), log)
	}
}

// checkState: a refused case leaves the phr and audit state as it was; an
// accepted one appends exactly the audit entries it expects.
func (d *driver) checkState(ctx context.Context, o *outcome, before, after snapshot) {
	want := o.c.Want.Audit
	if o.c.Want.Err != nil || len(want) == 0 {
		if after.phr != before.phr || after.auditSeq != before.auditSeq || !bytes.Equal(after.auditHash, before.auditHash) {
			o.fail("state changed: before %s; after %s", before, after)
		}
		return
	}
	if after.auditSeq != before.auditSeq+uint64(len(want)) {
		o.fail("audit head %d → %d, want %d new entries", before.auditSeq, after.auditSeq, len(want))
		return
	}
	entries, err := d.auditSince(ctx, before.auditSeq, after.auditSeq)
	if err != nil {
		o.fail("%v", err)
		return
	}
	for i, e := range entries {
		if e.Action != want[i].Action || e.Outcome.String() != want[i].Outcome {
			o.fail("audit entry %d is %s %s, want %s %s", e.Sequence, e.Action, e.Outcome, want[i].Action, want[i].Outcome)
		}
	}
}
