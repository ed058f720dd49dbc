package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the audit module's name, store key and router key.
	ModuleName = "audit"
	// StoreKey is the audit module's KV store key.
	StoreKey = ModuleName
)

// Collection prefixes; each names one collection in keeper.Keeper.
var (
	ParamsKey    = collections.NewPrefix(0)
	EntriesKey   = collections.NewPrefix(1)
	SequenceKey  = collections.NewPrefix(2)
	ByPatientKey = collections.NewPrefix(3)
	ByActorKey   = collections.NewPrefix(4)
)
