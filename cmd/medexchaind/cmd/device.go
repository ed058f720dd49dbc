package cmd

import (
	"github.com/spf13/cobra"

	phrcli "github.com/medexchain/medexchain/x/phr/client/cli"
)

// deviceCommand is `medexchaind device simulate`: a registered IoMT device and
// its gateway in one process. The device part (FHIR, envelope, encryption) and
// the gateway part (edge firewall, public metadata, upload) live apart in
// x/phr/client/cli (sim_device.go, sim_gateway.go) so that tests drive them
// without a node.
func deviceCommand() *cobra.Command { return phrcli.NewDeviceCmd() }
