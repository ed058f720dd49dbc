package malformed

import (
	"io"

	"github.com/medexchain/medexchain/x/phr/types"
)

// multiCases: txs of several messages where each message alone is fine but
// together they are not (refused in the block, after the fee, as a whole:
// the first message's writes go too), or where an honest message rides
// with a malformed one (refused at CheckTx as a whole).
func multiCases(s *Story, rnd io.Reader) ([]Case, error) {
	req := s.Requests[0]
	g, err := s.KeyGrant(req, 2, nil)
	if err != nil {
		return nil, err
	}
	grant := s.grantMsg(req, g.Bytes())
	up, err := s.UploadMsg([]byte(`{"resourceType":"Observation"}`), 1<<42)
	if err != nil {
		return nil, err
	}
	badUp := *up
	badUp.Capsules = [][]byte{up.Capsules[0], make([]byte, 64)}
	badGrant := s.grantMsg(req, append([]byte(nil), g.Bytes()...))
	copy(badGrant.KeyGrant[grantX:], make([]byte, 32))
	return []Case{
		{Family: "multi", Name: "same-grant-twice", Signer: Patient, Msgs: msgs(grant, grant),
			Want: Expect{Stage: InBlock, Err: types.ErrGrantState}},
		{Family: "multi", Name: "honest-grant-then-identity-X", Signer: Patient, Msgs: msgs(grant, badGrant),
			Want: Expect{Stage: AtCheck, Err: types.ErrInvalidKeyGrant}},
		{Family: "multi", Name: "honest-upload-then-identity-capsule", Signer: Gateway, Msgs: msgs(up, &badUp),
			Want: Expect{Stage: AtCheck, Err: types.ErrInvalidRecord}},
	}, nil
}
