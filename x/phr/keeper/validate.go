package keeper

import (
	"errors"

	errorsmod "cosmossdk.io/errors"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// The validation cores of the chain firewall, one per crypto object. They
// take explicit arguments (no Msg, no context), so that the ante handler and
// a packet receive path call the same code. The stateless ones (validate*,
// decode*) depend only on their arguments: a refusal there cannot change
// between CheckTx and the block. The others take state the caller read (a
// vault key, an answer's target). Each charges gas before the work it
// prices.

// gasMeter is what the cores charge; storetypes.GasMeter is one.
type gasMeter interface {
	ConsumeGas(amount uint64, descriptor string)
}

// validateUpload is the stateless core of an upload: exactly two canonical,
// non-identity capsules and a body of a bucket size.
func validateUpload(gas gasMeter, capsules [][]byte, body []byte) ([crf.NumCapsules]*pre.Capsule, error) {
	if len(capsules) != crf.NumCapsules { // counted before anything is decoded
		return [crf.NumCapsules]*pre.Capsule{}, errorsmod.Wrapf(types.ErrInvalidRecord, "%d capsules, want %d", len(capsules), crf.NumCapsules)
	}
	gas.ConsumeGas(crf.NumCapsules*2*types.GasDecodeElement, "phr/decode-capsules")
	caps, err := crf.ValidatePublished(capsules, body)
	if err != nil {
		return caps, errorsmod.Wrap(types.ErrInvalidRecord, err.Error())
	}
	return caps, nil
}

// rerandomizeUpload is the chain's rerandomization of an upload's capsules
// under the vault key they are encrypted to, with the message's public seed;
// a nil seed (outside block execution) leaves them as submitted. The gas is
// charged either way, so that simulation estimates block execution.
func rerandomizeUpload(gas gasMeter, vaultKey []byte, caps [crf.NumCapsules]*pre.Capsule, seed *RerandSeed) ([][]byte, error) {
	gas.ConsumeGas(crf.NumCapsules*(types.GasRerandomizeCapsule+types.GasHashToScalar), "phr/rerandomize")
	if seed != nil {
		A, err := group.DecodeElement(vaultKey)
		if err != nil {
			return nil, errorsmod.Wrapf(types.ErrVaultKeyNonCanonical, "stored vault key: %v", err)
		}
		caps = crf.ChainRerandomize(A, caps, seed.HeaderHash, seed.TxHash, seed.MsgIndex)
	}
	stored := make([][]byte, len(caps))
	for i, c := range caps {
		stored[i] = c.Bytes()
	}
	return stored, nil
}

// validateShare is the stateless core of a received share (a Share packet
// of outcome DELIVERED): exactly NumCapsules first-level capsules, each
// three canonical non-identity elements, and a body of a bucket size of at
// most maxBody bytes (this chain's max_record_bytes).
func validateShare(gas gasMeter, firstLevel [][]byte, body []byte, maxBody uint64) ([crf.NumCapsules]*pre.FirstLevel, error) {
	var out [crf.NumCapsules]*pre.FirstLevel
	if len(firstLevel) != crf.NumCapsules { // counted before anything is decoded
		return out, errorsmod.Wrapf(types.ErrInvalidShare, "%d first-level capsules, want %d", len(firstLevel), crf.NumCapsules)
	}
	if uint64(len(body)) > maxBody {
		return out, errorsmod.Wrapf(types.ErrRecordTooLarge, "%d bytes, at most %d", len(body), maxBody)
	}
	if !envelope.IsBucket(len(body)) {
		return out, errorsmod.Wrapf(types.ErrInvalidShare, "body of %d bytes is not a bucket size", len(body))
	}
	gas.ConsumeGas(crf.NumCapsules*3*types.GasDecodeElement, "phr/decode-first-level")
	for i, b := range firstLevel {
		fl, err := pre.DecodeFirstLevel(b)
		if err != nil {
			return out, errorsmod.Wrapf(types.ErrInvalidShare, "first-level capsule %d: %v", i, err)
		}
		out[i] = fl
	}
	return out, nil
}

// rerandomizeShare is the chain's rerandomization of a received share's
// first-level capsules with the grant's C_0 and the vault key A from the
// mirror, and the packet's public seed; a nil seed (outside block execution)
// leaves them as received. The gas is charged either way, so that
// simulation estimates block execution. A first-level capsule costs two
// variable-base multiplications (C_0^s, A^s) where an upload's capsule costs
// one and a fixed-base one (measured beside each other: 134 µs against
// 72 µs), so it is charged as two capsules.
func rerandomizeShare(gas gasMeter, C0, A *group.Element, fls [crf.NumCapsules]*pre.FirstLevel, seed *PacketRerandSeed) [][]byte {
	gas.ConsumeGas(crf.NumCapsules*(2*types.GasRerandomizeCapsule+types.GasHashToScalar), "phr/rerandomize-share")
	if seed != nil {
		fls = crf.ChainRerandomizeShare(C0, A, fls, seed.HeaderHash, seed.Path, seed.Sequence)
	}
	stored := make([][]byte, len(fls))
	for i, fl := range fls {
		stored[i] = fl.Bytes()
	}
	return stored
}

// decodeKeyGrant is the stateless core of a grant: a strict decode and the
// proxies' ids for (chainID, grantID) checked (nonzero, distinct). The decode
// is charged from the threshold in the grant's first byte, before decoding.
func decodeKeyGrant(gas gasMeter, keyGrant []byte, chainID string, grantID uint64) (*pre.Grant, error) {
	if len(keyGrant) < 2 {
		return nil, errorsmod.Wrap(types.ErrInvalidKeyGrant, "truncated")
	}
	t, n := min(int(keyGrant[0]), pre.MaxProxies), min(int(keyGrant[1]), pre.MaxProxies)
	gas.ConsumeGas(uint64(1+t)*types.GasDecodeElement, "phr/decode-grant")
	g, err := pre.DecodeGrant(keyGrant)
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidKeyGrant, err.Error())
	}
	// ValidateGrant hashes n ids; they are part of the V_i charge below,
	// charged here because they run first.
	gas.ConsumeGas(uint64(n)*(types.GasHashToScalar+uint64(t)*types.GasVerificationKeyPerCommitment), "phr/verification-key")
	if err := pre.ValidateGrant(g, chainID, grantID); err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidKeyGrant, err.Error())
	}
	return g, nil
}

