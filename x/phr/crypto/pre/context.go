package pre

import (
	"crypto/sha512"
	"fmt"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/wire"
)

// GrantContext names one grant: the chain that holds the vault and assigned
// the grant id (at request time, before fragments exist), the vault and the
// key epoch the grant covers.
type GrantContext struct {
	ChainID string
	GrantID uint64
	Vault   string
	Epoch   uint64
}

// AnswerContext names one re-encryption answer. Every field is bound into
// the DLEQ proof's DST, so an answer valid here is refused for another
// chain, grant, task, record, number of capsules or proxy. One answer covers
// all Capsules capsules of the record.
type AnswerContext struct {
	ChainID  string
	GrantID  uint64
	TaskID   uint64
	RecordID uint64
	Capsules uint32 // the number of capsules the answer covers
	Proxy    []byte // the answering proxy's raw account address bytes
}

// KFragInfo is the HPKE info string of sealed fragments.
const KFragInfo = "medexchain/v1/kfrag" + group.Suite

// DLEQAnswerDSTPrefix prefixes the DST of answer proofs.
const DLEQAnswerDSTPrefix = "medexchain/v1/dleq-answer/"

func checkChainID(id string) error {
	if len(id) == 0 || len(id) > MaxChainIDLen {
		return fmt.Errorf("%w: chain id length", ErrContext)
	}
	return nil
}

func checkAddress(a []byte) error {
	if len(a) == 0 || len(a) > MaxAddressLen {
		return fmt.Errorf("%w: proxy address length", ErrContext)
	}
	return nil
}

// ProxyID is id_i = H2S("id", chain id, u64 grant id, raw proxy address).
// It can be zero only with probability 2^-252; CreateGrant refuses that.
func ProxyID(chainID string, grantID uint64, proxy []byte) *group.Scalar {
	return group.H2S("id", []byte(chainID), group.U64(grantID), proxy)
}

// deriveD is d = H2S("d", suite, chain id, u64 grant id, vault, u64 epoch,
// A, X, B, B^x).
func deriveD(ctx *GrantContext, A, X, B, Bx *group.Element) *group.Scalar {
	bx := Bx.Bytes()
	defer clear(bx)
	return group.H2S("d", []byte(group.Suite), []byte(ctx.ChainID), group.U64(ctx.GrantID),
		[]byte(ctx.Vault), group.U64(ctx.Epoch), A.Bytes(), X.Bytes(), B.Bytes(), bx)
}

// fragmentAAD is the HPKE associated data of a sealed fragment:
// LP(chain id) ‖ u64 grant id ‖ LP(proxy address) ‖ id_i. The design writes
// "chain id ‖ grant id ‖ proxy address ‖ id_i"; the length prefixes make the
// concatenation unambiguous.
func fragmentAAD(chainID string, grantID uint64, proxy []byte, id *group.Scalar) []byte {
	b := wire.AppendLP(nil, []byte(chainID))
	b = wire.AppendU64(b, grantID)
	b = wire.AppendLP(b, proxy)
	return append(b, id.Bytes()...)
}

// AnswerDST is the DLEQ DST of an answer: "medexchain/v1/dleq-answer/" ‖
// SHA-512(LP(chain id) ‖ u64 grant id ‖ u64 task id ‖ u64 record id ‖
// u32 capsule count ‖ LP(proxy address))[:32]. (The design's plain
// concatenation, made unambiguous by length prefixes and fixed widths.)
func AnswerDST(ctx *AnswerContext) []byte {
	b := wire.AppendLP(nil, []byte(ctx.ChainID))
	b = wire.AppendU64(b, ctx.GrantID)
	b = wire.AppendU64(b, ctx.TaskID)
	b = wire.AppendU64(b, ctx.RecordID)
	b = wire.AppendU32(b, ctx.Capsules)
	b = wire.AppendLP(b, ctx.Proxy)
	h := sha512.Sum512(b)
	return append([]byte(DLEQAnswerDSTPrefix), h[:32]...)
}
