package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the phr module's name, store key and router key.
	ModuleName = "phr"
	StoreKey   = ModuleName
)

// Collection prefixes; each names one collection in keeper.Keeper.
var (
	ParamsKey   = collections.NewPrefix(0)
	PatientsKey = collections.NewPrefix(1)
	VaultsKey   = collections.NewPrefix(2)
	MembersKey  = collections.NewPrefix(3)
)

// Audit actions written by this module.
const (
	ActionRegisterPatient = "phr/register-patient"
	ActionAdmitMember     = "phr/admit-member"
	ActionRemoveMember    = "phr/remove-member"
)