// verifiedGrant computes each proxy's verification key V_i once (charged in
// decodeKeyGrant), so that every later answer is verified without commitment
// arithmetic.
func verifiedGrant(g *pre.Grant, chainID string, grantID uint64) (*types.VerifiedGrant, error) {
	verified := &types.VerifiedGrant{Threshold: uint32(g.Threshold)}
	for _, f := range g.Fragments {
		vk, err := pre.NewVerificationKey(g.Commitments, chainID, grantID, f.Proxy)
		if err != nil {
			return nil, errorsmod.Wrap(types.ErrInvalidKeyGrant, err.Error())
		}
		verified.Proxies = append(verified.Proxies, f.Proxy)
		verified.VerificationKeys = append(verified.VerificationKeys, vk.VBytes())
	}
	return verified, nil
}

// decodeAnswers is the stateless core of a batch of answers: at least one,
// no task twice, each answer in canonical form for a record of
// crf.NumCapsules capsules (exact size, every E_i a valid element, the
// proof's scalars canonical and non-zero).
func decodeAnswers(gas gasMeter, answers []types.AnswerSubmission) ([]*pre.Answer, error) {
	if len(answers) == 0 {
		return nil, errorsmod.Wrap(types.ErrInvalidAnswer, "no answers")
	}
	seen := make(map[uint64]bool, len(answers))
	for _, a := range answers {
		if seen[a.TaskId] {
			return nil, errorsmod.Wrapf(types.ErrDuplicateAnswer, "task %d answered twice in one message", a.TaskId)
		}
		seen[a.TaskId] = true
	}
	gas.ConsumeGas(uint64(len(answers))*crf.NumCapsules*types.GasDecodeElement, "phr/decode-answer")
	out := make([]*pre.Answer, len(answers))
	for i, a := range answers {
		ans, err := pre.DecodeAnswer(a.Answer, crf.NumCapsules)
		if err != nil {
			return nil, errorsmod.Wrapf(types.ErrInvalidAnswer, "task %d: %v", a.TaskId, err)
		}
		out[i] = ans
	}
	return out, nil
}

// chargeAnswerVerification charges the verification of one answer, in
// every mode that verifies it or stands in for it (CheckTx), so that CheckTx,
// simulation and the block charge the same gas.
func chargeAnswerVerification(gas gasMeter) {
	gas.ConsumeGas(types.GasVerifyAnswer, "phr/verify-answer")
}

// verifyAnswer checks one answer's batch DLEQ proof against its target (the
// capsules' E from the record head in state, the proxy's cached V_i) and
// returns E_i per capsule. A proof that does not verify is ErrProof; the
// other errors are state the chain itself holds wrongly.
func verifyAnswer(gas gasMeter, at AnswerTarget, ans *pre.Answer) ([][]byte, error) {
	chargeAnswerVerification(gas)
	E, err := pre.DecodeCapsuleEs(at.Capsules)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidRecord, "stored capsules of task %d: %v", at.Task.Id, err)
	}
	vk, err := pre.VerificationKeyFromV(at.VerificationKey, at.Context.ChainID, at.Grant.Id, at.Context.Proxy)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidKeyGrant, "grant %d verification key: %v", at.Grant.Id, err)
	}
	if err := pre.VerifyAnswer(vk, at.Context, E, ans); err != nil {
		if errors.Is(err, pre.ErrProof) {
			return nil, errorsmod.Wrapf(types.ErrProof, "task %d", at.Task.Id)
		}
		return nil, errorsmod.Wrapf(types.ErrInvalidAnswer, "task %d: %v", at.Task.Id, err)
	}
	eis := make([][]byte, len(ans.Ei))
	for j, e := range ans.Ei {
		eis[j] = e.Bytes()
	}
	return eis, nil
}
