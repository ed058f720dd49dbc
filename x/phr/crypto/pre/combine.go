package pre

import (
	"fmt"
	"sort"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
)

// VerifiedAnswer is an answer that passed VerifyAnswer, with its proxy's id.
type VerifiedAnswer struct {
	ID *group.Scalar
	Ei *group.Element
}

// Combine computes E' = Π E_i^{λ_i} = E^{a/d} from the t answers with the
// smallest ids (ids compared as integers, see group.Scalar.Less), λ_i the
// Lagrange coefficients at 0 of those ids. More than t answers may be
// given; the choice is deterministic. Any t valid answers give the same E',
// so the rule only fixes which answers a chain stores.
func Combine(t int, answers []VerifiedAnswer) (*group.Element, error) {
	if t < 2 || len(answers) < t {
		return nil, fmt.Errorf("%w: %d answers for threshold %d", ErrCombine, len(answers), t)
	}
	for _, a := range answers {
		if a.ID == nil || a.Ei == nil {
			return nil, fmt.Errorf("%w: incomplete answer", ErrCombine)
		}
	}
	sel := append([]VerifiedAnswer(nil), answers...)
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].ID.Less(sel[j].ID) })
	for i := 1; i < len(sel); i++ {
		if sel[i].ID.Equal(sel[i-1].ID) {
			return nil, fmt.Errorf("%w: duplicate id", ErrCombine)
		}
	}
	sel = sel[:t]
	ids := make([]*group.Scalar, t)
	pts := make([]*group.Element, t)
	for i, a := range sel {
		if a.ID.IsZero() || a.Ei == nil || a.Ei.IsIdentity() {
			return nil, fmt.Errorf("%w: degenerate answer", ErrCombine)
		}
		ids[i], pts[i] = a.ID, a.Ei
	}
	return new(group.Element).VarTimeMSM(lagrangeAtZero(ids), pts), nil
}

// lagrangeAtZero returns λ_i = Π_{j≠i} id_j / (id_j − id_i) for distinct
// non-zero ids, with one inversion (Montgomery's batch trick).
func lagrangeAtZero(ids []*group.Scalar) []*group.Scalar {
	n := len(ids)
	num := make([]*group.Scalar, n)
	den := make([]*group.Scalar, n)
	for i := range ids {
		num[i] = group.ScalarFromUint64(1)
		den[i] = group.ScalarFromUint64(1)
		for j := range ids {
			if j == i {
				continue
			}
			num[i].Mul(num[i], ids[j])
			den[i].Mul(den[i], new(group.Scalar).Sub(ids[j], ids[i]))
		}
	}
	// batch inversion of den
	prefix := make([]*group.Scalar, n)
	acc := group.ScalarFromUint64(1)
	for i := range den {
		prefix[i] = new(group.Scalar).Set(acc)
		acc.Mul(acc, den[i])
	}
	inv := new(group.Scalar).Inv(acc)
	out := make([]*group.Scalar, n)
	for i := n - 1; i >= 0; i-- {
		di := new(group.Scalar).Mul(inv, prefix[i]) // 1/den[i]
		inv.Mul(inv, den[i])
		out[i] = di.Mul(di, num[i])
	}
	return out
}
