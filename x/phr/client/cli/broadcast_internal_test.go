package cli

import "testing"

func TestExpectedSequence(t *testing.T) {
	cases := map[string]uint64{
		"account sequence mismatch, expected 5, got 4: incorrect account sequence":       5,
		"rpc error: code = Unknown desc = account sequence mismatch, expected 12, got 9": 12,
		"out of gas": 0,
	}
	for log, want := range cases {
		if got := expectedSequence(log); got != want {
			t.Errorf("%q: %d, want %d", log, got, want)
		}
	}
}
