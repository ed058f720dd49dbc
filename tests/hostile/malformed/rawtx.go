package malformed

import (
	"io"

	"google.golang.org/protobuf/encoding/protowire"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

// HugeBody is the body of the huge upload: below the node's RPC request
// limit once base64-encoded in JSON (1 MB), far above max_record_bytes.
const HugeBody = 600 << 10

// OverRPCLimit is a tx the node's RPC server refuses before CometBFT's
// mempool or the app sees it (its request body exceeds max_body_bytes).
const OverRPCLimit = 1 << 20

// rawCases: txs broken below the messages: random bytes, nothing, a
// signed tx truncated or with an unknown field in its body or its message,
// a corrupted signature, a huge upload and a tx over the RPC limit. The
// carrier is a 1-unit bank send of the stranger to itself (it touches no
// phr or audit state even if a case failed to break it).
func rawCases(s *Story, rnd io.Reader) ([]Case, error) {
	self := s.Addr[Stranger]
	send := &banktypes.MsgSend{FromAddress: self.String(), ToAddress: self.String(),
		Amount: sdk.NewCoins(sdk.NewCoin(s.Denom, sdkmath.NewInt(1)))}
	garbage := make([]byte, 1024)
	if _, err := io.ReadFull(rnd, garbage); err != nil {
		return nil, err
	}
	var out []Case
	add := func(name string, want Expect, rewrite func([]byte) []byte) *Case {
		if want.Stage == "" {
			want.Stage = AtCheck
		}
		out = append(out, Case{Family: "raw", Name: name, Signer: Stranger, Msgs: msgs(send), Rewrite: rewrite, Want: want})
		return &out[len(out)-1]
	}
	decodeErr := Expect{Err: sdkerrors.ErrTxDecode}
	add("random-bytes", decodeErr, func([]byte) []byte { return garbage })
	add("single-zero-byte", decodeErr, func([]byte) []byte { return []byte{0} })
	add("truncated-half", decodeErr, func(tx []byte) []byte { return tx[:len(tx)/2] })
	add("truncated-last-byte", decodeErr, func(tx []byte) []byte { return tx[:len(tx)-1] })
	add("unknown-field-in-body", decodeErr, rawEdit(func(raw *txtypes.TxRaw) {
		raw.BodyBytes = protowire.AppendVarint(protowire.AppendTag(raw.BodyBytes, 99, protowire.VarintType), 1)
	}))
	add("unknown-field-in-message", decodeErr, rawEdit(func(raw *txtypes.TxRaw) {
		var body txtypes.TxBody
		if err := body.Unmarshal(raw.BodyBytes); err != nil {
			panic(err)
		}
		body.Messages[0].Value = protowire.AppendBytes(protowire.AppendTag(body.Messages[0].Value, 77, protowire.BytesType), []byte("x"))
		bz, err := body.Marshal()
		if err != nil {
			panic(err)
		}
		raw.BodyBytes = bz
	}))
	add("unknown-field-in-tx", decodeErr, func(tx []byte) []byte {
		return protowire.AppendVarint(protowire.AppendTag(append([]byte(nil), tx...), 9, protowire.VarintType), 1)
	})
	add("corrupted-signature", Expect{Err: sdkerrors.ErrUnauthorized}, rawEdit(func(raw *txtypes.TxRaw) {
		raw.Signatures[0][0] ^= 0xff
	}))
	// huge: an upload whose body is far above max_record_bytes, and a tx
	// over the RPC server's request limit
	huge, err := s.UploadMsg([]byte(`{"resourceType":"Observation"}`), 1<<41)
	if err != nil {
		return nil, err
	}
	huge.Body = make([]byte, HugeBody)
	out = append(out, Case{Family: "raw", Name: "huge-upload", Signer: Gateway, Msgs: msgs(huge), Gas: 20 * DefaultGas,
		Want: Expect{Stage: AtCheck, Err: types.ErrRecordTooLarge}})
	add("over-rpc-limit", Expect{Stage: AtRPC}, func(tx []byte) []byte {
		return append(append([]byte(nil), tx...), make([]byte, OverRPCLimit)...)
	})
	return out, nil
}

// rawEdit decodes a signed tx's TxRaw, edits it and encodes it again.
func rawEdit(f func(raw *txtypes.TxRaw)) func([]byte) []byte {
	return func(tx []byte) []byte {
		var raw txtypes.TxRaw
		if err := raw.Unmarshal(tx); err != nil {
			panic(err) // the signer's own output
		}
		f(&raw)
		bz, err := raw.Marshal()
		if err != nil {
			panic(err)
		}
		return bz
	}
}
