package phr

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/medexchain/medexchain/x/phr/types"
)

// AutoCLIOptions: every flag-expressible message and query comes from autocli;
// register-patient is hand-written (client/cli) because it reads vault keys
// from name=key pairs and validates them before signing.
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the phr module parameters"},
				{
					RpcMethod: "Patient", Use: "patient [address]", Short: "Show a patient and its vaults",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{
					RpcMethod: "Vaults", Use: "vaults [patient]", Short: "List a patient's vaults",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "patient"}},
				},
				{RpcMethod: "Members", Use: "members", Short: "List admitted members (filter with --role)"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "RegisterPatient", Skip: true},
				{
					RpcMethod: "AdmitMember", Use: "admit-member [member] [role]",
					Short:          "Admit an account as validator, hospital or proxy (admission authority only)",
					Example:        "medexchaind tx phr admit-member medex1... validator --from admin",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "member"}, {ProtoField: "role"}},
				},
				{
					RpcMethod: "RemoveMember", Use: "remove-member [member] [role]",
					Short:          "Withdraw an admission: validator, hospital or proxy (admission authority only)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "member"}, {ProtoField: "role"}},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // governance only
			},
		},
	}
}
