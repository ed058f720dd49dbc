package gateway

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/internal/txclient"
	"github.com/medexchain/medexchain/x/phr/types"
)

// Node is the chain as the forwarder needs it. An error from any method
// means the node could not be asked (down, unreachable, timed out) and the
// forwarder asks again later; what the chain decided comes back as a
// Verdict, never as an error.
type Node interface {
	// Height is the latest committed height.
	Height(ctx context.Context) (int64, error)
	// AccountSequence is the gateway account's committed sequence.
	AccountSequence(ctx context.Context) (uint64, error)
	// SignUpload signs msg as one tx of the gateway account with the given
	// account sequence; gasScale multiplies the gas it would otherwise use.
	SignUpload(ctx context.Context, msg *types.MsgUploadRecord, accountSequence uint64, gasScale float64) ([]byte, error)
	// Broadcast hands tx to the node's mempool and returns CheckTx's
	// verdict (code 0: accepted).
	Broadcast(ctx context.Context, tx []byte) (Verdict, error)
	// Tx is the result of an included tx, or nil when the node knows no tx
	// of that hash (not yet in a block, never, or its index lost it).
	Tx(ctx context.Context, hash string) (*TxResult, error)
}

// Verdict is the chain's answer to a tx: a registered error (codespace and
// code) or success (code 0).
type Verdict struct {
	Codespace string
	Code      uint32
	Log       string
}

// OK is success.
func (v Verdict) OK() bool { return v.Code == 0 }

// Permanent reports a refusal by the phr module of the upload itself (its device, vault,
// epoch, time or encoding); sending it again would be refused again. Every
// other refusal (sequence, gas, fee, funds, a full mempool) is about the tx
// and a new tx for the same upload may pass.
func (v Verdict) Permanent() bool { return v.Code != 0 && v.Codespace == types.ModuleName }

// inMempool: the node already holds this very tx.
func (v Verdict) inMempool() bool {
	return v.Codespace == sdkerrors.RootCodespace && v.Code == sdkerrors.ErrTxInMempoolCache.ABCICode()
}

func (v Verdict) outOfGas() bool {
	return v.Codespace == sdkerrors.RootCodespace && v.Code == sdkerrors.ErrOutOfGas.ABCICode()
}

func (v Verdict) String() string {
	return fmt.Sprintf("%s code %d: %s", v.Codespace, v.Code, oneLine(v.Log))
}

// TxResult is an included tx.
type TxResult struct {
	Height int64
	Verdict
	// RecordID is the id MsgUploadRecordResponse carries (0 if refused).
	RecordID uint64
}

// TxHash is the hash CometBFT indexes tx under.
func TxHash(tx []byte) string {
	h := sha256.Sum256(tx)
	return strings.ToUpper(hex.EncodeToString(h[:]))
}

// FindUpload looks for the record the upload of e created, among the
// patient's records newer than the height its first tx was signed after: the way
// to learn that a tx was included when the node's tx index has lost it.
// The body (random bytes the edge firewall made) identifies the upload.
func FindUpload(ctx context.Context, q types.QueryClient, e *Entry, msg *types.MsgUploadRecord) (*types.Record, error) {
	after := e.SignedAfter
	var key []byte
	for {
		res, err := q.RecordsByPatient(ctx, &types.QueryRecordsByPatientRequest{
			Patient:    e.Patient,
			Pagination: &query.PageRequest{Key: key, Limit: 20, Reverse: true},
		})
		if err != nil {
			return nil, fmt.Errorf("records of %s: %w", e.Patient, txclient.TransportError(err))
		}
		for i := range res.Records {
			r := &res.Records[i]
			if r.Height <= after {
				return nil, nil // newest first: the rest is older still
			}
			if r.DeviceId != msg.DeviceId || r.Gateway != msg.Gateway {
				continue
			}
			if len(r.Body) == 0 { // a list that leaves the bodies out
				full, err := q.Record(ctx, &types.QueryRecordRequest{Id: r.Id})
				if err != nil {
					return nil, fmt.Errorf("record %d: %w", r.Id, txclient.TransportError(err))
				}
				r = &full.Record
			}
			if bytes.Equal(r.Body, msg.Body) {
				return r, nil
			}
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return nil, nil
		}
		key = res.Pagination.NextKey
	}
}

// Unreachable reports whether err means the node did not answer (as
// opposed to answering with a refusal): the queries of this package mark
// such errors with txclient.ErrUnavailable.
func Unreachable(err error) bool { return errors.Is(err, txclient.ErrUnavailable) }

// oneLine keeps the first line of a multi-line log.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
