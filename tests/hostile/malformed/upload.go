package malformed

import (
	"strconv"

	errorsmod "cosmossdk.io/errors"

	"crypto/rand"
	"io"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// UploadMsg is an honest upload of the story's device through its gateway
// (device encryption, edge firewall) carrying payload with device sequence
// seq: the template the upload cases break, and the story's own upload.
func (s *Story) UploadMsg(payload []byte, seq uint64) (*types.MsgUploadRecord, error) {
	at := s.Now.UTC().Truncate(60e9)
	meta := &envelope.Meta{ChainID: s.ChainID, Patient: s.Addr[Patient], Vault: s.Vault, Epoch: s.VaultKey.Epoch,
		DeviceID: s.DeviceID, Sequence: seq, EffectiveTime: at}
	ct, err := pre.DeviceEncrypt(s.VaultKey.Public(), meta, payload, s.DeviceKey.Key, rand.Reader)
	if err != nil {
		return nil, err
	}
	rec, err := crf.EdgeFirewall(s.VaultKey.Public(), ct.Bytes(), crf.PublicMeta{DeviceID: s.DeviceID, Vault: s.Vault,
		Epoch: s.VaultKey.Epoch, Time: at, ResourceType: "Observation"}, rand.Reader)
	if err != nil {
		return nil, err
	}
	return &types.MsgUploadRecord{Gateway: s.Addr[Gateway].String(), DeviceId: s.DeviceID, Epoch: s.VaultKey.Epoch,
		Time: rec.Meta.Time, ResourceType: rec.Meta.ResourceType, Capsules: rec.CapsuleBytes(), Body: rec.Body}, nil
}

// uploadCases: the capsules' E and F (device and masking capsule), whole
// capsules of a wrong length, capsule counts 0, 1 and 3, off-bucket and
// oversize bodies, and replays of the story's committed upload. The chain
// firewall refuses each at CheckTx, but the gateway's own replay (accepted).
func uploadCases(s *Story, rnd io.Reader) ([]Case, error) {
	tmpl, err := s.UploadMsg([]byte(`{"resourceType":"Observation"}`), 1<<40)
	if err != nil {
		return nil, err
	}
	with := func(f func(m *types.MsgUploadRecord)) *types.MsgUploadRecord {
		m := *tmpl
		m.Capsules = make([][]byte, len(tmpl.Capsules))
		for i, c := range tmpl.Capsules {
			m.Capsules[i] = append([]byte(nil), c...)
		}
		f(&m)
		return &m
	}
	var out []Case
	add := func(name string, m *types.MsgUploadRecord, want Expect) *Case {
		want.Stage = AtCheck
		out = append(out, Case{Family: "upload", Name: name, Signer: Gateway, Msgs: msgs(m), Want: want})
		return &out[len(out)-1]
	}
	// E and F of both capsules, every bad encoding
	fields := []struct {
		name     string
		capsule  int
		offset   int
		elements bool // all variants (else the first four)
	}{{"device-capsule-E", 0, 0, true}, {"device-capsule-F", 0, 32, true}, {"masking-capsule-E", 1, 0, false}, {"masking-capsule-F", 1, 32, false}}
	for _, f := range fields {
		bads, err := BadElements(rnd, tmpl.Capsules[f.capsule][f.offset:f.offset+32])
		if err != nil {
			return nil, err
		}
		for _, b := range bads {
			if len(b.Bytes) != 32 {
				continue // lengths are the whole capsule's cases below
			}
			if !f.elements && b.Name != "random" && b.Name != "identity" && b.Name != "p+1" && b.Name != "high-bit" {
				continue
			}
			m := with(func(m *types.MsgUploadRecord) { copy(m.Capsules[f.capsule][f.offset:], b.Bytes) })
			c := add(f.name+"/"+b.Name, m, Expect{Err: types.ErrInvalidRecord, Cause: b.Cause})
			c.Object, c.Bytes, c.Claim = ObjCapsule, m.Capsules[f.capsule], b.Cause
		}
	}
	for _, n := range []int{63, 65, 0} {
		m := with(func(m *types.MsgUploadRecord) {
			m.Capsules[0] = append(m.Capsules[0], make([]byte, 1)...)[:n]
		})
		c := add("capsule-length-"+strconv.Itoa(n), m, Expect{Err: types.ErrInvalidRecord, Cause: group.ErrMalformed})
		c.Object, c.Bytes, c.Claim = ObjCapsule, m.Capsules[0], group.ErrMalformed
	}
	for _, n := range []int{0, 1, 3} {
		m := with(func(m *types.MsgUploadRecord) {
			m.Capsules = append(m.Capsules, m.Capsules[0])[:n]
		})
		add("capsule-count-"+strconv.Itoa(n), m, Expect{Err: types.ErrInvalidRecord})
	}
	for _, n := range []int{0, 511, 513, 2<<10 + 1} {
		add("body-off-bucket-"+strconv.Itoa(n), with(func(m *types.MsgUploadRecord) { m.Body = make([]byte, n) }), Expect{Err: types.ErrInvalidRecord})
	}
	oversize := envelope.MaxSize + 512
	add("body-oversize-"+strconv.Itoa(oversize), with(func(m *types.MsgUploadRecord) { m.Body = make([]byte, oversize) }),
		Expect{Err: types.ErrRecordTooLarge}).Gas = 4 * DefaultGas
	// replays of the committed upload: the very tx (in the node's cache,
	// or its account sequence used), and its message by another account
	if s.UploadTx != nil {
		replay := s.UploadTx
		c := add("replay-same-tx", s.Upload, Expect{Err: sdkerrors.ErrTxInMempoolCache, Or: []*errorsmod.Error{sdkerrors.ErrWrongSequence}})
		c.Rewrite = func([]byte) []byte { return replay }
	}
	// accepted: the same upload re-signed by its own gateway is a second
	// record; the device sequence is inside the ciphertext, so the chain
	// cannot tell, and a reader refuses the repeat (phr decrypt --seen-file)
	add("replay-re-signed-by-its-gateway", s.Upload, Expect{Audit: []AuditEntry{{types.ActionUploadRecord, "OUTCOME_SUCCESS"}}}).Want.Stage = InBlock
	stolen := *s.Upload
	stolen.Gateway = s.Addr[Stranger].String()
	c := add("replay-by-another-account", &stolen, Expect{Err: types.ErrNotDeviceGateway})
	c.Signer = Stranger
	return out, nil
}
