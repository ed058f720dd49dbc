package keystore_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/medexchain/medexchain/internal/keystore"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// seeded is a reproducible randomness stream for seed.
func seeded(seed uint64) io.Reader {
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return rand.NewChaCha8(s)
}

func grantFor(t *testing.T, seed uint64, grantID uint64) (*pre.Grant, []*keys.ProxySecretKey, [][]byte) {
	t.Helper()
	rnd := seeded(seed)
	v, _ := keys.GenerateVaultKey(1, rnd)
	r, _ := keys.GenerateRequesterKey(rnd)
	var ps []pre.ProxyRecipient
	var sks []*keys.ProxySecretKey
	var addrs [][]byte
	for i := 0; i < 3; i++ {
		sk, _ := keys.GenerateProxyKey(rnd)
		a := []byte(fmt.Sprintf("proxy-%d-addr-20bytes", i))[:20]
		sks, addrs = append(sks, sk), append(addrs, a)
		ps = append(ps, pre.ProxyRecipient{Address: a, Key: sk.Public()})
	}
	g, err := pre.CreateGrant(v, pre.GrantContext{ChainID: "medex-1", GrantID: grantID, Vault: "vitals", Epoch: 1}, r.Public(), 2, ps, rnd)
	if err != nil {
		t.Fatal(err)
	}
	return g, sks, addrs
}

func testRevocation(t *testing.T, newStore func() keystore.Store) {
	g, sks, addrs := grantFor(t, 1, 7)
	ref := keystore.GrantRef{ChainID: "medex-1", GrantID: 7}
	rnd := seeded(2)
	E := []*group.Element{new(group.Element).BaseMul(group.ScalarFromUint64(1234))}
	ctx := pre.AnswerContext{ChainID: "medex-1", GrantID: 7, TaskID: 1, RecordID: 1, Capsules: 1, Proxy: addrs[0]}

	p := keystore.NewProxy([]*keys.ProxySecretKey{sks[0]}, addrs[0], newStore())
	if _, err := p.Answer(ctx, E, rnd); !errors.Is(err, keystore.ErrNotFound) {
		t.Fatalf("answer before the grant: %v", err)
	}
	if err := p.AddGrant(ref, g); err != nil {
		t.Fatal(err)
	}
	a, err := p.Answer(ctx, E, rnd)
	if err != nil {
		t.Fatal(err)
	}
	vk, _ := pre.NewVerificationKey(g.Commitments, "medex-1", 7, addrs[0])
	if err := pre.VerifyAnswer(vk, ctx, E, a); err != nil {
		t.Fatal(err)
	}
	// revocation: the proxy can no longer answer, and cannot re-add
	if err := p.Revoke(ref); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Answer(ctx, E, rnd); !errors.Is(err, keystore.ErrRevoked) {
		t.Fatalf("answer after revocation: %v", err)
	}
	if p.Has(ref) {
		t.Fatal("Has after revocation")
	}
	if err := p.AddGrant(ref, g); !errors.Is(err, keystore.ErrRevoked) {
		t.Fatalf("re-adding a revoked grant: %v", err)
	}
	// a task naming another proxy is refused
	other := ctx
	other.Proxy = addrs[1]
	if _, err := p.Answer(other, E, rnd); !errors.Is(err, pre.ErrContext) {
		t.Fatalf("answer for another proxy: %v", err)
	}
}

func TestRevocationMemStore(t *testing.T) {
	testRevocation(t, func() keystore.Store { return keystore.NewMemStore() })
}

