package phr

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/medexchain/medexchain/x/phr/types"
)

// AutoCLIOptions builds every flag-expressible message and query from autocli.
// Hand-written (x/phr/client/cli) are the messages whose input is a key file
// or needs checking before signing: register-patient, register-device and
// rotate-vault-key (keys from .pub files), request-access and
// request-remote-access (a nested scope with times), and the crypto steps `phr grant` (MsgGrantAccess) and
// `device simulate` (MsgUploadRecord); MsgSubmitAnswers is the proxy
// daemon's. Timestamps are RFC 3339; bytes flags take hex, base64 or a file of
// raw bytes (not a .pub file, which holds hex text: pass $(cat f.pub)).
func (am AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service:           types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: queryCommands(),
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions:    txCommands(),
		},
	}
}

func pos(fields ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(fields))
	for i, f := range fields {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: f}
	}
	return out
}

// reasonFlag renames the note field: --note is the tx memo flag, and a
// second --note makes cobra panic when the command tree is built.
func reasonFlag() map[string]*autocliv1.FlagOptions {
	return map[string]*autocliv1.FlagOptions{"note": {Name: "reason", Usage: "the patient's reason, stored with the grant"}}
}

func queryCommands() []*autocliv1.RpcCommandOptions {
	return []*autocliv1.RpcCommandOptions{
		{RpcMethod: "Params", Use: "params", Short: "Show the phr module parameters"},
		{RpcMethod: "Patient", Use: "patient [address]", Short: "Show a patient and its vaults", PositionalArgs: pos("address")},
		{RpcMethod: "Vaults", Use: "vaults [patient]", Short: "List a patient's vaults", PositionalArgs: pos("patient")},
		{RpcMethod: "Members", Use: "members", Short: "List admitted members (filter with --role validator|hospital|proxy)"},
		{
			RpcMethod: "VaultEpoch", Use: "vault-epoch [patient] [vault] [epoch]",
			Short:          "Show the public key a vault had in one epoch",
			PositionalArgs: pos("patient", "vault", "epoch"),
		},
		{RpcMethod: "Device", Use: "device [id]", Short: "Show a registered device", PositionalArgs: pos("id")},
		{RpcMethod: "DevicesByPatient", Use: "devices [patient]", Short: "List a patient's devices", PositionalArgs: pos("patient")},
		{RpcMethod: "Record", Use: "record [id]", Short: "Show an encrypted record and its public metadata", PositionalArgs: pos("id")},
		{
			RpcMethod: "RecordsByPatient", Use: "records [patient]",
			Short:          "List a patient's records (filter with --vault)",
			PositionalArgs: pos("patient"),
		},
		{RpcMethod: "Grant", Use: "grant [id]", Short: "Show an access request or grant", PositionalArgs: pos("id")},
		{
			RpcMethod: "GrantsByPatient", Use: "grants-by-patient [patient]",
			Short:          "List the requests and grants of a patient (filter with --status requested|granted|denied|revoked|expired)",
			PositionalArgs: pos("patient"),
		},
		{
			RpcMethod: "GrantsByRequester", Use: "grants-by-requester [requester]",
			Short:          "List a hospital's requests and grants (filter with --status)",
			PositionalArgs: pos("requester"),
		},
		{
			RpcMethod: "GrantsByProxy", Use: "grants-by-proxy [proxy]",
			Short:          "List the grants whose committee holds a proxy (filter with --status)",
			PositionalArgs: pos("proxy"),
		},
		{RpcMethod: "Task", Use: "task [id]", Short: "Show a re-encryption task and its answers", PositionalArgs: pos("id")},
		{
			RpcMethod: "PendingTasks", Use: "pending-tasks [proxy]",
			Short:          "List open tasks of active grants that a proxy has not answered",
			PositionalArgs: pos("proxy"),
		},
		{
			RpcMethod: "Share", Use: "share [grant-id] [record-id]",
			Short:          "Show the re-encrypted share of a record under a grant",
			PositionalArgs: pos("grant_id", "record_id"),
		},
		{RpcMethod: "SharesByGrant", Use: "shares [grant-id]", Short: "List the shares of a grant", PositionalArgs: pos("grant_id")},
		{RpcMethod: "Peers", Use: "peers", Short: "List the peer chains the authority admitted"},
		{RpcMethod: "Peer", Use: "peer [client-id]", Short: "Show the peer admitted over a light client", PositionalArgs: pos("client_id")},
		{RpcMethod: "OutboxEntry", Use: "outbox-entry [id]", Short: "Show one outgoing packet and where it stands", PositionalArgs: pos("id")},
		{RpcMethod: "Outbox", Use: "outbox", Short: "List outgoing packets (filter with --status pending|in-flight)"},
		{RpcMethod: "RemoteRequest", Use: "remote-request [id]", Short: "Show a hospital's access request to a patient on a peer chain", PositionalArgs: pos("id")},
		{
			RpcMethod: "RemoteRequestsByHospital", Use: "remote-requests [hospital]",
			Short:          "List a hospital's access requests to peer chains",
			PositionalArgs: pos("hospital"),
		},
		{
			RpcMethod: "RemoteGrant", Use: "remote-grant [client-id] [grant-id]",
			Short:          "Show this chain's mirror of a peer chain's grant (its key grant, vault key and window)",
			PositionalArgs: pos("client_id", "grant_id"),
		},
		{
			RpcMethod: "RemoteGrantsByHospital", Use: "remote-grants [hospital]",
			Short:          "List the mirrored peer-chain grants of a hospital",
			PositionalArgs: pos("hospital"),
		},
		{
			RpcMethod: "Inbox", Use: "inbox [client-id] [grant-id]",
			Short:          "List the records shared from a peer chain under one of its grants",
			PositionalArgs: pos("client_id", "grant_id"),
		},
		{
			RpcMethod: "InboxShare", Use: "inbox-share [client-id] [grant-id] [record-id]",
			Short:          "Show one record shared from a peer chain (rerandomized first-level capsules, body, metadata)",
			PositionalArgs: pos("client_id", "grant_id", "record_id"),
		},
	}
}

