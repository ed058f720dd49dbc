package cmd

import "github.com/cosmos/cosmos-sdk/client"

// SetNodeClient makes the autocli tx commands talk to node instead of dialing
// --node; the returned function restores the dialer.
func SetNodeClient(node client.CometRPC) (restore func()) {
	saved := newNodeClient
	newNodeClient = func(string) (client.CometRPC, error) { return node, nil }
	return func() { newNodeClient = saved }
}
