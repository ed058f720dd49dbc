// Command medexchaind is the medexchain node, CLI, proxy daemon and device simulator.
package main

import (
	"fmt"
	"os"

	svrcmd "github.com/cosmos/cosmos-sdk/server/cmd"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/cmd/medexchaind/cmd"
	"github.com/medexchain/medexchain/internal/cliutil"
)

func main() {
	root := cmd.NewRootCmd()
	if err := svrcmd.Execute(root, "MEDEXCHAIND", app.DefaultNodeHome); err != nil {
		fmt.Fprintln(root.ErrOrStderr(), "Error:", cliutil.ErrorLine(err.Error()))
		os.Exit(1)
	}
}
