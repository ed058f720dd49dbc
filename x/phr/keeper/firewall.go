package keeper

import (
	"crypto/sha256"
	"errors"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

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

// txRerandSeed is the seed of message msgIndex of the tx being executed, or
// nil outside block execution.
func txRerandSeed(ctx sdk.Context, msgIndex int) *RerandSeed {
	if ctx.ExecMode() != sdk.ExecModeFinalize {
		return nil
	}
	txHash := sha256.Sum256(ctx.TxBytes())
	return &RerandSeed{HeaderHash: ctx.HeaderHash(), TxHash: txHash[:], MsgIndex: uint32(msgIndex)}
}

// PacketRerandSeed fixes the public seed of the rerandomization of a
// received Share: s = H2S("ibc-rerand", header hash, path, sequence, capsule
// index), path being this chain's phr channel the packet came in on, or its
// client for IBC v2. nil means validate only.
type PacketRerandSeed struct {
	HeaderHash []byte
	Path       string
	Sequence   uint64
}

// packetRerandSeed is the seed of the packet from origin in block execution,
// or nil elsewhere: IBC core runs packet callbacks in CheckTx too (the
// redundant-relay ante), where the header hash is not known.
func packetRerandSeed(ctx sdk.Context, origin types.PacketOrigin) *PacketRerandSeed {
	if ctx.ExecMode() != sdk.ExecModeFinalize || len(ctx.HeaderHash()) == 0 {
		return nil
	}
	path := origin.ChannelID
	if path == "" {
		path = origin.ClientID
	}
	return &PacketRerandSeed{HeaderHash: ctx.HeaderHash(), Path: path, Sequence: origin.Sequence}
}

// firewallMode is how far the firewall may go in one exec mode.
type firewallMode struct {
	// refuseStateful: refuse a tx whose target state is wrong (device
	// inactive, vault rotated, task closed, ...). Only on the mempool paths,
	// where a refusal keeps the tx out. In a block (and when voting on one)
	// the ante refuses only for reasons that cannot change between CheckTx
	// and the block (encodings, counts, sizes, buckets, proof form): a tx
	// refused by the ante pays no fee and leaves its sequence, so stateful
	// refusals are left to the msg servers, which run after the fee is taken.
	refuseStateful bool
	// targetsOnly (ReCheckTx): the cheap target checks only, which are what
	// evicts a stale tx after a block; the crypto was checked when the tx
	// entered the mempool and is not re-run.
	targetsOnly bool
	// deferProofs (CheckTx): answers' proofs are charged for but not
	// verified. Their outcome cannot keep a tx out of the mempool (a proof
	// that fails is evidence the block records, see answersCheck), CheckTx
	// runs no msg server to hand E_i to, and the block verifies every proof;
	// verifying them here too doubled the chain's answer work under the
	// ABCI lock that block execution waits for.
	deferProofs bool
}

func firewallModeOf(ctx sdk.Context) firewallMode {
	if ctx.IsReCheckTx() || ctx.ExecMode() == sdk.ExecModeReCheck {
		return firewallMode{refuseStateful: true, targetsOnly: true}
	}
	switch ctx.ExecMode() {
	case sdk.ExecModeCheck:
		return firewallMode{refuseStateful: true, deferProofs: true}
	case sdk.ExecModeSimulate, sdk.ExecModePrepareProposal:
		return firewallMode{refuseStateful: true}
	}
	return firewallMode{}
}

// stateRefusal refuses err now on the mempool paths, or hands it to the msg
// server in a block.
func (m firewallMode) stateRefusal(err error) (types.Sanitized, error) {
	if m.refuseStateful {
		return types.Sanitized{}, err
	}
	return types.Sanitized{Refusal: err}, nil
}

// firewallCheck is one message under the firewall, its targets already read.
type firewallCheck interface {
	// sanitize validates the message's crypto objects and computes what its
	// msg server stores.
	sanitize(ctx sdk.Context, mode firewallMode, seed *RerandSeed) (types.Sanitized, error)
}

// Firewall is the chain firewall (docs/protocol.md, "Chain firewall") over one
// tx's messages. First the cheap stateful checks of every message's target
// (device, vault epoch, request, task, committee seat), for the whole tx
// before any crypto; then, per message, the strict decode of every crypto
// object, the rerandomization of uploaded capsules (block execution only),
// the verification keys of a grant and the proofs of answers. The results
// reach the msg servers through the returned Firewalled. Gas is charged
// before each operation. See firewallMode for what is refused in which mode.
func (k *Keeper) Firewall(ctx sdk.Context, msgs []sdk.Msg) (*types.Firewalled, error) {
	mode := firewallModeOf(ctx)
	checks := make([]firewallCheck, len(msgs))
	for i, msg := range msgs {
		c, err := k.firewallTarget(ctx, mode, msg)
		if err != nil {
			return nil, errorsmod.Wrapf(err, "message %d", i)
		}
		checks[i] = c
	}
	fw := types.NewFirewalled()
	if mode.targetsOnly {
		return fw, nil
	}
	for i, c := range checks {
		if c == nil {
			continue
		}
		s, err := c.sanitize(ctx, mode, txRerandSeed(ctx, i))
		if err != nil {
			return nil, errorsmod.Wrapf(err, "message %d", i)
		}
		if err := fw.Put(msgs[i], s); err != nil {
			return nil, err
		}
	}
	return fw, nil
}

// firewallTarget runs the target checks of msg; nil for messages without a
// crypto object the firewall hands on.
func (k *Keeper) firewallTarget(ctx sdk.Context, mode firewallMode, msg sdk.Msg) (firewallCheck, error) {
	switch m := msg.(type) {
	case *types.MsgUploadRecord:
		return k.uploadTarget(ctx, mode, m)
	case *types.MsgGrantAccess:
		return k.grantTarget(ctx, mode, m)
	case *types.MsgSubmitAnswers:
		return k.answersTarget(ctx, mode, m)
	case *types.MsgRegisterPatient:
		return keyCharge(len(m.Vaults)), nil
	case *types.MsgRotateVaultKey, *types.MsgAdmitMember, *types.MsgUpdateMemberKey, *types.MsgRegisterDevice:
		return keyCharge(1), nil
	}
	return nil, nil
}

// keyCharge prices the decode of the public keys a registry message carries
// (their msg servers decode them).
type keyCharge int

func (n keyCharge) sanitize(ctx sdk.Context, _ firewallMode, _ *RerandSeed) (types.Sanitized, error) {
	ctx.GasMeter().ConsumeGas(uint64(n)*types.GasDecodeElement, "phr/decode-key")
	return types.Sanitized{}, nil
}

// uploadCheck: vaultKey is nil when the upload's target is gone (block
// execution only): the firewall then does no work on the message and hands
// nothing on, and the msg server refuses it with the target's error, after
// the fee (so the error is the one CheckTx would have given).
type uploadCheck struct {
	msg      *types.MsgUploadRecord
	vaultKey []byte
}

func (k *Keeper) uploadTarget(ctx sdk.Context, mode firewallMode, msg *types.MsgUploadRecord) (firewallCheck, error) {
	gateway, err := k.parseAddress("gateway", msg.Gateway)
	if err != nil {
		return nil, err
	}
	_, vaultKey, err := k.UploadTarget(ctx, gateway, msg.RecordUpload())
	if err != nil && mode.refuseStateful {
		return nil, err
	}
	return &uploadCheck{msg: msg, vaultKey: vaultKey}, nil
}

func (c *uploadCheck) sanitize(ctx sdk.Context, mode firewallMode, seed *RerandSeed) (types.Sanitized, error) {
	if c.vaultKey == nil {
		return types.Sanitized{}, nil // no key to rerandomize with: nothing to store
	}
	caps, err := validateUpload(ctx.GasMeter(), c.msg.Capsules, c.msg.Body)
	if err != nil {
		return types.Sanitized{}, err
	}
	stored, err := rerandomizeUpload(ctx.GasMeter(), c.vaultKey, caps, seed)
	if err != nil {
		return mode.stateRefusal(err)
	}
	return types.Sanitized{Capsules: stored}, nil
}

// grantCheck: targetOK is false when the request cannot be granted any more
// (block execution only); the msg server then refuses with its error.
type grantCheck struct {
	k        *Keeper
	msg      *types.MsgGrantAccess
	targetOK bool
}

func (k *Keeper) grantTarget(ctx sdk.Context, mode firewallMode, msg *types.MsgGrantAccess) (firewallCheck, error) {
	patient, err := k.parseAddress("patient", msg.Patient)
	if err != nil {
		return nil, err
	}
	_, err = k.GrantTarget(ctx, patient, msg.GrantId, msg.Expiry)
	if err != nil && mode.refuseStateful {
		return nil, err
	}
	return &grantCheck{k: k, msg: msg, targetOK: err == nil}, nil
}

func (c *grantCheck) sanitize(ctx sdk.Context, mode firewallMode, _ *RerandSeed) (types.Sanitized, error) {
	if !c.targetOK {
		return types.Sanitized{}, nil
	}
	g, err := decodeKeyGrant(ctx.GasMeter(), c.msg.KeyGrant, ctx.ChainID(), c.msg.GrantId)
	if err != nil {
		return types.Sanitized{}, err
	}
	if mode.refuseStateful {
		if err := c.k.checkCommittee(ctx, proxiesOf(g)); err != nil {
			return types.Sanitized{}, err
		}
	}
	verified, err := verifiedGrant(g, ctx.ChainID(), c.msg.GrantId)
	if err != nil {
		return types.Sanitized{}, err
	}
	return types.Sanitized{Grant: verified}, nil
}

// answersCheck holds the target of each answer, nil for a task that closed
// (or whose grant ended) since the proxy saw it: the batch skips it. blocked
// is set in block execution when the batch is refused for a stateful reason;
// the msg server then refuses it with that reason.
type answersCheck struct {
	msg     *types.MsgSubmitAnswers
	targets []*AnswerTarget
	blocked bool
}

func (k *Keeper) answersTarget(ctx sdk.Context, mode firewallMode, msg *types.MsgSubmitAnswers) (firewallCheck, error) {
	proxy, err := k.parseAddress("proxy", msg.Proxy)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(msg.Answers))
	for i, a := range msg.Answers {
		ids[i] = a.TaskId
	}
	targets, err := k.answerTargets(ctx, proxy, ids)
	if err != nil && mode.refuseStateful {
		return nil, err
	}
	return &answersCheck{msg: msg, targets: targets, blocked: err != nil}, nil
}

