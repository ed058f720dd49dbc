package pre

import (
	"errors"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

func TestCheckIDsRefusesZeroAndDuplicates(t *testing.T) {
	a, b := group.ScalarFromUint64(3), group.ScalarFromUint64(4)
	if err := checkIDs([]*group.Scalar{a, b}); err != nil {
		t.Fatal(err)
	}
	if err := checkIDs([]*group.Scalar{a, group.NewScalar()}); !errors.Is(err, ErrGrantParams) {
		t.Fatalf("zero id: %v", err)
	}
	if err := checkIDs([]*group.Scalar{a, b, group.ScalarFromUint64(3)}); !errors.Is(err, ErrGrantParams) {
		t.Fatalf("duplicate id: %v", err)
	}
}

func TestCombineRefusesDuplicateAndZeroIDs(t *testing.T) {
	E := group.Generator()
	va := []VerifiedAnswer{{ID: group.ScalarFromUint64(1), Ei: E}, {ID: group.ScalarFromUint64(1), Ei: E}}
	if _, err := Combine(2, va); !errors.Is(err, ErrCombine) {
		t.Fatalf("duplicate: %v", err)
	}
	va[1].ID = group.NewScalar()
	if _, err := Combine(2, va); !errors.Is(err, ErrCombine) {
		t.Fatalf("zero: %v", err)
	}
}

// Lagrange at 0 reconstructs f(0) from any t points.
func TestLagrangeAtZero(t *testing.T) {
	rnd := testrand.New(1)
	for th := 2; th <= 7; th++ {
		coeffs := make([]*group.Scalar, th)
		for i := range coeffs {
			coeffs[i], _ = group.RandomScalar(rnd)
		}
		ids := make([]*group.Scalar, th)
		for i := range ids {
			ids[i], _ = group.RandomScalar(rnd)
		}
		lam := lagrangeAtZero(ids)
		sum := group.NewScalar()
		for i := range ids {
			sum.Add(sum, new(group.Scalar).Mul(lam[i], evalPoly(coeffs, ids[i])))
		}
		if !sum.Equal(coeffs[0]) {
			t.Fatalf("t=%d: reconstruction failed", th)
		}
	}
}

// A proxy proving with a wrong exponent (a fragment whose k is not f(id))
// produces a self-consistent proof against its own V, refused against the
// commitments' V_i.
func TestProofWithWrongFragmentRefused(t *testing.T) {
	rnd := testrand.New(2)
	C := []*group.Element{group.Generator(), new(group.Element).BaseMul(group.ScalarFromUint64(7))}
	id := ProxyID("medex-1", 1, []byte("p"))
	vk := newVerificationKey(C, id)
	k, _ := group.RandomScalar(rnd)
	fake := &Fragment{ChainID: "medex-1", GrantID: 1, Proxy: []byte("p"),
		Key: &VerificationKey{ID: id, V: new(group.Element).BaseMul(k), vb: new(group.Element).BaseMul(k).Bytes()}, k: k}
	ctx := AnswerContext{ChainID: "medex-1", GrantID: 1, TaskID: 1, RecordID: 1, Capsules: 2, Proxy: []byte("p")}
	E := []*group.Element{new(group.Element).BaseMul(group.ScalarFromUint64(99)), new(group.Element).BaseMul(group.ScalarFromUint64(98))}
	a, err := fake.Answer(ctx, E, rnd)
	if err != nil {
		t.Fatal(err)
	}
	if VerifyAnswer(fake.Key, ctx, E, a) != nil {
		t.Fatal("self-consistent proof should verify under its own V")
	}
	if VerifyAnswer(vk, ctx, E, a) == nil || VerifyAnswerCircl(vk, ctx, E, a) == nil {
		t.Fatal("wrong-exponent answer accepted against the commitments")
	}
}
