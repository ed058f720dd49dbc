// Package proxy is the re-encryption proxy daemon's logic (DESIGN.md §3.4–3.5,
// `medexchaind proxy run`).
//
// A Worker polls its own node for the open tasks of active grants on whose
// committee it sits, opens and checks its key fragment of each grant (refusing
// one that does not match the Feldman commitments), reads each task's capsule
// E from the node's Record state — never from a message or an event — answers
// with a DLEQ-proven E^{k_i}, and submits the answers in bounded batches. It
// deletes the fragments of grants that are no longer granted (revoked or
// expired), leaving a tombstone in the keystore so they cannot come back.
//
// Chain access sits behind two small interfaces, Querier and Submitter, so the
// same Worker runs against fakes, the in-process app harness and a real node
// (GRPCQuerier and TxSubmitter, built from a cosmos client.Context).
package proxy
