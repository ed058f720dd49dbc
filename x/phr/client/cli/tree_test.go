package cli_test

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	mxcmd "github.com/medexchain/medexchain/cmd/medexchaind/cmd"
)

// TestCommandTree builds the real root command (autocli included: a flag
// clash panics here, not on a user's machine) and checks that every phr
// command this package and autocli promise is there.
func TestCommandTree(t *testing.T) {
	root := mxcmd.NewRootCmd()
	find := func(path string) *cobra.Command {
		c, rest, err := root.Find(strings.Fields(path))
		require.NoError(t, err, path)
		require.Empty(t, rest, path)
		require.Equal(t, strings.Fields(path)[len(strings.Fields(path))-1], c.Name(), path)
		return c
	}
	for _, path := range []string{
		"phr keygen", "phr grant", "phr decrypt", "device simulate",
		"tx phr register-patient", "tx phr register-device", "tx phr rotate-vault-key", "tx phr request-access",
		"tx phr deny-access", "tx phr revoke-access", "tx phr fetch-records", "tx phr deactivate-device",
		"tx phr admit-member", "tx phr remove-member", "tx phr update-member-key",
		"query phr vault-epoch", "query phr device", "query phr devices", "query phr record", "query phr records",
		"query phr grant", "query phr grants-by-patient", "query phr grants-by-requester", "query phr grants-by-proxy",
		"query phr task", "query phr pending-tasks", "query phr share", "query phr shares",
		"phr decrypt-remote", "tx phr request-remote-access", "tx phr fetch-remote",
		"query phr remote-request", "query phr remote-requests", "query phr remote-grant", "query phr remote-grants",
		"query phr inbox", "query phr inbox-share",
	} {
		find(path)
	}
	// Messages built by crypto commands or daemons have no raw autocli form.
	for _, name := range []string{"grant-access", "upload-record", "submit-answers"} {
		c, _, err := root.Find([]string{"tx", "phr", name})
		require.True(t, err != nil || c.Name() != name, "tx phr %s should not exist", name)
	}
	require.NotNil(t, find("tx phr revoke-access").Flags().Lookup("reason"))
	for _, f := range []string{"from-time", "to-time", "max-records", "purpose", "expiry"} {
		require.NotNil(t, find("tx phr request-remote-access").Flags().Lookup(f), f)
	}
	require.NotNil(t, find("phr decrypt-remote").Flags().Lookup("seen-file"))
	require.NotNil(t, find("phr grant").Flags().Lookup("vault-key"))
	require.NotNil(t, find("device simulate").Flags().Lookup("out-dir"))
}
