package pre_test

import (
	"bytes"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// A share may be rerandomized more than once (each chain that stores it
// does) and still decrypts; the exponents add up. It must be done with the
// grant's own C_0: with any other base E'^d no longer matches F, and the
// record does not open. X never changes.
func TestFirstLevelRerandomizeTwiceAndWrongBase(t *testing.T) {
	w := newWorld(t, 93, 2, 3)
	ct, payload := w.encrypt(1, 300, 2)
	fls, err := w.reencrypt(ct, []int{0, 2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	A := w.vault.Public().A
	twice := make([]*pre.FirstLevel, len(fls))
	wrong := make([]*pre.FirstLevel, len(fls))
	for i, fl := range fls {
		s1, s2 := group.H2S("test", []byte{1, byte(i)}), group.H2S("test", []byte{2, byte(i)})
		twice[i] = fl.Rerandomize(w.grant.C0(), A, s1).Rerandomize(w.grant.C0(), A, s2)
		if bytes.Equal(twice[i].Bytes()[:64], fl.Bytes()[:64]) || !twice[i].X.Equal(fl.X) {
			t.Fatalf("capsule %d: E' and F must change, X must not", i)
		}
		wrong[i] = fl.Rerandomize(w.grant.Commitments[1], A, s1)
	}
	env, err := w.grantKey().Open(twice, ct.Body, w.device.Public().Key)
	if err != nil || !bytes.Equal(env.Payload, payload) {
		t.Fatalf("twice rerandomized: %v", err)
	}
	if _, err := w.grantKey().Open(wrong, ct.Body, w.device.Public().Key); err != pre.ErrDecrypt {
		t.Fatalf("rerandomized with C_1 instead of C_0: %v", err)
	}
	// and rerandomizing with s and then -s is the identity
	s := group.H2S("test", []byte("s"))
	neg := new(group.Scalar).Neg(s)
	back := fls[0].Rerandomize(w.grant.C0(), A, s).Rerandomize(w.grant.C0(), A, neg)
	if !bytes.Equal(back.Bytes(), fls[0].Bytes()) {
		t.Fatal("s then -s is not the identity")
	}
}
