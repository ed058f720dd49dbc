package pre

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/envelope"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// The known-answer file of the suite: every value another implementation
// must reproduce byte for byte, from fixed inputs. The randomness each step
// consumed is recorded ("rand"), in the order it was read, so a replay
// needs no particular generator: feed those bytes as the step's random
// source. Regenerate only for a deliberate change of the suite:
//
//	go test ./x/phr/crypto/pre -run TestKnownAnswers -update
var updateKAT = flag.Bool("update", false, "rewrite testdata/vectors-v1.json from the implementation")

const katFile = "testdata/vectors-v1.json"

type hexBytes []byte

func (h hexBytes) MarshalJSON() ([]byte, error) { return json.Marshal(hex.EncodeToString(h)) }

type katH2S struct {
	Tag    string     `json:"tag"`
	DST    string     `json:"dst"`
	Fields []hexBytes `json:"fields"`
	Msg    hexBytes   `json:"msg"`
	Scalar hexBytes   `json:"scalar"`
}

type katBodyKey struct {
	M hexBytes `json:"M"`
	K hexBytes `json:"K"`
}

type katKeys struct {
	VaultEpoch     uint64     `json:"vault_epoch"`
	VaultRand      hexBytes   `json:"vault_rand"`
	VaultSecret    hexBytes   `json:"vault_secret_a"`
	VaultPublic    hexBytes   `json:"vault_public_A"`
	RequesterRand  hexBytes   `json:"requester_rand"`
	RequesterB     hexBytes   `json:"requester_public_B"`
	DeviceSeed     hexBytes   `json:"device_ed25519_seed"`
	DevicePublic   hexBytes   `json:"device_ed25519_public"`
	ProxyAddresses []hexBytes `json:"proxy_addresses"`
	ProxySecrets   []hexBytes `json:"proxy_x25519_secrets"`
	ProxyPublics   []hexBytes `json:"proxy_x25519_publics"`
}

type katCapsule struct {
	Envelope   hexBytes `json:"envelope"`
	Rand       hexBytes `json:"rand"`
	M          hexBytes `json:"M"`
	E          hexBytes `json:"E"`
	F          hexBytes `json:"F"`
	BodyKey    hexBytes `json:"body_key"`
	Body       hexBytes `json:"body"`
	Ciphertext hexBytes `json:"ciphertext"`
}

type katGrant struct {
	ChainID     string     `json:"chain_id"`
	GrantID     uint64     `json:"grant_id"`
	Vault       string     `json:"vault"`
	Epoch       uint64     `json:"epoch"`
	Threshold   int        `json:"threshold"`
	Rand        hexBytes   `json:"rand"`
	X           hexBytes   `json:"X"`
	D           hexBytes   `json:"d"`
	Commitments []hexBytes `json:"commitments"`
	IDs         []hexBytes `json:"ids"`
	Fragments   []hexBytes `json:"fragments_k"`
	V           []hexBytes `json:"verification_keys_V"`
	Sealed      []hexBytes `json:"sealed_fragments"`
	Encoding    hexBytes   `json:"encoding"`
}

// katAnswer is one answer over all capsules of the record: E_i,j per
// capsule j and one batch proof.
type katAnswer struct {
	Proxy    int        `json:"proxy"`
	TaskID   uint64     `json:"task_id"`
	RecordID uint64     `json:"record_id"`
	Capsules uint32     `json:"capsules"`
	DST      hexBytes   `json:"dst"`
	E        []hexBytes `json:"E"`
	Rand     hexBytes   `json:"rand"`
	Ei       []hexBytes `json:"E_i"`
	C        hexBytes   `json:"proof_c"`
	S        hexBytes   `json:"proof_s"`
	Encoding hexBytes   `json:"encoding"`
}

// katCombine is the combination per capsule j: E'_j, the first-level
// capsule and A^{r_j}.
type katCombine struct {
	IDs        []hexBytes `json:"ids"`
	Lambdas    []hexBytes `json:"lagrange_at_zero"`
	EPrime     []hexBytes `json:"E_prime"`
	FirstLevel []hexBytes `json:"first_level"`
	Ar         []hexBytes `json:"A_r"`
}

type kat struct {
	Suite    string       `json:"suite"`
	Encoding string       `json:"encoding"`
	H2S      []katH2S     `json:"h2s"`
	BodyKey  []katBodyKey `json:"body_key"`
	Keys     katKeys      `json:"keys"`
	Capsule  katCapsule   `json:"capsule"`
	Layer    katLayer     `json:"layer"`
	Grant    katGrant     `json:"grant"`
	Answers  []katAnswer  `json:"answers"`
	Combine  katCombine   `json:"combine"`
}

// katLayer is the second capsule added to the record of katCapsule
// (AddLayer, as the edge firewall does): the answers cover both.
type katLayer struct {
	Rand       hexBytes `json:"rand"`
	E          hexBytes `json:"E"`
	F          hexBytes `json:"F"`
	Body       hexBytes `json:"body"`
	Ciphertext hexBytes `json:"ciphertext"`
}

