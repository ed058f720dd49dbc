// Command byzproxy is a byzantine re-encryption proxy for the fault scripts
// (scripts/net4-faults.sh byzantine-proxy): medexchaind itself, with the real
// proxy daemon (`byzproxy proxy run ...`, the flags of `medexchaind proxy run`),
// whose submitter tampers with every answer before it is signed. The
// answers stay well-formed encodings, the math is wrong:
//
//	BYZPROXY_TAMPER=point  the first E_i becomes E_i·g, as from a wrong fragment key (default)
//	BYZPROXY_TAMPER=proof  the proof scalar s becomes s+1
//
// An answer is E_i,1 ‖ … ‖ E_i,n ‖ c ‖ s (x/phr/crypto/pre): the tampering
// touches the first 32 bytes or the last 32, whatever n is.
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/cmd/medexchaind/cmd"
	"github.com/medexchain/medexchain/internal/cliutil"
	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/types"
)

func main() {
	mode := os.Getenv("BYZPROXY_TAMPER")
	if mode == "" {
		mode = "point"
	}
	tamper, ok := tampers[mode]
	if !ok {
		fmt.Fprintf(os.Stderr, "Error: BYZPROXY_TAMPER=%q: point or proof\n", mode)
		os.Exit(2)
	}
	root := cmd.NewRootCmd()
	for _, c := range root.Commands() {
		if c.Name() == "proxy" {
			root.RemoveCommand(c)
		}
	}
	root.AddCommand(cmd.ProxyCommandWith(func(s proxy.Submitter) proxy.Submitter {
		return &tampering{next: s, tamper: tamper, mode: mode}
	}))
	if err := svrcmd.Execute(root, "MEDEXCHAIND", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(root.ErrOrStderr(), "Error:", cliutil.ErrorLine(err.Error()))
		os.Exit(1)
	}
}

// tampers change one answer in place; an error means it was not an answer.
var tampers = map[string]func(a []byte) error{
	"point": func(a []byte) error {
		if len(a) < group.ElementSize {
			return fmt.Errorf("answer of %d bytes", len(a))
		}
		e, err := group.DecodeElement(a[:group.ElementSize])
		if err != nil {
			return err
		}
		copy(a, new(group.Element).Add(e, group.Generator()).Bytes())
		return nil
	},
	"proof": func(a []byte) error {
		if len(a) < group.ScalarSize {
			return fmt.Errorf("answer of %d bytes", len(a))
		}
		tail := a[len(a)-group.ScalarSize:]
		s, err := group.DecodeScalar(tail)
		if err != nil {
			return err
		}
		copy(tail, new(group.Scalar).Add(s, group.ScalarFromUint64(1)).Bytes())
		return nil
	},
}

// tampering is the byzantine Submitter: it changes every answer of a batch,
// then hands the batch to the real one (which signs and broadcasts it).
type tampering struct {
	next   proxy.Submitter
	tamper func([]byte) error
	mode   string
}

// Submit tampers with copies: the worker may submit the same answers again
// (a batch retried after a lost race), and each must be tampered once.
func (t *tampering) Submit(ctx context.Context, msg *types.MsgSubmitAnswers) (*proxy.SubmitResult, error) {
	forged := &types.MsgSubmitAnswers{Proxy: msg.Proxy, Answers: slices.Clone(msg.Answers)}
	for i := range forged.Answers {
		a := bytes.Clone(forged.Answers[i].Answer)
		if err := t.tamper(a); err != nil {
			return nil, fmt.Errorf("byzproxy: task %d: %w", forged.Answers[i].TaskId, err)
		}
		forged.Answers[i].Answer = a
	}
	fmt.Fprintf(os.Stderr, "byzproxy: %d answer(s) tampered (%s) before signing\n", len(forged.Answers), t.mode)
	return t.next.Submit(ctx, forged)
}
