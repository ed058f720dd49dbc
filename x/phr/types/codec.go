package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgRegisterPatient{}, "medexchain/phr/MsgRegisterPatient", nil)
	cdc.RegisterConcrete(&MsgAdmitMember{}, "medexchain/phr/MsgAdmitMember", nil)
	cdc.RegisterConcrete(&MsgRemoveMember{}, "medexchain/phr/MsgRemoveMember", nil)
	cdc.RegisterConcrete(&MsgUpdateParams{}, "medexchain/phr/MsgUpdateParams", nil)
}

func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgRegisterPatient{}, &MsgAdmitMember{}, &MsgRemoveMember{}, &MsgUpdateParams{})
	msgservice.RegisterMsgServiceDesc(registry, &Msg_serviceDesc)
}