// recorder passes a seeded stream through and keeps what each step read.
type recorder struct {
	r   io.Reader
	buf []byte
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.buf = append(r.buf, p[:n]...)
	return n, err
}

// take returns what was read since the last take.
func (r *recorder) take() hexBytes {
	b := r.buf
	r.buf = nil
	return b
}

func h2sVector(tag string, fields ...[]byte) katH2S {
	v := katH2S{Tag: tag, DST: group.DSTPrefix + tag, Scalar: group.H2S(tag, fields...).Bytes()}
	for _, f := range fields {
		v.Fields = append(v.Fields, f)
		v.Msg = append(v.Msg, group.U32(uint32(len(f)))...)
		v.Msg = append(v.Msg, f...)
	}
	return v
}

func hexList[T interface{ Bytes() []byte }](xs []T) []hexBytes {
	out := make([]hexBytes, len(xs))
	for i, x := range xs {
		out[i] = x.Bytes()
	}
	return out
}

// buildKAT computes every vector from seed 0x5eed (ChaCha8, testrand).
func buildKAT(t *testing.T) *kat {
	t.Helper()
	rnd := &recorder{r: testrand.New(0x5eed)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	const chainID, vaultName = "medex-1", "vitals"
	const epoch, grantID = 1, 7
	k := &kat{Suite: group.Suite,
		Encoding: "hex; scalars 32-byte little-endian, elements 32-byte ristretto255 (RFC 9496), integers in H2S fields big-endian; " +
			"every fresh scalar is 64 bytes of its step's rand reduced mod q (redrawn if zero)"}

	// keys
	vault, err := keys.GenerateVaultKey(epoch, rnd)
	must(err)
	k.Keys = katKeys{VaultEpoch: epoch, VaultRand: rnd.take(), VaultSecret: vault.Scalar().Bytes(), VaultPublic: vault.Public().Bytes()}
	req, err := keys.GenerateRequesterKey(rnd)
	must(err)
	k.Keys.RequesterRand, k.Keys.RequesterB = rnd.take(), req.Public().Bytes()
	dev, err := keys.GenerateDeviceKey(rnd)
	must(err)
	k.Keys.DeviceSeed, k.Keys.DevicePublic = rnd.take(), hexBytes(dev.Public().Key)
	var proxies []ProxyRecipient
	var psks []*keys.ProxySecretKey
	for i := 0; i < 3; i++ {
		sk, err := keys.GenerateProxyKey(rnd)
		must(err)
		addr := []byte(fmt.Sprintf("medex-proxy-addr-%03d", i))[:20]
		psks = append(psks, sk)
		proxies = append(proxies, ProxyRecipient{Address: addr, Key: sk.Public()})
		k.Keys.ProxyAddresses = append(k.Keys.ProxyAddresses, addr)
		k.Keys.ProxySecrets = append(k.Keys.ProxySecrets, rnd.take())
		k.Keys.ProxyPublics = append(k.Keys.ProxyPublics, sk.Public().Bytes())
	}

	// capsule and body of one envelope
	meta := &envelope.Meta{ChainID: chainID, Patient: bytes.Repeat([]byte{0x42}, 20), Vault: vaultName, Epoch: epoch,
		DeviceID: "pulse-ox-0001", Sequence: 1, EffectiveTime: time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)}
	env, err := envelope.Seal(meta, []byte(`{"resourceType":"Observation","status":"final","valueQuantity":{"value":97,"unit":"%"}}`), dev.Key)
	must(err)
	ct, err := Seal(vault.Public(), env, rnd)
	must(err)
	c := ct.Capsules[0]
	Ea := new(group.Element).Mul(c.E, vault.Scalar())
	M := new(group.Element).Sub(c.F, Ea)
	K := BodyKey(M)
	k.Capsule = katCapsule{Envelope: env, Rand: rnd.take(), M: M.Bytes(), E: c.E.Bytes(), F: c.F.Bytes(),
		BodyKey: K[:], Body: append(hexBytes(nil), ct.Body...), Ciphertext: ct.Bytes()} // AddLayer below rewrites the body in place
	k.BodyKey = []katBodyKey{{M: M.Bytes(), K: K[:]}, {M: group.Generator().Bytes(), K: func() []byte { k := BodyKey(group.Generator()); return k[:] }()}}

	// grant
	gctx := GrantContext{ChainID: chainID, GrantID: grantID, Vault: vaultName, Epoch: epoch}
	g, err := CreateGrant(vault, gctx, req.Public(), 2, proxies, rnd)
	must(err)
	gk, err := DeriveGrantKey(req, gctx, vault.Public(), g)
	must(err)
	k.Grant = katGrant{ChainID: chainID, GrantID: grantID, Vault: vaultName, Epoch: epoch, Threshold: g.Threshold,
		Rand: rnd.take(), X: g.X.Bytes(), D: gk.d.Bytes(), Commitments: hexList(g.Commitments), Encoding: g.Bytes()}
	var frags []*Fragment
	for i, p := range proxies {
		f, err := OpenFragment(psks[i], chainID, grantID, p.Address, g)
		must(err)
		frags = append(frags, f)
		k.Grant.IDs = append(k.Grant.IDs, f.Key.ID.Bytes())
		k.Grant.Fragments = append(k.Grant.Fragments, f.k.Bytes())
		k.Grant.V = append(k.Grant.V, f.Key.V.Bytes())
		k.Grant.Sealed = append(k.Grant.Sealed, g.Fragments[i].Sealed)
	}

	// H2S, one vector per tag of the suite
	Bx := new(group.Element).Mul(g.X, req.Scalar())
	k.H2S = []katH2S{
		h2sVector("id", []byte(chainID), group.U64(grantID), proxies[0].Address),
		h2sVector("d", []byte(group.Suite), []byte(chainID), group.U64(grantID), []byte(vaultName), group.U64(epoch),
			vault.Public().Bytes(), g.X.Bytes(), req.Public().Bytes(), Bx.Bytes()),
		h2sVector("chain-rerand", bytes.Repeat([]byte{0x01}, 32), bytes.Repeat([]byte{0x02}, 32), group.U32(0), group.U32(1)),
	}

	// a second capsule (drawn after the grant, so that the vectors before it
	// keep their randomness)
	must(AddLayer(ct, vault.Public(), rnd))
	k.Layer = katLayer{Rand: rnd.take(), E: ct.Capsules[1].E.Bytes(), F: ct.Capsules[1].F.Bytes(),
		Body: append(hexBytes(nil), ct.Body...), Ciphertext: ct.Bytes()}

	// answers of proxies 2 and 0 (out of order: the combination sorts by id)
	E := []*group.Element{ct.Capsules[0].E, ct.Capsules[1].E}
	verified := make([][]VerifiedAnswer, len(E))
	for _, i := range []int{2, 0} {
		actx := AnswerContext{ChainID: chainID, GrantID: grantID, TaskID: 11, RecordID: 3, Capsules: uint32(len(E)), Proxy: proxies[i].Address}
		a, err := frags[i].Answer(actx, E, rnd)
		must(err)
		must(VerifyAnswer(frags[i].Key, actx, E, a))
		k.Answers = append(k.Answers, katAnswer{Proxy: i, TaskID: actx.TaskID, RecordID: actx.RecordID, Capsules: actx.Capsules,
			DST: AnswerDST(&actx), E: hexList(E), Rand: rnd.take(), Ei: hexList(a.Ei), C: a.C.Bytes(), S: a.S.Bytes(), Encoding: a.Bytes()})
		for j := range E {
			verified[j] = append(verified[j], VerifiedAnswer{ID: frags[i].Key.ID, Ei: a.Ei[j]})
		}
	}

	// combination E'_j = Π E_i,j^{λ_i} per capsule and the requester's
	// A^{r_j} = E'_j^d
	ids := []*group.Scalar{verified[0][0].ID, verified[0][1].ID}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Less(ids[j]) })
	k.Combine = katCombine{IDs: hexList(ids), Lambdas: hexList(lagrangeAtZero(ids))}
	var fls []*FirstLevel
	for j, c := range ct.Capsules {
		EPrime, err := Combine(2, verified[j])
		must(err)
		fl := NewFirstLevel(c, EPrime, g.X)
		fls = append(fls, fl)
		k.Combine.EPrime = append(k.Combine.EPrime, EPrime.Bytes())
		k.Combine.FirstLevel = append(k.Combine.FirstLevel, fl.Bytes())
		k.Combine.Ar = append(k.Combine.Ar, new(group.Element).Mul(EPrime, gk.d).Bytes())
	}

	// the vectors are a working record: the requester and the owner open it
	if _, err := gk.Open(fls, ct.Body, dev.Public().Key); err != nil {
		t.Fatalf("requester cannot open the vector record: %v", err)
	}
	if _, err := OpenOwner(vault, ct, dev.Public().Key); err != nil {
		t.Fatalf("owner cannot open the vector record: %v", err)
	}
	return k
}

