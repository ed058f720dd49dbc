package main

import (
	"errors"
	"testing"
)

func TestUserError(t *testing.T) {
	in := errors.New("rpc error: code = Unknown desc = rpc error: code = Unknown desc = failed to execute message; message index: 0: grant 1: grant revoked [/work/main/x/phr/keeper/access.go:268] with gas used: '52365': unknown request\n")
	want := "rpc error: code = Unknown desc = failed to execute message; message index: 0: grant 1: grant revoked with gas used: '52365': unknown request"
	if got := userError(in); got != want {
		t.Fatalf("userError:\n got %q\nwant %q", got, want)
	}
	if got := userError(errors.New("vault \"x\": invalid vault name")); got != "vault \"x\": invalid vault name" {
		t.Fatalf("plain message changed: %q", got)
	}
}
