// Command netload drives the four-validator network of scripts/net4.sh
// under load and checks it after a crash (scripts/net4-load.sh; make
// net4-load, make net4-crash-burst):
//
//	netload load          -records firewalled uploads by -gateways gateways,
//	                      gateway i broadcasting to node i of -nodes; then
//	                      -flood-records more while -flood-workers send
//	                      malformed txs (garbage, truncated txs, well-signed
//	                      uploads with a corrupted capsule) to every node.
//	                      Prints throughput and inclusion latency of the
//	                      honest uploads without and with the flood, and what
//	                      became of the malformed txs.
//	netload verify-burst  after `device simulate` gateways uploaded a burst
//	                      through a validator's kill -9: every record on
//	                      chain is whole (capsules decode, body, audit entry,
//	                      decrypts with the vault key), every device's
//	                      sequences are exactly 1..N, and every upload a
//	                      gateway reported before the kill is on chain.
//
// Output: one `name value unit` line per figure on stdout; progress on
// stderr. The exit code is non-zero when a check fails.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: netload load|verify-burst [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "load":
		err = runLoad(os.Args[2:])
	case "verify-burst":
		err = runVerifyBurst(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "netload: unknown command %q (load|verify-burst)\n", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "netload:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "    "+format+"\n", args...)
}

func figure(name string, value any, unit string) {
	fmt.Printf("%s %v %s\n", name, value, unit)
}
