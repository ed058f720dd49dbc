package proxy

import (
	"slices"
	"testing"

	"github.com/medexchain/medexchain/x/phr/types"
)

func TestCompletedTasks(t *testing.T) {
	bz, err := (&types.MsgSubmitAnswersResponse{CompletedTasks: []uint64{3, 4}}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if got := completedTasks([][]byte{bz}); !slices.Equal(got, []uint64{3, 4}) {
		t.Fatalf("got %v", got)
	}
	if got := completedTasks([][]byte{{0xff, 0xff}}); got != nil {
		t.Fatalf("garbage decoded to %v", got)
	}
}
