// Command statefill grows a stopped single-validator medexchain node's state
// by N synthetic records, written straight into its store, and measures a
// running node's queries at that size (make bench-scale, scripts/bench-scale.sh).
//
//	statefill fill    -home DIR -records N [-fetch F]
//	statefill measure -grpc HOST:PORT -patient ADDR -vault NAME -proxy ADDR [-deep-record ID] [-label L] [-samples S]
//
// A JSON genesis of a million records would be gigabytes and replaying a
// million upload txs takes hours, so fill opens the node's application.db
// with the app's own constructor (app.New, as `medexchaind start` does) and
// writes through the keepers' domain methods in one context at the node's
// last height H: UploadRecord for each record (the upload checks and the
// record's audit entry through the audit keeper's Append, so the hash chain
// is the real one), FetchRecords under the story's live grant for F of them
// (tasks and shares as the fetch path opens them). Templates are the
// records the node's real story uploaded (their device, vault, epoch,
// gateway, time and capsules), cycled, with a random body of the smallest
// bucket (512 bytes; -body-bytes 0 keeps the template's own): every
// synthetic record is valid in form, its capsules real group elements, its
// body as opaque as a ciphertext (it decrypts to nothing).
//
// Why the result is a sound version H (see rewrite.go and comet.go): the
// SDK's multistore commits only version latest+1, and CometBFT's handshake
// requires the app at exactly the height of its state and block store, with
// the app hash its state records. So fill reads the changes block H made
// (a merge of every store's keys at H-1 and H), rolls the multistore back to
// H-1 (RollbackToVersion, as `medexchaind rollback` does), applies those
// changes again, writes the fill and commits: version H holds the state of
// block H plus the fill. Then it sets AppHash in CometBFT's state store
// (data/state.db) to the new commit hash. The handshake then finds app
// height = store height = state height = H and the app hash it expects;
// block H+1 is proposed with the new app hash. Nothing else in CometBFT
// refers to version H's hash: block H's header carries the hash of H-1, and
// the saved FinalizeBlock response of H is read only when the state lags the
// block store (refused here: fill requires both at H, a cleanly stopped node).
//
// measure prints one `name value unit` line per figure: median latencies of
// RecordsByPatient (first page and a deep page, asked by its key), of the proxy
// daemon's poll (internal/proxy's Querier over the node's gRPC endpoint:
// GrantsByProxy(GRANTED), PendingTasks and the record head of each task) and its
// parts.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: statefill fill|measure [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "fill":
		err = runFill(os.Args[2:])
	case "measure":
		err = runMeasure(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (fill or measure)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "statefill:", err)
		os.Exit(1)
	}
}
