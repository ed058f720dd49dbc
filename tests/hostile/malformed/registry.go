package malformed

import (
	"crypto/rand"
	"io"
	"strings"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/types"
)

// registryCases: the public keys of the registry messages (vault keys of a
// registration and a rotation, hospital and proxy keys of an admission and
// an update, a device key). Their msg servers decode the keys, so each is
// refused in its block, after its fee.
func registryCases(s *Story, rnd io.Reader) ([]Case, error) {
	fresh, err := keys.GenerateVaultKey(1, rand.Reader)
	if err != nil {
		return nil, err
	}
	elems, err := BadElements(rnd, fresh.Public().Bytes())
	if err != nil {
		return nil, err
	}
	var out []Case
	// logged: the refusal's log carries the decoder's text (the vault key
	// errors name the failure themselves)
	add := func(name string, signer Role, obj Object, b Bad, want *errorsmod.Error, logged bool, msg func([]byte) Case) {
		c := msg(b.Bytes)
		c.Family, c.Name, c.Signer = "registry", name+"/"+b.Name, signer
		c.Object, c.Bytes, c.Claim = obj, b.Bytes, b.Cause
		c.Want = Expect{Stage: InBlock, Err: want}
		if logged {
			c.Want.Cause = b.Cause
		}
		out = append(out, c)
	}
	str := func(r Role) string { return s.Addr[r].String() }
	for _, b := range elems {
		// ValidateVaultPublicKey names each failure with its own error
		want := types.ErrVaultKeyNonCanonical
		switch b.Cause {
		case group.ErrMalformed:
			want = types.ErrVaultKeyLength
		case group.ErrIdentity:
			want = types.ErrVaultKeyIdentity
		}
		vault := func(bz []byte) Case {
			return Case{Msgs: msgs(&types.MsgRegisterPatient{Patient: str(Stranger),
				Vaults: []types.VaultKey{{Name: "vitals", PublicKey: bz}}})}
		}
		add("register-patient-vault-key", Stranger, ObjElement, b, want, false, vault)
		rotate := func(bz []byte) Case {
			return Case{Msgs: msgs(&types.MsgRotateVaultKey{Patient: str(Patient), Vault: s.Vault, PublicKey: bz})}
		}
		add("rotate-vault-key", Patient, ObjElement, b, want, false, rotate)
		hospital := func(bz []byte) Case {
			return Case{Msgs: msgs(&types.MsgAdmitMember{Authority: str(Admin), Member: str(Stranger), Role: types.ROLE_HOSPITAL, PublicKey: bz})}
		}
		add("admit-hospital-key", Admin, ObjElement, b, types.ErrInvalidMemberKey, true, hospital)
		update := func(bz []byte) Case {
			return Case{Msgs: msgs(&types.MsgUpdateMemberKey{Member: str(Hospital), Role: types.ROLE_HOSPITAL, PublicKey: bz})}
		}
		add("update-hospital-key", Hospital, ObjElement, b, types.ErrInvalidMemberKey, true, update)
	}
	proxyKeys, err := BadProxyKeys(rnd)
	if err != nil {
		return nil, err
	}
	for _, b := range proxyKeys {
		admit := func(bz []byte) Case {
			return Case{Msgs: msgs(&types.MsgAdmitMember{Authority: str(Admin), Member: str(Stranger), Role: types.ROLE_PROXY, PublicKey: bz})}
		}
		add("admit-proxy-key", Admin, ObjProxyKey, b, types.ErrInvalidMemberKey, true, admit)
		update := func(bz []byte) Case {
			return Case{Msgs: msgs(&types.MsgUpdateMemberKey{Member: str(Proxy1), Role: types.ROLE_PROXY, PublicKey: bz})}
		}
		add("update-proxy-key", Proxy1, ObjProxyKey, b, types.ErrInvalidMemberKey, true, update)
	}
	deviceKeys, err := BadDeviceKeys(rnd)
	if err != nil {
		return nil, err
	}
	for _, b := range deviceKeys {
		device := func(bz []byte) Case {
			return Case{Msgs: msgs(&types.MsgRegisterDevice{Patient: str(Patient), DeviceId: "hostile-" + deviceSafe(b.Name), Vault: s.Vault,
				PublicKey: bz, Gateway: str(Gateway)})}
		}
		add("register-device-key", Patient, ObjDeviceKey, b, types.ErrInvalidDevice, true, device)
	}
	return out, nil
}

// deviceSafe maps a case name into a valid device id's characters.
func deviceSafe(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, name)
}