// TestKnownAnswers recomputes the suite's vectors from their fixed seeds
// and compares them with the frozen file, so a change of any derivation,
// encoding, transcript or randomness order shows here.
func TestKnownAnswers(t *testing.T) {
	got, err := json.MarshalIndent(buildKAT(t), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *updateKAT {
		if err := os.WriteFile(katFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", katFile)
		return
	}
	want, err := os.ReadFile(katFile)
	if err != nil {
		t.Fatalf("%v (generate it with -update)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: %v", katFile, err)
	}
	t.Fatalf("known answers differ from %s at %s", katFile, firstDiff("", g, w))
}

// firstDiff names the first JSON path where a and b differ.
func firstDiff(path string, a, b any) string {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return path
		}
		keys := make([]string, 0, len(av))
		for k := range av {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !reflect.DeepEqual(av[k], bv[k]) {
				return firstDiff(path+"."+k, av[k], bv[k])
			}
		}
		if len(av) != len(bv) {
			return path + " (keys)"
		}
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return path + " (length)"
		}
		for i := range av {
			if !reflect.DeepEqual(av[i], bv[i]) {
				return firstDiff(fmt.Sprintf("%s[%d]", path, i), av[i], bv[i])
			}
		}
	}
	return fmt.Sprintf("%s: got %v, want %v", path, a, b)
}
