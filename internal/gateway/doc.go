// Package gateway is the IoMT side of medexchain, behind `medexchaind device
// simulate`: a simulated device (FHIR readings, sealed in signed envelopes
// and encrypted to the vault key, its sequence numbers in a file that never
// goes back), and its gateway: the edge firewall, which re-randomizes the
// device's output and sets the public metadata itself, and a store-and-forward
// spool from which a forwarder uploads the readings, in order, once each,
// whatever crashes and outages happen on either side (docs/protocol.md,
// "The gateway: store and forward").
package gateway
