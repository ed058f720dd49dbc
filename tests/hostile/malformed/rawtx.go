package malformed

import (
	"io"

	errorsmod "cosmossdk.io/errors"

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
	// signed over the edited body: refused for the fault, not the signature
	body := func(name string, want Expect, edit func([]byte) []byte) {
		add(name, want, nil).EditBody = edit
	}
	body("unknown-field-in-body", decodeErr, func(b []byte) []byte {
		return protowire.AppendVarint(protowire.AppendTag(b, 99, protowire.VarintType), 1)
	})
	body("unknown-field-in-message", decodeErr, EditMessage(0, func(v []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(v, 77, protowire.BytesType), []byte("x"))
	}))
	body("message-of-unknown-type", decodeErr, func(b []byte) []byte {
		var tb txtypes.TxBody
		if err := tb.Unmarshal(b); err != nil {
			panic(err)
		}
		tb.Messages[0].TypeUrl = "/medexchain.phr.v1.MsgNoSuchThing"
		return mustMarshal(&tb)
	})
	add("unknown-field-in-tx", decodeErr, func(tx []byte) []byte {
		return protowire.AppendVarint(protowire.AppendTag(append([]byte(nil), tx...), 9, protowire.VarintType), 1)
	})
	add("corrupted-signature", Expect{Err: sdkerrors.ErrUnauthorized}, rawEdit(func(raw *txtypes.TxRaw) {
		raw.Signatures[0][0] ^= 0xff
	}))
	// timestamps protobuf allows but time.Time and RFC 3339 do not: an
	// upload's time after year 9999, nanos of a second ≥ 1e9, before year 1
	up, err := s.UploadMsg([]byte(`{"resourceType":"Observation"}`), 1<<43)
	if err != nil {
		return nil, err
	}
	times := []struct {
		name        string
		secs, nanos int64
	}{{"after-year-9999", 253402300800, 0}, {"nanos-1e9", 1700000000, 1_000_000_000}, {"before-year-1", -62135596801, 0}}
	for _, t := range times {
		c := Case{Family: "raw", Name: "upload-time-" + t.name, Signer: Gateway, Msgs: msgs(up), Want: Expect{Stage: AtCheck, Err: sdkerrors.ErrTxDecode},
			EditBody: EditMessage(0, func(v []byte) []byte {
				// a second time field: protobuf merges it into the first
				ts := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), uint64(t.secs))
				ts = protowire.AppendVarint(protowire.AppendTag(ts, 2, protowire.VarintType), uint64(t.nanos))
				return protowire.AppendBytes(protowire.AppendTag(v, 4, protowire.BytesType), ts)
			})}
		out = append(out, c)
	}
	// a message whose signer is not the tx's signer
	foreign := *send
	foreign.FromAddress = s.Addr[Patient].String()
	out = append(out, Case{Family: "raw", Name: "message-of-another-signer", Signer: Stranger, Msgs: msgs(&foreign),
		Want: Expect{Stage: AtCheck, Err: sdkerrors.ErrInvalidPubKey, Or: []*errorsmod.Error{sdkerrors.ErrUnauthorized}}})
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

// EditMessage is an EditBody that edits the encoding of the body's i-th
// message.
func EditMessage(i int, f func(value []byte) []byte) func([]byte) []byte {
	return func(b []byte) []byte {
		var tb txtypes.TxBody
		if err := tb.Unmarshal(b); err != nil {
			panic(err) // the signer's own encoding
		}
		tb.Messages[i].Value = f(tb.Messages[i].Value)
		return mustMarshal(&tb)
	}
}

func mustMarshal(m interface{ Marshal() ([]byte, error) }) []byte {
	bz, err := m.Marshal()
	if err != nil {
		panic(err)
	}
	return bz
}

// rawEdit decodes a signed tx's TxRaw, edits it and encodes it again.
func rawEdit(f func(raw *txtypes.TxRaw)) func([]byte) []byte {
	return func(tx []byte) []byte {
		var raw txtypes.TxRaw
		if err := raw.Unmarshal(tx); err != nil {
			panic(err) // the signer's own output
		}
		f(&raw)
		return mustMarshal(&raw)
	}
}
