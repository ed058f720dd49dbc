package tests

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/server/api"
	"github.com/cosmos/cosmos-sdk/server/config"

	"github.com/medexchain/medexchain/testutil/clienttest"
	"github.com/medexchain/medexchain/testutil/phrtest"
)

// restServer is the node's REST gateway (the SDK's API server with the app's
// routes, as `start` mounts it with api.enable) over the world's chain.
func restServer(t *testing.T, w *phrtest.World) *httptest.Server {
	a := w.H.App
	clientCtx := client.Context{}.WithCodec(a.AppCodec()).WithInterfaceRegistry(a.InterfaceRegistry()).
		WithTxConfig(a.TxConfig()).WithLegacyAmino(a.LegacyAmino()).WithClient(clienttest.NewNode(w.H))
	srv := api.New(clientCtx, log.NewNopLogger(), nil)
	a.RegisterAPIRoutes(srv, config.APIConfig{})
	ts := httptest.NewServer(srv.GRPCGatewayRouter)
	t.Cleanup(ts.Close)
	return ts
}

func getJSON(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	res, err := http.Get(url) //nolint:gosec // a test server's URL
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	return res.StatusCode, out
}

// Enum query parameters accept their names, as the REST routes document them,
// and still accept numbers; an unknown name is refused.
func TestRESTEnumQueryParametersByName(t *testing.T) {
	w := phrtest.NewWorld(t, 3)
	ts := restServer(t, w)

	for _, role := range []string{"ROLE_PROXY", "3"} {
		code, out := getJSON(t, ts.URL+"/medexchain/phr/v1/members?role="+role)
		require.Equal(t, http.StatusOK, code, "role=%s: %v", role, out)
		require.Len(t, out["members"], 3, "role=%s", role)
	}
	code, out := getJSON(t, ts.URL+"/medexchain/phr/v1/members?role=ROLE_HOSPITAL")
	require.Equal(t, http.StatusOK, code, out)
	require.Len(t, out["members"], 1)

	grant := w.Request(10)
	code, out = getJSON(t, ts.URL+"/medexchain/phr/v1/patients/"+w.Patient.String()+"/grants?status=GRANT_STATUS_REQUESTED")
	require.Equal(t, http.StatusOK, code, out)
	require.Len(t, out["grants"], 1, "grant %d", grant)

	code, out = getJSON(t, ts.URL+"/medexchain/phr/v1/members?role=ROLE_NOBODY")
	require.Equal(t, http.StatusBadRequest, code, out)
}
