// Package benchkit is what the chain drivers under tests/bench share
// (chainbench, netload): accounts signed for in process with the app's own
// tx config, their setup on a running chain (funding, admissions, a
// patient, its vault and one device per gateway), firewalled uploads, a
// broadcast that waits out a full mempool, and a follower of committed
// blocks for drivers that keep one tx in flight per signer.
package benchkit