// sanitize decodes every answer strictly (a malformed one refuses the tx in
// every mode) and verifies each answer's proof against its target (outside
// CheckTx, see firewallMode.deferProofs). An answer
// whose proof fails is not a tx refusal in any mode: it is handed on as
// AnswerEI.Refusal, and the msg server records it as evidence (docs/protocol.md,
// "Refused answers"). CheckTx lets such a tx in on purpose: it comes from an
// admitted proxy holding an open seat, costs its fee, and can happen once per
// seat per task, since the seat is spent when the block executes it.
func (c *answersCheck) sanitize(ctx sdk.Context, mode firewallMode, _ *RerandSeed) (types.Sanitized, error) {
	if c.blocked {
		return types.Sanitized{}, nil
	}
	answers, err := decodeAnswers(ctx.GasMeter(), c.msg.Answers)
	if err != nil {
		return types.Sanitized{}, err
	}
	if mode.deferProofs {
		for _, at := range c.targets {
			if at != nil {
				chargeAnswerVerification(ctx.GasMeter())
			}
		}
		return types.Sanitized{}, nil
	}
	out := make([]types.AnswerEI, len(answers))
	for i, ans := range answers {
		out[i].TaskID = c.msg.Answers[i].TaskId
		if c.targets[i] == nil {
			continue
		}
		eis, err := verifyAnswer(ctx.GasMeter(), *c.targets[i], ans)
		switch {
		case errors.Is(err, types.ErrProof):
			out[i].Refusal = err
		case err != nil:
			return mode.stateRefusal(err)
		default:
			out[i].EI = eis
		}
	}
	return types.Sanitized{Answers: out}, nil
}

// proxiesOf lists a key grant's proxies in fragment order.
func proxiesOf(g *pre.Grant) [][]byte {
	out := make([][]byte, len(g.Fragments))
	for i, f := range g.Fragments {
		out[i] = f.Proxy
	}
	return out
}
