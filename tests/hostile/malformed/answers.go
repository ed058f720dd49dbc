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
// of t's grant and the stored E of its record's capsules (one answer over
// all of them).
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
	E := make([]*group.Element, len(s.TaskE[t.Id]))
	for j, b := range s.TaskE[t.Id] {
		if E[j], err = group.DecodeElement(b); err != nil {
			return nil, err
		}
	}
	return frag.Answer(pre.AnswerContext{ChainID: s.ChainID, GrantID: t.GrantId, TaskID: t.Id, RecordID: t.RecordId,
		Capsules: uint32(len(E)), Proxy: addr}, E, rand.Reader)
}

func (s *Story) answerMsg(proxy Role, subs ...types.AnswerSubmission) *types.MsgSubmitAnswers {
	return &types.MsgSubmitAnswers{Proxy: s.Addr[proxy].String(), Answers: subs}
}

// answerCases: Proxy2's answers to the task Proxy1 answered, with an E_i,
// the proof's scalars or the length broken; Proxy1's committed answer
// replayed (the very tx, and re-signed); answers by proxies off the task's
// committee (Proxy4, a stranger), an unknown task, a task twice and none:
// all refused at CheckTx. Then well-formed answers whose proof does not
// verify (a random proof, Proxy1's answer sent by Proxy3, an answer sent for
// another grant's task): evidence, not refusals, so CheckTx admits them and
// the block audits each as refused (phr/answer-task, OUTCOME_REFUSED),
// spending the sender's seat; they come last, since a spent seat turns a
// later answer of the same proxy into ErrDuplicateAnswer. (Answer format:
// one answer per record's task, E_i,1 ‖ E_i,2 ‖ c ‖ s with one batch DLEQ
// proof, x/phr/crypto/pre Answer.)
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
	proofAt := len(hb) - 2*group.ScalarSize // the E_i end here
	for _, off := range []int{0, proofAt - group.ElementSize} {
		bads, err := BadElements(rnd, hb[off:off+group.ElementSize])
		if err != nil {
			return nil, err
		}
		for _, b := range bads {
			if len(b.Bytes) == group.ElementSize {
				broken(fmt.Sprintf("E_i@%d", off), with(off, b.Bytes), b)
			}
		}
	}
	for _, b := range BadScalars() {
		if len(b.Bytes) != group.ScalarSize {
			continue
		}
		broken("proof-c", with(proofAt, b.Bytes), b)
		broken("proof-s", with(proofAt+group.ScalarSize, b.Bytes), b)
	}
	size := pre.AnswerSize(len(honest.Ei))
	for _, n := range []int{size - 1, size + 1, pre.AnswerSize(1), 0} {
		ans := append(append([]byte(nil), hb...), 0)[:n]
		broken("length", ans, Bad{fmt.Sprint(n), ans, group.ErrMalformed})
	}

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

	// well-formed, but not a proof of this proxy for this task: evidence
	evidence := func(name string, signer Role, sub types.AnswerSubmission) {
		add(name, signer, s.answerMsg(signer, sub), Expect{Audit: []AuditEntry{{types.ActionAnswerTask, "OUTCOME_REFUSED"}}})
		out[len(out)-1].Want.Stage = InBlock
	}
	var wrong [2 * group.ScalarSize]byte
	for i := 0; i < 2; i++ {
		x, err := group.RandomScalar(rnd)
		if err != nil {
			return nil, err
		}
		copy(wrong[i*group.ScalarSize:], x.Bytes())
	}
	evidence("proof-does-not-verify", Proxy2, types.AnswerSubmission{TaskId: task.Id, Answer: with(proofAt, wrong[:])})
	evidence("proxy1-answer-sent-by-proxy3", Proxy3, s.Answered.Answers[0])
	if len(s.OtherTasks) > 0 {
		evidence("task-of-another-grant", Proxy2, types.AnswerSubmission{TaskId: s.OtherTasks[0].Id, Answer: hb})
	}
	return out, nil
}
