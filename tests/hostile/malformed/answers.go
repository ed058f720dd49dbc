package malformed

import (
	errorsmod "cosmossdk.io/errors"

	"crypto/rand"
	"fmt"
	"io"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Answer is proxy's honest answer for task t, from the story's key grant
// of t's grant and the stored E of t's capsule.
func (s *Story) Answer(proxy Role, t types.Task) (*pre.Answer, error) {
	kg := s.KeyGrants[t.GrantId]
	if kg == nil {
		return nil, fmt.Errorf("no key grant %d in the story", t.GrantId)
	}
	addr := s.Addr[proxy]
	frag, err := pre.OpenFragment(s.ProxyKeys[proxy], s.ChainID, t.GrantId, addr, kg)
	if err != nil {
		return nil, err
	}
	defer frag.Erase()
	E, err := group.DecodeElement(s.TaskE[t.Id])
	if err != nil {
		return nil, err
	}
	return frag.Answer(pre.AnswerContext{ChainID: s.ChainID, GrantID: t.GrantId, TaskID: t.Id, RecordID: t.RecordId,
		CapsuleIndex: t.CapsuleIndex, Proxy: addr}, E, rand.Reader)
}

func (s *Story) answerMsg(proxy Role, subs ...types.AnswerSubmission) *types.MsgSubmitAnswers {
	return &types.MsgSubmitAnswers{Proxy: s.Addr[proxy].String(), Answers: subs}
}

// answerCases: Proxy2's answers to the task Proxy1 answered, with E_i, the
// proof's scalars or the length broken; a proof that does not verify;
// Proxy1's committed answer replayed (the very tx, and re-signed); answers
// by proxies off the task's committee (Proxy4, a stranger), for another
// grant's task, an unknown task, a task twice and none. All are refused at
// CheckTx (current answer format: one E_i and one DLEQ proof per capsule
// task, x/phr/crypto/pre Answer).
func answerCases(s *Story, rnd io.Reader) ([]Case, error) {
	task := s.Tasks[0]
	honest, err := s.Answer(Proxy2, task)
	if err != nil {
		return nil, err
	}
	hb := honest.Bytes()
	var out []Case
	add := func(name string, signer Role, m *types.MsgSubmitAnswers, want Expect) *Case {
		want.Stage = AtCheck
		out = append(out, Case{Family: "answer", Name: name, Signer: signer, Msgs: msgs(m), Want: want})
		return &out[len(out)-1]
	}
	broken := func(name string, ans []byte, b Bad) {
		c := add(name+"/"+b.Name, Proxy2, s.answerMsg(Proxy2, types.AnswerSubmission{TaskId: task.Id, Answer: ans}),
			Expect{Err: types.ErrInvalidAnswer, Cause: b.Cause})
		c.Object, c.Bytes, c.Claim = ObjAnswer, ans, b.Cause
	}
	with := func(off int, part []byte) []byte {
		a := append([]byte(nil), hb...)
		copy(a[off:], part)
		return a
	}
	bads, err := BadElements(rnd, hb[:group.ElementSize])
	if err != nil {
		return nil, err
	}
	for _, b := range bads {
		if len(b.Bytes) == group.ElementSize {
			broken("E_i", with(0, b.Bytes), b)
		}
	}
	for _, b := range BadScalars() {
		if len(b.Bytes) != group.ScalarSize {
			continue
		}
		broken("proof-c", with(group.ElementSize, b.Bytes), b)
		broken("proof-s", with(group.ElementSize+group.ScalarSize, b.Bytes), b)
	}
	for _, n := range []int{pre.AnswerSize - 1, pre.AnswerSize + 1, 0} {
		ans := append(append([]byte(nil), hb...), 0)[:n]
		broken("length", ans, Bad{fmt.Sprint(n), ans, group.ErrMalformed})
	}

	// well-formed, but not a proof of this proxy for this task
	var wrong [2 * group.ScalarSize]byte
	for i := 0; i < 2; i++ {
		x, err := group.RandomScalar(rnd)
		if err != nil {
			return nil, err
		}
		copy(wrong[i*group.ScalarSize:], x.Bytes())
	}
	add("proof-does-not-verify", Proxy2, s.answerMsg(Proxy2, types.AnswerSubmission{TaskId: task.Id, Answer: with(group.ElementSize, wrong[:])}),
		Expect{Err: types.ErrInvalidAnswer})
	if len(s.Tasks) > 1 {
		other, err := s.Answer(Proxy2, s.Tasks[1])
		if err != nil {
			return nil, err
		}
		add("answer-of-another-task", Proxy2, s.answerMsg(Proxy2, types.AnswerSubmission{TaskId: task.Id, Answer: other.Bytes()}),
			Expect{Err: types.ErrInvalidAnswer})
	}
	theirs := s.Answered.Answers[0]
	add("proxy1-answer-sent-by-proxy2", Proxy2, s.answerMsg(Proxy2, theirs), Expect{Err: types.ErrInvalidAnswer})

	// replays of Proxy1's committed answer
	if s.AnsweredTx != nil {
		replay := s.AnsweredTx
		add("replay-same-tx", Proxy1, s.Answered, Expect{Err: sdkerrors.ErrTxInMempoolCache, Or: []*errorsmod.Error{sdkerrors.ErrWrongSequence}}).
			Rewrite = func([]byte) []byte { return replay }
	}
	add("replay-re-signed", Proxy1, s.Answered, Expect{Err: types.ErrDuplicateAnswer})

	// foreign tasks
	sub := types.AnswerSubmission{TaskId: task.Id, Answer: hb}
	add("proxy-off-the-committee", Proxy4, s.answerMsg(Proxy4, sub), Expect{Err: types.ErrNotCommittee})
	add("stranger", Stranger, s.answerMsg(Stranger, sub), Expect{Err: types.ErrNotCommittee})
	if len(s.OtherTasks) > 0 {
		add("task-of-another-grant", Proxy2, s.answerMsg(Proxy2, types.AnswerSubmission{TaskId: s.OtherTasks[0].Id, Answer: hb}),
			Expect{Err: types.ErrInvalidAnswer})
	}
	add("unknown-task", Proxy2, s.answerMsg(Proxy2, types.AnswerSubmission{TaskId: 1 << 40, Answer: hb}), Expect{Err: types.ErrTaskNotFound})
	add("same-task-twice", Proxy2, s.answerMsg(Proxy2, sub, sub), Expect{Err: types.ErrDuplicateAnswer})
	add("no-answers", Proxy2, s.answerMsg(Proxy2), Expect{Err: types.ErrInvalidAnswer})
	// the same honest answer in two messages of one tx: each passes the
	// firewall alone, the second is refused in the block (the first's write
	// is undone with it)
	if len(s.Tasks) > 1 {
		second, err := s.Answer(Proxy2, s.Tasks[1])
		if err != nil {
			return nil, err
		}
		m := s.answerMsg(Proxy2, types.AnswerSubmission{TaskId: s.Tasks[1].Id, Answer: second.Bytes()})
		add("same-answer-in-two-messages", Proxy2, m, Expect{Err: types.ErrDuplicateAnswer}).Msgs = msgs(m, m)
		out[len(out)-1].Want.Stage = InBlock
	}
	return out, nil
}
