package audit

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/medexchain/medexchain/x/audit/types"
)

// AutoCLIOptions exposes every query on the CLI; `verify` is hand-written in
// client/cli because it recomputes hashes rather than reading one RPC.
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Query_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the audit module parameters"},
				{RpcMethod: "Head", Use: "head", Short: "Show the newest audit entry (the head an auditor pins)"},
				{
					RpcMethod: "Entry", Use: "entry [sequence]", Short: "Show one audit entry",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "sequence"}},
				},
				{RpcMethod: "Entries", Use: "entries", Short: "List audit entries in sequence order"},
				{
					RpcMethod: "EntriesByPatient", Use: "by-patient [patient]", Short: "List the audit entries of one patient",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "patient"}},
				},
				{
					RpcMethod: "EntriesByActor", Use: "by-actor [actor]", Short: "List the audit entries of one actor",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "actor"}},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "UpdateParams", Skip: true}, // governance only
			},
		},
	}
}
