package cryptobench

import (
	"bytes"
	"crypto/rand"
	"testing"
	"time"

	"github.com/medexchain/medexchain/testutil/cryptotest"
	"github.com/medexchain/medexchain/testutil/subverted"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// ReadingSize is the FHIR payload size of the device benchmarks: a 1 KiB
// reading, which with metadata and signature fills the 2 KiB bucket.
const ReadingSize = 1024

const (
	chainID = "medex-1"
	vaultNm = "vitals"
	epoch   = 3
	grantID = 42
)

type fixture struct {
	vault   *keys.VaultSecretKey
	dev     *keys.DeviceSecretKey
	req     *keys.RequesterSecretKey
	meta    *envelope.Meta
	payload []byte
	pub     crf.PublicMeta
	env     []byte // the signed envelope of (meta, payload)
	devOut  []byte // one device output (pre.Ciphertext encoding)
	rec     *crf.Record
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	f := &fixture{}
	var err error
	if f.vault, err = keys.GenerateVaultKey(epoch, rand.Reader); err != nil {
		tb.Fatal(err)
	}
	if f.dev, err = keys.GenerateDeviceKey(rand.Reader); err != nil {
		tb.Fatal(err)
	}
	if f.req, err = keys.GenerateRequesterKey(rand.Reader); err != nil {
		tb.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 8, 30, 12, 345000000, time.UTC)
	f.meta = &envelope.Meta{ChainID: chainID, Patient: bytes.Repeat([]byte{0x42}, 20), Vault: vaultNm, Epoch: epoch,
		DeviceID: "pulse-ox-0001", Sequence: 1, EffectiveTime: t0}
	f.payload = subverted.FHIRReading(ReadingSize, 1, t0, 0)
	f.pub = crf.PublicMeta{DeviceID: "pulse-ox-0001", Vault: vaultNm, Epoch: epoch, Time: t0, ResourceType: "Observation"}
	if f.env, err = envelope.Seal(f.meta, f.payload, f.dev.Key); err != nil {
		tb.Fatal(err)
	}
	ct, err := pre.DeviceEncrypt(f.vault.Public(), f.meta, f.payload, f.dev.Key, rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	f.devOut = ct.Bytes()
	if f.rec, err = crf.EdgeFirewall(f.vault.Public(), f.devOut, f.pub, rand.Reader); err != nil {
		tb.Fatal(err)
	}
	return f
}

// newCommittee is a t-of-n grant of the fixture's vault to its requester.
func newCommittee(tb testing.TB, f *fixture, t, n int) *cryptotest.Committee {
	tb.Helper()
	return cryptotest.NewCommittee(tb, f.vault, f.req.Public(), grantCtx(), t, n, rand.Reader)
}

func grantCtx() pre.GrantContext {
	return pre.GrantContext{ChainID: chainID, GrantID: grantID, Vault: vaultNm, Epoch: epoch}
}

// The benchmarks' task and record.
const (
	taskID   = 7
	recordID = 1
)

// submissions returns the first t proxies' answers for rec (each over both
// capsules).
func submissions(tb testing.TB, c *cryptotest.Committee, rec *crf.Record) []cryptotest.Submission {
	return c.Submissions(tb, rec.Capsules[:], taskID, recordID, rand.Reader)
}
