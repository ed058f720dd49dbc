// Package proxy is the re-encryption proxy daemon's logic (`medexchaind proxy run`;
// docs/protocol.md, the proxy daemon).
//
// A Worker polls its own node for the open tasks of active grants on whose
// committee it sits, opens and checks its key fragment of each grant (refusing
// one that does not match the Feldman commitments), reads each task's capsule
// E from the node's Record state — never from a message or an event — answers
// with a DLEQ-proven E^{k_i}, and submits the answers in bounded batches. It
// deletes the fragment of a grant only when the chain says positively that
// the grant is revoked or expired, leaving a tombstone in the keystore so it
// cannot come back; NotFound, an empty grant and errors are transient. It
// keeps the proxy's earlier HPKE keys (Config.EarlierKeys) for grants
// sealed before a key rotation.
//
// Chain access sits behind two small interfaces, Querier and Submitter, so the
// same Worker runs against fakes, the in-process app harness and a real node
// (GRPCQuerier and TxSubmitter, built from a cosmos client.Context).
package proxy
