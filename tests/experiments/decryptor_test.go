package experiments

import (
	"testing"

	"github.com/medexchain/medexchain/testutil/cryptotest"
	"github.com/medexchain/medexchain/testutil/subverted"
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// nRequester is how many records of each decryptor-side run also go
// through the full grant path (t-of-n answers, combination, requester
// decryption); the rest are decrypted by the vault owner.
const nRequester = 200

// requesterPath is a 2-of-3 grant of the world's vault to a requester, with
// the proxies' opened fragments.
type requesterPath struct {
	req *keys.RequesterSecretKey
	c   *cryptotest.Committee
	gk  *pre.GrantKey
	ctx pre.GrantContext
}

func newRequesterPath(t *testing.T, w *world, seed uint64) *requesterPath {
	t.Helper()
	kr := subverted.SeededReader(seed, 10)
	req, err := keys.GenerateRequesterKey(kr)
	if err != nil {
		t.Fatal(err)
	}
	p := &requesterPath{req: req, ctx: pre.GrantContext{ChainID: chainID, GrantID: 9, Vault: vaultNm, Epoch: epoch}}
	p.c = cryptotest.NewCommittee(t, w.vault, req.Public(), p.ctx, 2, 3, kr)
	if p.gk, err = pre.DeriveGrantKey(req, p.ctx, w.vault.Public(), p.c.Grant); err != nil {
		t.Fatal(err)
	}
	return p
}

// share re-encrypts every capsule of rec for the requester (answers with
// proofs, verification, combination), as the chain does for a task.
func (p *requesterPath) share(t *testing.T, rec *crf.Record, recordID uint64, rnd *world) []*pre.FirstLevel {
	t.Helper()
	return p.c.FirstLevel(t, rec.Capsules[:], recordID, recordID, rnd.fwRand)
}

// Toward a decryptor, the device's choice of M survives the edge firewall
// (rerandomization keeps M; the masking layer has its own M'): the vault
// owner and every granted requester recover M and read the bit. Documented
// limit (docs/crypto.md §10).
func TestExp3DecryptorChannelM(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xe1)
	rp := newRequesterPath(t, w, 0xe1)
	d, err := subverted.RequesterD(rp.req, rp.ctx, w.vault.Public().A, rp.c.Grant)
	if err != nil {
		t.Fatal(err)
	}
	var owner, requester, ownerChance subverted.Counter
	for i := 0; i < nLeak; i++ {
		r, tt := w.next(uint64(i))
		bit := w.bits.Next()
		ct, _, err := w.dev.ChooseM(r, bit)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := w.edge(ct, w.gatewayMeta(tt))
		if err != nil {
			t.Fatal(err)
		}
		w.mustOpen(t, rec.Ciphertext())
		owner.Add(subverted.DecodeM(w.dev.Key, subverted.OwnerM(w.vault, rec.Capsules[0])), bit)
		// the gateway's masking capsule carries nothing
		ownerChance.Add(subverted.DecodeM(w.dev.Key, subverted.OwnerM(w.vault, rec.Capsules[1])), bit)
		if i < nRequester {
			fls := rp.share(t, rec, uint64(i+1), w)
			if _, err := rp.gk.Open(fls, rec.Body, w.devKey.Public().Key); err != nil {
				t.Fatalf("requester cannot open record %d: %v", i, err)
			}
			requester.Add(subverted.DecodeM(w.dev.Key, subverted.RequesterM(d, fls[0])), bit)
		}
	}
	assertLeak(t, "3_decryptor_M/vault_owner", owner)
	assertLeak(t, "3_decryptor_M/granted_requester", requester)
	figure(t, "3_decryptor_M/masking_capsule_M", ownerChance)
}

// Toward a decryptor, the Ed25519 nonce R chosen by a subverted signer
// (rejection sampling, still valid RFC 8032 signatures) survives the edge
// firewall inside the envelope: the vault owner and every granted
// requester read the bit from the signature. Documented limit.
func TestExp3DecryptorChannelNonce(t *testing.T) {
	t.Parallel()
	w := newWorld(t, 0xe2)
	rp := newRequesterPath(t, w, 0xe2)
	var owner, requester subverted.Counter
	for i := 0; i < nLeak; i++ {
		r, tt := w.next(uint64(i))
		bit := w.bits.Next()
		ct, _, err := w.dev.SubvertedNonce(r, bit, w.devKey.Key)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := w.edge(ct, w.gatewayMeta(tt))
		if err != nil {
			t.Fatal(err)
		}
		w.mustOpen(t, rec.Ciphertext()) // the signature verifies
		raw, err := pre.DecryptOwner(w.vault, rec.Ciphertext())
		if err != nil {
			t.Fatal(err)
		}
		owner.Add(subverted.DecodeNonce(w.dev.Key, raw[len(raw)-envelope.SigSize:]), bit)
		if i < nRequester {
			fls := rp.share(t, rec, uint64(i+1), w)
			raw, err := rp.gk.Decrypt(fls, rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := envelope.Open(raw, w.devKey.Public().Key); err != nil {
				t.Fatalf("requester: envelope does not verify: %v", err)
			}
			requester.Add(subverted.DecodeNonce(w.dev.Key, raw[len(raw)-envelope.SigSize:]), bit)
		}
	}
	assertLeak(t, "3_decryptor_nonce/vault_owner", owner)
	assertLeak(t, "3_decryptor_nonce/granted_requester", requester)
}
