package proxy

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	errorsmod "cosmossdk.io/errors"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/medexchain/medexchain/x/phr/types"
)

// Transport failures become ErrUnavailable; the chain's own answers do not.
func TestTransportError(t *testing.T) {
	for _, c := range []struct {
		err         error
		unavailable bool
	}{
		{errors.New(`post failed: Post "http://127.0.0.1:26657": dial tcp 127.0.0.1:26657: connect: connection refused`), true},
		{status.Error(codes.Unavailable, "connection refused"), true},
		{context.DeadlineExceeded, true},
		{status.Error(codes.NotFound, "grant 9 not found"), false},
		{status.Error(codes.Unknown, "task is no longer open"), false},
		{errorsmod.Wrap(types.ErrGrantNotFound, "grant 9"), false}, // registered errors carry a gRPC status
	} {
		if got := errors.Is(transportError(c.err), ErrUnavailable); got != c.unavailable {
			t.Errorf("%v: unavailable=%v", c.err, got)
		}
	}
	if !errors.Is(transportError(context.Canceled), context.Canceled) {
		t.Error("cancellation must stay cancellation")
	}
}

// A simulation failure arrives as text; the registered error is recovered.
func TestSimulationError(t *testing.T) {
	text := status.Error(codes.Unknown, "message 0: task 4 is TASK_STATUS_DONE: task is no longer open: task is no longer open With gas wanted: '0' and gas used: '81234' ")
	if err := simulationError(text); !errors.Is(err, types.ErrTaskClosed) || !lostRace(err) {
		t.Fatalf("got %v", err)
	}
	seq := status.Error(codes.Unknown, "account sequence mismatch, expected 7, got 6: incorrect account sequence")
	if err := simulationError(seq); !errors.Is(err, sdkerrors.ErrWrongSequence) {
		t.Fatalf("got %v", err)
	}
	if err := simulationError(errors.New("dial tcp: connection refused")); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
	if err := simulationError(status.Error(codes.Unknown, "something else")); lostRace(err) || errors.Is(err, ErrUnavailable) {
		t.Fatalf("got %v", err)
	}
}

// A sequence mismatch resets the remembered sequence to the node's expectation.
func TestChainErrorSequence(t *testing.T) {
	s := &TxSubmitter{nextSeq: 9, haveSeq: true}
	err := errorsmod.ABCIError(sdkerrors.RootCodespace, sdkerrors.ErrWrongSequence.ABCICode(), "account sequence mismatch, expected 7, got 9")
	if !errors.Is(s.chainError(err), sdkerrors.ErrWrongSequence) || !s.haveSeq || s.nextSeq != 7 {
		t.Fatalf("seq %d %v", s.nextSeq, s.haveSeq)
	}
	s.chainError(errorsmod.ABCIError(sdkerrors.RootCodespace, sdkerrors.ErrWrongSequence.ABCICode(), "no numbers"))
	if s.haveSeq {
		t.Fatal("unparsable mismatch must fall back to the chain's sequence")
	}
	// An error code from a module passes through untouched and matches.
	err = errorsmod.ABCIError(types.ModuleName, types.ErrTaskClosed.ABCICode(), "tx ABC: task 3")
	if !errors.Is(s.chainError(err), types.ErrTaskClosed) {
		t.Fatalf("got %v", err)
	}
}

func TestCompletedTasks(t *testing.T) {
	r := &types.MsgSubmitAnswersResponse{CompletedTasks: []uint64{3, 4}}
	a, err := codectypes.NewAnyWithValue(r)
	if err != nil {
		t.Fatal(err)
	}
	bz, err := (&sdk.TxMsgData{MsgResponses: []*codectypes.Any{a}}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if got := completedTasks(fmt.Sprintf("%X", bz)); len(got) != 2 || got[0] != 3 || got[1] != 4 {
		t.Fatalf("got %v", got)
	}
	for _, bad := range []string{"", "zz", hex.EncodeToString([]byte{0xff, 0xff})} {
		if got := completedTasks(bad); got != nil {
			t.Fatalf("%q: %v", bad, got)
		}
	}
}
