package cmd

import (
	"context"

	"github.com/spf13/cobra"

	cmtbytes "github.com/cometbft/cometbft/libs/bytes"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	coretypes "github.com/cometbft/cometbft/rpc/core/types"
	cmttypes "github.com/cometbft/cometbft/types"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"

	"github.com/medexchain/medexchain/internal/cliutil"
	"github.com/medexchain/medexchain/internal/txclient"
)

// simulatePath is the gRPC route of gas estimation (--gas auto).
const simulatePath = "/cosmos.tx.v1beta1.Service/Simulate"

// refusalClient is a node client for the autocli tx commands that turns the
// chain's refusals into txclient.RefusedError, as the hand-written commands
// report them (one line naming the registered error, a non-zero exit):
//   - gas estimation: the tx service answers a failed simulation with a gRPC
//     status of code Unknown, and baseapp re-wraps it as "unknown request", so
//     the registered error is lost; the client asks baseapp's own simulation
//     route ("/app/simulate"), which keeps the codespace and code, for the
//     same tx bytes;
//   - broadcast: a CheckTx answer with a non-zero code is an error, so the
//     command exits non-zero (the SDK prints the response and exits 0).
type refusalClient struct {
	client.CometRPC
}

// ABCIQueryWithOptions forwards the query; a failed simulation is asked again
// on baseapp's simulation route to return the registered error.
func (c refusalClient) ABCIQueryWithOptions(ctx context.Context, path string, data cmtbytes.HexBytes, opts rpcclient.ABCIQueryOptions) (*coretypes.ResultABCIQuery, error) {
	res, err := c.CometRPC.ABCIQueryWithOptions(ctx, path, data, opts)
	if err != nil || path != simulatePath || res.Response.IsOK() {
		return res, err
	}
	var req txtypes.SimulateRequest
	if req.Unmarshal(data) != nil || len(req.TxBytes) == 0 {
		return res, nil
	}
	again, qerr := c.CometRPC.ABCIQueryWithOptions(ctx, "/app/simulate", req.TxBytes, opts)
	if qerr != nil || again.Response.IsOK() || again.Response.Codespace == "" {
		return res, nil
	}
	r := again.Response
	return nil, &txclient.RefusedError{Stage: txclient.StageSimulation, Codespace: r.Codespace, Code: r.Code, Log: cliutil.ErrorLine(r.Log)}
}

// BroadcastTxSync forwards the tx; a refusal at CheckTx is returned as an error.
func (c refusalClient) BroadcastTxSync(ctx context.Context, tx cmttypes.Tx) (*coretypes.ResultBroadcastTx, error) {
	res, err := c.CometRPC.BroadcastTxSync(ctx, tx)
	if err != nil || res.Code == 0 {
		return res, err
	}
	return res, &txclient.RefusedError{Stage: txclient.StageCheck, TxHash: res.Hash.String(), Codespace: res.Codespace, Code: res.Code,
		Log: cliutil.ErrorLine(res.Log)}
}

// newNodeClient dials the node named by --node (replaced in tests).
var newNodeClient = func(uri string) (client.CometRPC, error) { return client.NewClientFromNode(uri) }

// useRefusalClient gives cmd's client context a refusalClient. The SDK reads
// --node again inside the command and builds a plain client when the flag was
// set, so the flag is consumed here.
func useRefusalClient(cmd *cobra.Command) error {
	ctx := client.GetClientContextFromCmd(cmd)
	uri := ctx.NodeURI
	if f := cmd.Flags().Lookup(flags.FlagNode); f != nil && f.Changed {
		uri = f.Value.String()
		f.Changed = false
	}
	if uri == "" || ctx.Offline {
		return nil
	}
	node, err := newNodeClient(uri)
	if err != nil {
		return err
	}
	return client.SetCmdClientContext(cmd, ctx.WithNodeURI(uri).WithClient(refusalClient{node}))
}

// commandSet is every command of the tree under root.
func commandSet(root *cobra.Command) map[*cobra.Command]bool {
	set := map[*cobra.Command]bool{root: true}
	for _, c := range root.Commands() {
		for k := range commandSet(c) {
			set[k] = true
		}
	}
	return set
}

// reportRefusals makes the tx commands that autocli added (those not in
// handWritten) report a refusal as the registered error. The hand-written
// commands broadcast with their own client and check the codes themselves.
func reportRefusals(root *cobra.Command, handWritten map[*cobra.Command]bool) {
	var tx *cobra.Command
	for _, c := range root.Commands() {
		if c.Name() == "tx" {
			tx = c
		}
	}
	if tx == nil {
		return
	}
	for c := range commandSet(tx) {
		if handWritten[c] || c.RunE == nil || c.HasSubCommands() {
			continue
		}
		run := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if err := useRefusalClient(cmd); err != nil {
				return err
			}
			return run(cmd, args)
		}
	}
}
