package cliutil_test

import (
	"testing"

	"github.com/medexchain/medexchain/internal/cliutil"
)

func TestErrorLine(t *testing.T) {
	cases := map[string]string{
		"rpc error: code = Unknown desc = rpc error: code = Unknown desc = failed to execute message; message index: 0: medex16uk: signer is not an admitted hospital [/work/main/x/phr/keeper/access.go:36] with gas used: '50693': unknown request": "medex16uk: signer is not an admitted hospital",
		"rpc error: code = Unknown desc = failed to execute message; message index: 0: grant 1: grant revoked with gas used: '53365': unknown request":                                                                                                "grant 1: grant revoked",
		"rpc error: code = NotFound desc = 9: grant not found: key not found":                            "9: grant not found",
		"task 4 is TASK_STATUS_DONE: task is no longer open With gas wanted: '0' and gas used: '81234' ": "task 4 is TASK_STATUS_DONE: task is no longer open",
		"failed to simulate tx: medex14y9: signer is not an admitted hospital":                           "medex14y9: signer is not an admitted hospital",
		"grant revoked\nstack...":       "grant revoked",
		`vault "x": invalid vault name`: `vault "x": invalid vault name`,
	}
	for in, want := range cases {
		if got := cliutil.ErrorLine(in); got != want {
			t.Errorf("ErrorLine(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}
