package malformed

import (
	"crypto/rand"
	"fmt"
	"io"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// targetCases: well-formed crypto aimed at the wrong target or beyond a
// bound: registrations with no, too many, duplicate or badly named vaults,
// a rotation back to the current key, admissions in no role or with a key
// a validator does not carry (refused by the msg servers, in the block);
// uploads for another epoch, an unknown device, a time off the minute,
// outside the upload window or in the future, an unknown resource type
// (refused by the firewall's target checks at CheckTx).
func targetCases(s *Story, rnd io.Reader) ([]Case, error) {
	str := func(r Role) string { return s.Addr[r].String() }
	vault := func(name string) (types.VaultKey, error) {
		k, err := keys.GenerateVaultKey(1, rand.Reader)
		if err != nil {
			return types.VaultKey{}, err
		}
		return types.VaultKey{Name: name, PublicKey: k.Public().Bytes()}, nil
	}
	var many []types.VaultKey
	for i := range types.DefaultMaxVaultsPerPatient + 1 {
		v, err := vault(fmt.Sprintf("v%d", i))
		if err != nil {
			return nil, err
		}
		many = append(many, v)
	}
	register := func(vs ...types.VaultKey) *types.MsgRegisterPatient {
		return &types.MsgRegisterPatient{Patient: str(Stranger), Vaults: vs}
	}
	block := func(name string, signer Role, m *Case, want Expect) Case {
		want.Stage = InBlock
		m.Family, m.Name, m.Signer, m.Want = "target", name, signer, want
		return *m
	}
	badName := types.VaultKey{Name: "Vitals!", PublicKey: many[0].PublicKey}
	out := []Case{
		block("register-no-vaults", Stranger, &Case{Msgs: msgs(register())}, Expect{Err: types.ErrNoVaults}),
		block("register-too-many-vaults", Stranger, &Case{Msgs: msgs(register(many...))}, Expect{Err: types.ErrTooManyVaults}),
		block("register-duplicate-vault", Stranger, &Case{Msgs: msgs(register(many[0], types.VaultKey{Name: many[0].Name, PublicKey: many[1].PublicKey}))},
			Expect{Err: types.ErrDuplicateVault}),
		block("register-vault-name", Stranger, &Case{Msgs: msgs(register(badName))}, Expect{Err: types.ErrInvalidVaultName}),
		block("rotate-to-the-current-key", Patient, &Case{Msgs: msgs(&types.MsgRotateVaultKey{Patient: str(Patient), Vault: s.Vault,
			PublicKey: s.VaultKey.Public().Bytes()})}, Expect{Err: types.ErrVaultKeyReused}),
		block("admit-in-no-role", Admin, &Case{Msgs: msgs(&types.MsgAdmitMember{Authority: str(Admin), Member: str(Stranger), Role: 99,
			PublicKey: s.RequesterKey.Public().Bytes()})}, Expect{Err: types.ErrInvalidRole}),
		block("admit-validator-with-a-key", Admin, &Case{Msgs: msgs(&types.MsgAdmitMember{Authority: str(Admin), Member: str(Stranger),
			Role: types.ROLE_VALIDATOR, PublicKey: s.RequesterKey.Public().Bytes()})}, Expect{Err: types.ErrInvalidMemberKey}),
		block("admit-by-a-stranger", Stranger, &Case{Msgs: msgs(&types.MsgAdmitMember{Authority: str(Stranger), Member: str(Stranger),
			Role: types.ROLE_HOSPITAL, PublicKey: s.RequesterKey.Public().Bytes()})}, Expect{Err: types.ErrInvalidAuthority}),
	}

	up, err := s.UploadMsg([]byte(`{"resourceType":"Observation"}`), 1<<44)
	if err != nil {
		return nil, err
	}
	uploads := []struct {
		name string
		edit func(m *types.MsgUploadRecord)
		want Expect
	}{
		{"upload-next-epoch", func(m *types.MsgUploadRecord) { m.Epoch++ }, Expect{Err: types.ErrWrongEpoch}},
		{"upload-unknown-device", func(m *types.MsgUploadRecord) { m.DeviceId = "no-such-device" }, Expect{Err: types.ErrDeviceNotFound}},
		{"upload-time-off-the-minute", func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(time.Second) }, Expect{Err: types.ErrInvalidRecord}},
		{"upload-time-two-days-old", func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(-48 * time.Hour) }, Expect{Err: types.ErrRecordTime}},
		{"upload-time-an-hour-ahead", func(m *types.MsgUploadRecord) { m.Time = m.Time.Add(time.Hour) }, Expect{Err: types.ErrRecordTime}},
		{"upload-resource-type", func(m *types.MsgUploadRecord) { m.ResourceType = "<script>" }, Expect{Err: types.ErrInvalidRecord}},
	}
	for _, u := range uploads {
		m := *up
		u.edit(&m)
		u.want.Stage = AtCheck
		out = append(out, Case{Family: "target", Name: u.name, Signer: Gateway, Msgs: msgs(&m), Want: u.want})
	}
	return out, nil
}