func TestRevocationFileStore(t *testing.T) {
	dir := t.TempDir()
	testRevocation(t, func() keystore.Store {
		s, err := keystore.NewFileStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// The file store survives a restart, and so does a revocation.
func TestFileStorePersistsGrantsAndTombstones(t *testing.T) {
	dir := t.TempDir()
	g, sks, addrs := grantFor(t, 3, 8)
	ref := keystore.GrantRef{ChainID: "medex-1", GrantID: 8}
	E := []*group.Element{new(group.Element).BaseMul(group.ScalarFromUint64(99))}
	ctx := pre.AnswerContext{ChainID: "medex-1", GrantID: 8, TaskID: 2, RecordID: 2, Capsules: 1, Proxy: addrs[1]}
	s1, _ := keystore.NewFileStore(dir)
	if err := keystore.NewProxy([]*keys.ProxySecretKey{sks[1]}, addrs[1], s1).AddGrant(ref, g); err != nil {
		t.Fatal(err)
	}
	s2, _ := keystore.NewFileStore(dir) // "restart"
	p2 := keystore.NewProxy([]*keys.ProxySecretKey{sks[1]}, addrs[1], s2)
	if _, err := p2.Answer(ctx, E, seeded(4)); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if err := p2.Revoke(ref); err != nil {
		t.Fatal(err)
	}
	s3, _ := keystore.NewFileStore(dir)
	p3 := keystore.NewProxy([]*keys.ProxySecretKey{sks[1]}, addrs[1], s3)
	if _, err := p3.Answer(ctx, E, seeded(5)); !errors.Is(err, keystore.ErrRevoked) {
		t.Fatalf("revocation lost on restart: %v", err)
	}
	// a revocation seen by another instance on the same store also stops an
	// instance holding the opened fragment in its cache
	g2, _, _ := grantFor(t, 3, 9)
	ref2 := keystore.GrantRef{ChainID: "medex-1", GrantID: 9}
	if err := p3.AddGrant(ref2, g2); err != nil {
		t.Fatal(err)
	}
	ctx.GrantID = 9
	if _, err := p3.Answer(ctx, E, seeded(6)); err != nil {
		t.Fatal(err)
	}
	s4, _ := keystore.NewFileStore(dir)
	if err := s4.Delete(ref2); err != nil {
		t.Fatal(err)
	}
	if _, err := p3.Answer(ctx, E, seeded(7)); !errors.Is(err, keystore.ErrRevoked) {
		t.Fatalf("cached fragment answered after deletion: %v", err)
	}
}

// A fragment not matching the commitments is refused and not stored.
func TestAddGrantRefusesBadFragment(t *testing.T) {
	g, sks, addrs := grantFor(t, 10, 11)
	bad := *g
	bad.Commitments = append([]*group.Element(nil), g.Commitments...)
	bad.Commitments[1] = group.Generator()
	st := keystore.NewMemStore()
	p := keystore.NewProxy([]*keys.ProxySecretKey{sks[2]}, addrs[2], st)
	ref := keystore.GrantRef{ChainID: "medex-1", GrantID: 11}
	if err := p.AddGrant(ref, &bad); !errors.Is(err, pre.ErrFragment) {
		t.Fatalf("bad fragment: %v", err)
	}
	if _, err := st.Get(ref); !errors.Is(err, keystore.ErrNotFound) {
		t.Fatal("bad grant stored")
	}
}

// grantSealedTo is a 2-of-n grant whose fragment i is sealed to sks[i].
func grantSealedTo(t *testing.T, seed, grantID uint64, sks []*keys.ProxySecretKey, addrs [][]byte) *pre.Grant {
	t.Helper()
	rnd := seeded(seed)
	v, _ := keys.GenerateVaultKey(1, rnd)
	r, _ := keys.GenerateRequesterKey(rnd)
	ps := make([]pre.ProxyRecipient, len(sks))
	for i := range sks {
		ps[i] = pre.ProxyRecipient{Address: addrs[i], Key: sks[i].Public()}
	}
	g, err := pre.CreateGrant(v, pre.GrantContext{ChainID: "medex-1", GrantID: grantID, Vault: "vitals", Epoch: 1}, r.Public(), 2, ps, rnd)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// Key epochs: after proxy 0 rotates its HPKE key, a proxy holding the new key
// and the old one opens (and answers for) grants sealed to either, also
// after a restart on the same file store; with the new key alone the grant
// made before the rotation is refused.
func TestEarlierKeysOpenGrantsBeforeRotation(t *testing.T) {
	before, sks, addrs := grantFor(t, 20, 21)
	rotated, _ := keys.GenerateProxyKey(seeded(22))
	after := grantSealedTo(t, 23, 24, []*keys.ProxySecretKey{rotated, sks[1], sks[2]}, addrs)
	refBefore := keystore.GrantRef{ChainID: "medex-1", GrantID: 21}
	refAfter := keystore.GrantRef{ChainID: "medex-1", GrantID: 24}

	if err := keystore.NewProxy([]*keys.ProxySecretKey{rotated}, addrs[0], keystore.NewMemStore()).AddGrant(refBefore, before); !errors.Is(err, pre.ErrFragment) {
		t.Fatalf("the new key alone opened a fragment sealed to the old one: %v", err)
	}

	dir := t.TempDir()
	st, _ := keystore.NewFileStore(dir)
	ring := []*keys.ProxySecretKey{rotated, sks[0]}
	p := keystore.NewProxy(ring, addrs[0], st)
	for _, c := range []struct {
		ref keystore.GrantRef
		g   *pre.Grant
	}{{refBefore, before}, {refAfter, after}} {
		if err := p.AddGrant(c.ref, c.g); err != nil {
			t.Fatalf("grant %d: %v", c.ref.GrantID, err)
		}
	}
	st2, _ := keystore.NewFileStore(dir) // restart: fragments reopen from the store
	p2 := keystore.NewProxy(ring, addrs[0], st2)
	E := []*group.Element{new(group.Element).BaseMul(group.ScalarFromUint64(77))}
	for _, c := range []struct {
		ref keystore.GrantRef
		g   *pre.Grant
	}{{refBefore, before}, {refAfter, after}} {
		ctx := pre.AnswerContext{ChainID: "medex-1", GrantID: c.ref.GrantID, TaskID: 1, RecordID: 1, Capsules: 1, Proxy: addrs[0]}
		a, err := p2.Answer(ctx, E, seeded(25))
		if err != nil {
			t.Fatalf("grant %d after restart: %v", c.ref.GrantID, err)
		}
		vk, _ := pre.NewVerificationKey(c.g.Commitments, "medex-1", c.ref.GrantID, addrs[0])
		if err := pre.VerifyAnswer(vk, ctx, E, a); err != nil {
			t.Fatalf("grant %d: answer does not verify: %v", c.ref.GrantID, err)
		}
	}
}
