package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the phr messages that amino JSON signing needs.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgRegisterPatient{}, "medexchain/phr/MsgRegisterPatient", nil)
	cdc.RegisterConcrete(&MsgAdmitMember{}, "medexchain/phr/MsgAdmitMember", nil)
	cdc.RegisterConcrete(&MsgRemoveMember{}, "medexchain/phr/MsgRemoveMember", nil)
	cdc.RegisterConcrete(&MsgUpdateParams{}, "medexchain/phr/MsgUpdateParams", nil)
}

// RegisterInterfaces registers the phr messages as sdk.Msg implementations and
// the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgRegisterPatient{}, &MsgAdmitMember{}, &MsgRemoveMember{}, &MsgUpdateParams{})
	msgservice.RegisterMsgServiceDesc(registry, &Msg_serviceDesc)
}
