package malformed_test

import (
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	dbm "github.com/cosmos/cosmos-db"

	"cosmossdk.io/log/v2"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"

	"github.com/medexchain/medexchain/app"
	"github.com/medexchain/medexchain/tests/hostile/malformed"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// story is a Story built offline: keys, addresses, a grant of proxies 1-3
// (the committee is proxies 1-4), tasks over a record made by the story's
// own upload.
func story(t *testing.T) *malformed.Story {
	t.Helper()
	s := &malformed.Story{ChainID: "hostile-test-1", Denom: app.BondDenom, Addr: map[malformed.Role]sdk.AccAddress{},
		Vault: "vitals", DeviceID: "pulse-ox-1", ProxyKeys: map[malformed.Role]*keys.ProxySecretKey{},
		TaskE: map[uint64][][]byte{}, KeyGrants: map[uint64]*pre.Grant{}, Now: time.Now().UTC(),
		Requests: []uint64{10, 11, 12}, Grant: 1, Other: 2}
	for _, r := range malformed.Roles {
		s.Addr[r] = sdk.AccAddress(secp256k1.GenPrivKey().PubKey().Address())
	}
	var err error
	s.VaultKey, err = keys.GenerateVaultKey(1, rand.Reader)
	require.NoError(t, err)
	s.RequesterKey, err = keys.GenerateRequesterKey(rand.Reader)
	require.NoError(t, err)
	s.DeviceKey, err = keys.GenerateDeviceKey(rand.Reader)
	require.NoError(t, err)
	for _, r := range []malformed.Role{malformed.Proxy1, malformed.Proxy2, malformed.Proxy3, malformed.Proxy4} {
		sk, err := keys.GenerateProxyKey(rand.Reader)
		require.NoError(t, err)
		s.ProxyKeys[r] = sk
		s.Committee = append(s.Committee, pre.ProxyRecipient{Address: s.Addr[r], Key: sk.Public()})
	}
	up, err := s.UploadMsg([]byte("{}"), 1)
	require.NoError(t, err)
	s.Upload = up
	for gi, gid := range []uint64{s.Grant, s.Other} {
		kg, err := s.KeyGrant(gid, 2, s.Committee[:3])
		require.NoError(t, err)
		s.KeyGrants[gid] = kg
		task := types.Task{Id: uint64(1 + gi), GrantId: gid, RecordId: 1}
		for c := range crf.NumCapsules {
			s.TaskE[task.Id] = append(s.TaskE[task.Id], up.Capsules[c][:group.ElementSize])
		}
		if gi == 0 {
			s.Tasks = append(s.Tasks, task)
		} else {
			s.OtherTasks = append(s.OtherTasks, task)
		}
	}
	ans, err := s.Answer(malformed.Proxy1, s.Tasks[0])
	require.NoError(t, err)
	s.Answered = &types.MsgSubmitAnswers{Proxy: s.Addr[malformed.Proxy1].String(),
		Answers: []types.AnswerSubmission{{TaskId: s.Tasks[0].Id, Answer: ans.Bytes()}}}
	return s
}

// Each case's malformed object really is malformed the way it claims: the
// chain's own decoder refuses its bytes with the claimed sentinel (the
// registered error the chain maps it to is what tests/hostile checks on a
// node).
func TestCasesAreMalformedAsClaimed(t *testing.T) {
	cases, err := malformed.Cases(story(t), rand.Reader)
	require.NoError(t, err)
	names := map[string]bool{}
	decoded := 0
	for _, c := range cases {
		id := c.Family + "/" + c.Name
		require.False(t, names[id], "two cases named %s", id)
		names[id] = true
		require.NotEmpty(t, c.Want.Stage, id)
		require.True(t, c.Want.Err != nil || c.Want.Stage == malformed.AtRPC || len(c.Want.Audit) > 0, "%s expects nothing", id)
		for _, m := range c.Msgs {
			if d, ok := m.(*types.MsgRegisterDevice); ok {
				require.NoError(t, types.ValidateDeviceID(d.DeviceId), id)
			}
		}
		if c.Object == "" {
			continue
		}
		decoded++
		err := malformed.Decode(c.Object, c.Bytes)
		require.Error(t, err, "%s: %s decodes", id, c.Object)
		if c.Claim != nil && c.Claim != malformed.ErrAny {
			require.ErrorIs(t, err, c.Claim, id)
		}
		if c.Want.Cause != nil {
			require.ErrorIs(t, err, c.Want.Cause, "%s: the log's cause is not the decoder's", id)
		}
	}
	t.Logf("%d cases, %d with a decoded object", len(cases), decoded)
	require.Greater(t, decoded, len(cases)/2)
	for _, family := range []string{"registry", "upload", "grant", "answer", "raw", "multi", "ibc", "target"} {
		n := 0
		for id := range names {
			if strings.HasPrefix(id, family+"/") {
				n++
			}
		}
		require.Positive(t, n, "no %s cases", family)
	}
}

// The honest objects the cases are made from decode: a refusal on a node
// is the fault's, not the template's.
func TestTemplatesAreHonest(t *testing.T) {
	s := story(t)
	_, err := crf.ValidatePublished(s.Upload.Capsules, s.Upload.Body)
	require.NoError(t, err)
	g, err := s.KeyGrant(s.Requests[0], 2, nil)
	require.NoError(t, err)
	dg, err := pre.DecodeGrant(g.Bytes())
	require.NoError(t, err)
	require.NoError(t, pre.ValidateGrant(dg, s.ChainID, s.Requests[0]))
	for _, f := range dg.Fragments[:3] {
		role := map[string]malformed.Role{}
		for r, a := range s.Addr {
			role[a.String()] = r
		}
		_, err := pre.OpenFragment(s.ProxyKeys[role[sdk.AccAddress(f.Proxy).String()]], s.ChainID, s.Requests[0], f.Proxy, dg)
		require.NoError(t, err)
	}
	ans, err := s.Answer(malformed.Proxy2, s.Tasks[0])
	require.NoError(t, err)
	_, err = pre.DecodeAnswer(ans.Bytes(), crf.NumCapsules)
	require.NoError(t, err)
}

// The faults the chain cannot see are faults: the proxies cannot open
// their fragments.
func TestAcceptedGrantsAreBroken(t *testing.T) {
	s := story(t)
	cases, err := malformed.Cases(s, rand.Reader)
	require.NoError(t, err)
	n := 0
	for _, c := range cases {
		if c.Family != "grant" || c.Want.Err != nil {
			continue
		}
		n++
		msg := c.Msgs[0].(*types.MsgGrantAccess)
		g, err := pre.DecodeGrant(msg.KeyGrant)
		require.NoError(t, err, c.Name)
		_, err = pre.OpenFragment(s.ProxyKeys[malformed.Proxy1], s.ChainID, msg.GrantId, s.Addr[malformed.Proxy1], g)
		require.True(t, errors.Is(err, pre.ErrFragment), "%s: proxy1 opens its fragment (%v)", c.Name, err)
	}
	require.Equal(t, malformed.AcceptedRequests, n)
}

// The raw family's rewrites that claim a decoding error break the tx
// below the messages: the app's own decoder refuses what they make of a
// signed tx (which it decodes).
func TestRawRewritesBreakTheDecoding(t *testing.T) {
	s := story(t)
	cases, err := malformed.Cases(s, rand.Reader)
	require.NoError(t, err)
	txCfg := app.New(log.NewNopLogger(), dbm.NewMemDB(), false, simtestutil.EmptyAppOptions{}).TxConfig()
	sign := func(msgs []sdk.Msg, gas uint64, editBody func([]byte) []byte) ([]byte, error) {
		b := txCfg.NewTxBuilder()
		if err := b.SetMsgs(msgs...); err != nil {
			return nil, err
		}
		b.SetGasLimit(gas)
		priv := secp256k1.GenPrivKey()
		if err := b.SetSignatures(signing.SignatureV2{PubKey: priv.PubKey(),
			Data: &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT, Signature: make([]byte, 64)}}); err != nil {
			return nil, err
		}
		bz, err := txCfg.TxEncoder()(b.GetTx())
		if err != nil || editBody == nil {
			return bz, err
		}
		return malformed.Resign(bz, s.ChainID, 0, editBody, func([]byte) ([]byte, error) { return make([]byte, 64), nil })
	}
	n := 0
	for _, c := range cases {
		if c.Family != "raw" || c.Want.Err != sdkerrors.ErrTxDecode {
			continue
		}
		n++
		c.Rewrite, c.EditBody = nil, nil
		signed, err := c.Encode(sign)
		require.NoError(t, err)
		_, err = txCfg.TxDecoder()(signed)
		require.NoError(t, err, "%s: the carrier does not decode", c.Name)
		c = byName(t, cases, c.Family, c.Name)
		bz, err := c.Encode(sign)
		require.NoError(t, err)
		_, err = txCfg.TxDecoder()(bz)
		require.ErrorIs(t, err, sdkerrors.ErrTxDecode, c.Name)
	}
	require.GreaterOrEqual(t, n, 6)
}

func byName(t *testing.T, cases []malformed.Case, family, name string) malformed.Case {
	for _, c := range cases {
		if c.Family == family && c.Name == name {
			return c
		}
	}
	t.Fatalf("no case %s/%s", family, name)
	return malformed.Case{}
}
