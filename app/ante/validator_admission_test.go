package ante_test

import (
	"crypto/rand"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	sdk "github.com/cosmos/cosmos-sdk/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/testutil/apptest"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	phrtypes "github.com/medexchain/medexchain/x/phr/types"
)

func createValidatorMsg(t *testing.T, operator apptest.Account) *stakingtypes.MsgCreateValidator {
	t.Helper()
	msg, err := stakingtypes.NewMsgCreateValidator(
		sdk.ValAddress(operator.Address).String(), ed25519.GenPrivKey().PubKey(),
		sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000)), stakingtypes.NewDescription("v", "", "", "", ""),
		stakingtypes.NewCommissionRates(sdkmath.LegacyNewDecWithPrec(1, 1), sdkmath.LegacyNewDecWithPrec(2, 1), sdkmath.LegacyNewDecWithPrec(1, 2)),
		sdkmath.OneInt())
	require.NoError(t, err)
	return msg
}

func TestNonMemberCannotCreateValidator(t *testing.T) {
	h := apptest.New(t, 1)
	operator := h.Accounts[0]
	tx := h.SignTx(operator, createValidatorMsg(t, operator))

	check := h.CheckTx(tx)
	require.Equal(t, phrtypes.ModuleName, check.Codespace)
	require.Equal(t, phrtypes.ErrValidatorNotAdmitted.ABCICode(), check.Code, check.Log)

	res := h.NextBlock(tx)[0]
	require.Equal(t, phrtypes.ModuleName, res.Codespace)
	require.Equal(t, phrtypes.ErrValidatorNotAdmitted.ABCICode(), res.Code, res.Log)
	_, err := h.App.StakingKeeper.GetValidator(h.Ctx(), sdk.ValAddress(operator.Address))
	require.ErrorIs(t, err, stakingtypes.ErrNoValidatorFound)
}

func TestAdmittedMemberCreatesValidator(t *testing.T) {
	h := apptest.New(t, 1)
	operator := h.Accounts[0]
	gov := h.App.PhrKeeper.Authority()
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), gov, operator.Address, phrtypes.ROLE_VALIDATOR, nil))
	h.NextBlock()

	res := h.Deliver(operator, createValidatorMsg(t, operator))
	require.Zero(t, res.Code, res.Log)
	val, err := h.App.StakingKeeper.GetValidator(h.Ctx(), sdk.ValAddress(operator.Address))
	require.NoError(t, err)
	require.Equal(t, sdk.ValAddress(operator.Address).String(), val.OperatorAddress)
}

func TestAdmissionIsRoleSpecific(t *testing.T) {
	h := apptest.New(t, 1)
	operator := h.Accounts[0]
	requester, err := keys.GenerateRequesterKey(rand.Reader)
	require.NoError(t, err)
	require.NoError(t, h.App.PhrKeeper.AdmitMember(h.Ctx(), h.App.PhrKeeper.Authority(), operator.Address, phrtypes.ROLE_HOSPITAL, requester.Public().Bytes()))
	h.NextBlock()

	res := h.Deliver(operator, createValidatorMsg(t, operator))
	require.Equal(t, phrtypes.ErrValidatorNotAdmitted.ABCICode(), res.Code, "a hospital is not a validator operator")
}
