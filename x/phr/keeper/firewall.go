package keeper

import (
	"crypto/sha256"
	"errors"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// RerandSeed fixes the public seed of chain rerandomization for one message:
// s = H2S("chain-rerand", header hash, tx hash, msg index, capsule index).
// A nil seed means validate only (CheckTx, simulation: the header hash is
// not known there).
type RerandSeed struct {
	HeaderHash []byte
	TxHash     []byte
	MsgIndex   uint32
}

// TxRerandSeed is the seed of message msgIndex of the tx being executed, or
// nil outside block execution.
func TxRerandSeed(ctx sdk.Context, msgIndex int) *RerandSeed {
	if ctx.ExecMode() != sdk.ExecModeFinalize {
		return nil
	}
	txHash := sha256.Sum256(ctx.TxBytes())
	return &RerandSeed{HeaderHash: ctx.HeaderHash(), TxHash: txHash[:], MsgIndex: uint32(msgIndex)}
}

// Firewall is the chain firewall (DESIGN.md §3.3) over one tx's messages:
// every crypto object is decoded strictly and checked before a msg server
// runs, uploaded capsules are rerandomized (block execution only), answers'
// proofs are verified against state; the results go to the msg servers in
// the returned Firewalled. Gas is charged for each operation.
func (k *Keeper) Firewall(ctx sdk.Context, msgs []sdk.Msg) (*types.Firewalled, error) {
	fw := types.NewFirewalled()
	for i, msg := range msgs {
		var err error
		switch m := msg.(type) {
		case *types.MsgUploadRecord:
			err = k.FirewallUpload(ctx, fw, m, TxRerandSeed(ctx, i))
		case *types.MsgGrantAccess:
			err = k.FirewallGrant(ctx, fw, m)
		case *types.MsgSubmitAnswers:
			err = k.FirewallAnswers(ctx, fw, m)
		case *types.MsgRegisterPatient, *types.MsgRotateVaultKey, *types.MsgAdmitMember, *types.MsgUpdateMemberKey:
			ctx.GasMeter().ConsumeGas(types.GasDecodeElement, "phr/decode-key")
		}
		if err != nil {
			return nil, errorsmod.Wrapf(err, "message %d", i)
		}
	}
	return fw, nil
}

// FirewallUpload: exactly two canonical, non-identity capsules and a
// bucket-sized body within max_record_bytes; stores the rerandomized capsules.
func (k *Keeper) FirewallUpload(ctx sdk.Context, fw *types.Firewalled, msg *types.MsgUploadRecord, seed *RerandSeed) error {
	gateway, err := k.parseAddress("gateway", msg.Gateway)
	if err != nil {
		return err
	}
	_, vaultKey, err := k.UploadTarget(ctx, gateway, msg.RecordUpload())
	if err != nil {
		return err
	}
	ctx.GasMeter().ConsumeGas(crf.NumCapsules*2*types.GasDecodeElement, "phr/decode-capsules")
	caps, err := crf.ValidatePublished(msg.Capsules, msg.Body)
	if err != nil {
		return errorsmod.Wrap(types.ErrInvalidRecord, err.Error())
	}
	// Charged in every mode so that simulation estimates block execution.
	ctx.GasMeter().ConsumeGas(crf.NumCapsules*(types.GasRerandomizeCapsule+types.GasHashToScalar), "phr/rerandomize")
	if seed != nil {
		A, err := group.DecodeElement(vaultKey)
		if err != nil {
			return errorsmod.Wrapf(types.ErrVaultKeyNonCanonical, "stored vault key: %v", err)
		}
		caps = crf.ChainRerandomize(A, caps, seed.HeaderHash, seed.TxHash, seed.MsgIndex)
	}
	stored := make([][]byte, len(caps))
	for i, c := range caps {
		stored[i] = c.Bytes()
	}
	fw.PutRecord(msg, stored)
	return nil
}

// FirewallGrant decodes the key grant, checks its ids for the grant's
// context and computes each proxy's verification key V_i once, so that every
// later answer is verified without commitment arithmetic.
func (k *Keeper) FirewallGrant(ctx sdk.Context, fw *types.Firewalled, msg *types.MsgGrantAccess) error {
	g, err := pre.DecodeGrant(msg.KeyGrant)
	if err != nil {
		return errorsmod.Wrap(types.ErrInvalidKeyGrant, err.Error())
	}
	ctx.GasMeter().ConsumeGas(uint64(1+len(g.Commitments))*types.GasDecodeElement, "phr/decode-grant")
	if err := pre.ValidateGrant(g, ctx.ChainID(), msg.GrantId); err != nil {
		return errorsmod.Wrap(types.ErrInvalidKeyGrant, err.Error())
	}
	verified := types.VerifiedGrant{Threshold: uint32(g.Threshold)}
	for _, f := range g.Fragments {
		ctx.GasMeter().ConsumeGas(types.GasHashToScalar+uint64(len(g.Commitments))*types.GasVerificationKeyPerCommitment, "phr/verification-key")
		vk, err := pre.NewVerificationKey(g.Commitments, ctx.ChainID(), msg.GrantId, f.Proxy)
		if err != nil {
			return errorsmod.Wrap(types.ErrInvalidKeyGrant, err.Error())
		}
		verified.Proxies = append(verified.Proxies, f.Proxy)
		verified.VerificationKeys = append(verified.VerificationKeys, vk.VBytes())
	}
	fw.PutGrant(msg, verified)
	return nil
}

// FirewallAnswers verifies each answer's DLEQ proof against the capsule in
// state and the proxy's cached V_i; the proofs are not stored.
func (k *Keeper) FirewallAnswers(ctx sdk.Context, fw *types.Firewalled, msg *types.MsgSubmitAnswers) error {
	proxy, err := k.parseAddress("proxy", msg.Proxy)
	if err != nil {
		return err
	}
	if len(msg.Answers) == 0 {
		return errorsmod.Wrap(types.ErrInvalidAnswer, "no answers")
	}
	for _, a := range msg.Answers {
		at, err := k.AnswerTarget(ctx, proxy, a.TaskId)
		if err != nil {
			return err
		}
		ctx.GasMeter().ConsumeGas(types.GasDecodeElement+types.GasVerifyAnswer, "phr/verify-answer")
		ans, err := pre.DecodeAnswer(a.Answer)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvalidAnswer, "task %d: %v", a.TaskId, err)
		}
		E, err := group.DecodeElement(at.E)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvalidRecord, "stored capsule of task %d: %v", a.TaskId, err)
		}
		vk, err := pre.VerificationKeyFromV(at.VerificationKey, at.Context.ChainID, at.Grant.Id, proxy)
		if err != nil {
			return errorsmod.Wrapf(types.ErrInvalidKeyGrant, "grant %d verification key: %v", at.Grant.Id, err)
		}
		if err := pre.VerifyAnswer(vk, at.Context, E, ans); err != nil {
			if errors.Is(err, pre.ErrProof) {
				return errorsmod.Wrapf(types.ErrInvalidAnswer, "task %d: proof does not verify", a.TaskId)
			}
			return errorsmod.Wrapf(types.ErrInvalidAnswer, "task %d: %v", a.TaskId, err)
		}
		fw.PutAnswer(msg.Proxy, a, ans.Ei.Bytes())
	}
	return nil
}
