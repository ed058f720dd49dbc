package types

// Record is what a module hands to the audit log; the keeper fills in sequence,
// height, time, chain id and the hash links.
type Record struct {
	Action       string
	Actor        string
	Patient      string
	ObjectID     string
	Counterparty Counterparty
	Outcome      Outcome
}