func txCommands() []*autocliv1.RpcCommandOptions {
	return []*autocliv1.RpcCommandOptions{
		{RpcMethod: "RegisterPatient", Skip: true},     // client/cli: vault keys from files
		{RpcMethod: "RegisterDevice", Skip: true},      // client/cli: device key from a .pub file
		{RpcMethod: "RotateVaultKey", Skip: true},      // client/cli: vault key from a .pub file
		{RpcMethod: "RequestAccess", Skip: true},       // client/cli: scope and times as flags
		{RpcMethod: "RequestRemoteAccess", Skip: true}, // client/cli: request-remote-access, as request-access
		{RpcMethod: "GrantAccess", Skip: true},         // `medexchaind phr grant` builds the key grant
		{RpcMethod: "UploadRecord", Skip: true},        // `medexchaind device simulate` (edge firewall)
		{RpcMethod: "SubmitAnswers", Skip: true},       // `medexchaind proxy run`
		{RpcMethod: "UpdateParams", Skip: true},        // governance only
		{
			RpcMethod: "AdmitPeer", Use: "admit-peer [client-id] [peer-chain-id] [name]",
			Short:          "Admit the chain a light client tracks as a phr peer (admission authority only)",
			Example:        "medexchaind tx phr admit-peer 07-tendermint-0 medexchain-b-1 \"Hospital chain B\" --from admin",
			PositionalArgs: pos("client_id", "chain_id", "name"),
		},
		{
			RpcMethod: "RemovePeer", Use: "remove-peer [client-id]",
			Short:          "Withdraw a peer: its handshakes and packets are refused from now on (admission authority only)",
			PositionalArgs: pos("client_id"),
		},
		{
			RpcMethod: "AdmitMember", Use: "admit-member [member] [role]",
			Short:          "Admit an account as validator, hospital or proxy (admission authority only); hospitals and proxies need --public-key",
			Example:        "medexchaind tx phr admit-member medex1... proxy --public-key $(cat proxy.key.pub) --from admin",
			PositionalArgs: pos("member", "role"),
		},
		{
			RpcMethod: "RemoveMember", Use: "remove-member [member] [role]",
			Short:          "Withdraw an admission: validator, hospital or proxy (admission authority only)",
			PositionalArgs: pos("member", "role"),
		},
		{
			RpcMethod: "UpdateMemberKey", Use: "update-member-key [role] [public-key]",
			Short:          "Rotate your own hospital requester key or proxy HPKE key (hex)",
			Example:        "medexchaind tx phr update-member-key proxy $(cat proxy-2.key.pub) --from proxy1",
			PositionalArgs: pos("role", "public_key"),
		},
		{
			RpcMethod: "DeactivateDevice", Use: "deactivate-device [device-id]",
			Short:          "Stop further uploads for one of your devices",
			PositionalArgs: pos("device_id"),
		},
		{
			RpcMethod: "DenyAccess", Use: "deny-access [grant-id]",
			Short:          "Refuse a pending access request (optional --reason)",
			PositionalArgs: pos("grant_id"),
			FlagOptions:    reasonFlag(),
		},
		{
			RpcMethod: "RevokeAccess", Use: "revoke-access [grant-id]",
			Short:          "End a grant: open tasks are cancelled, no new fetches (optional --reason); rotate the vault key too",
			PositionalArgs: pos("grant_id"),
			FlagOptions:    reasonFlag(),
		},
		{
			RpcMethod: "FetchRecords", Use: "fetch-records [grant-id] [record-id]...",
			Short:          "Ask for records under a grant: the chain opens re-encryption tasks for the proxies",
			Example:        "medexchaind tx phr fetch-records 7 12 13 14 --from hospital",
			PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "grant_id"}, {ProtoField: "record_ids", Varargs: true}},
		},
		{
			RpcMethod: "FetchRemote", Use: "fetch-remote [client-id] [grant-id] [record-id]...",
			Short:          "Ask a peer chain for records under its grant (a Fetch packet); the records arrive in the inbox",
			Example:        "medexchaind tx phr fetch-remote 07-tendermint-0 7 12 13 --from hospital",
			PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "client_id"}, {ProtoField: "grant_id"}, {ProtoField: "record_ids", Varargs: true}},
		},
	}
}
