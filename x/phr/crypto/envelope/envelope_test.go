package envelope

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/medexchain/medexchain/x/phr/crypto/internal/testrand"
)

func testMeta() *Meta {
	return &Meta{ChainID: "medex-1", Patient: bytes.Repeat([]byte{1}, 20), Vault: "vitals", Epoch: 2,
		DeviceID: "dev-1", Sequence: 17, EffectiveTime: time.Unix(1700000000, 123456789).UTC()}
}

func testKey(t *testing.T, seed uint64) ed25519.PrivateKey {
	t.Helper()
	_, sk, err := ed25519.GenerateKey(testrand.New(seed))
	if err != nil {
		t.Fatal(err)
	}
	return sk
}

func TestSealOpenRoundTripAndBuckets(t *testing.T) {
	sk := testKey(t, 1)
	pk := sk.Public().(ed25519.PublicKey)
	mb, _ := MarshalMeta(testMeta())
	over := fixedOverhead + len(mb)
	for _, b := range Buckets {
		for _, n := range []int{b - over - 1, b - over} {
			if n < 0 {
				continue
			}
			payload := bytes.Repeat([]byte{'x'}, n)
			env, err := Seal(testMeta(), payload, sk)
			if err != nil {
				t.Fatal(err)
			}
			if len(env) != b {
				t.Fatalf("payload %d: envelope %d, want bucket %d", n, len(env), b)
			}
			got, err := Open(env, pk)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Payload, payload) || got.Meta.Sequence != 17 || !got.Meta.EffectiveTime.Equal(testMeta().EffectiveTime) {
				t.Fatal("round trip mismatch")
			}
		}
		// one byte more goes to the next bucket (or is too large)
		env, err := Seal(testMeta(), bytes.Repeat([]byte{'x'}, b-over+1), sk)
		if b == MaxSize {
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("want ErrTooLarge, got %v", err)
			}
		} else if err != nil || len(env) <= b {
			t.Fatalf("overflow of bucket %d: %d %v", b, len(env), err)
		}
	}
}

func TestOpenRefusesEveryTamperedByteWithOneError(t *testing.T) {
	sk := testKey(t, 2)
	pk := sk.Public().(ed25519.PublicKey)
	env, err := Seal(testMeta(), []byte(`{"resourceType":"Observation"}`), sk)
	if err != nil {
		t.Fatal(err)
	}
	for i := range env {
		for _, bit := range []byte{0x01, 0x80} {
			bad := append([]byte(nil), env...)
			bad[i] ^= bit
			if _, err := Open(bad, pk); err != ErrOpen {
				t.Fatalf("byte %d bit %x: got %v, want ErrOpen", i, bit, err)
			}
		}
	}
	other := testKey(t, 3).Public().(ed25519.PublicKey)
	for name, c := range map[string]struct {
		raw []byte
		pk  ed25519.PublicKey
	}{
		"wrong key":    {env, other},
		"truncated":    {env[:len(env)-1], pk},
		"extended":     {append(append([]byte(nil), env...), 0), pk},
		"short key":    {env, pk[:31]},
		"empty":        {nil, pk},
		"non-bucket":   {make([]byte, 600), pk},
		"zero bucket":  {make([]byte, 512), pk},
		"nil key":      {env, nil},
		"second half":  {env[len(env)/2:], pk},
		"other bucket": {append(append([]byte(nil), env...), make([]byte, 2048-len(env))...), pk},
	} {
		if _, err := Open(c.raw, c.pk); err != ErrOpen {
			t.Fatalf("%s: got %v, want ErrOpen", name, err)
		}
	}
}

func TestSignatureCheckedBeforeParsing(t *testing.T) {
	sk := testKey(t, 4)
	pk := sk.Public().(ed25519.PublicKey)
	parsed := 0
	parseHook = func() { parsed++ }
	defer func() { parseHook = func() {} }()

	env, _ := Seal(testMeta(), []byte("{}"), sk)
	bad := append([]byte(nil), env...)
	bad[3] ^= 0xff // breaks the meta length: would fail parsing too
	if _, err := Open(bad, pk); err != ErrOpen || parsed != 0 {
		t.Fatalf("bad signature: err %v, parsed %d times (want 0)", err, parsed)
	}
	// A correctly signed but unparseable envelope is parsed, then refused.
	u := &Unsigned{buf: make([]byte, 512)}
	u.buf[0], u.buf[1] = 0xff, 0xff // version 65535
	raw, _ := u.Finish(ed25519.Sign(sk, u.Message()))
	if _, err := Open(raw, pk); err != ErrOpen || parsed != 1 {
		t.Fatalf("signed garbage: err %v, parsed %d (want 1)", err, parsed)
	}
	if _, err := Open(env, pk); err != nil || parsed != 2 {
		t.Fatalf("good envelope: %v", err)
	}
}

func TestOpenRefusesSignedNonZeroPaddingAndBadLayout(t *testing.T) {
	sk := testKey(t, 5)
	pk := sk.Public().(ed25519.PublicKey)
	mk := func(edit func(b []byte)) []byte {
		u, err := Prepare(testMeta(), []byte("{}"))
		if err != nil {
			t.Fatal(err)
		}
		edit(u.buf)
		raw, _ := u.Finish(ed25519.Sign(sk, u.Message()))
		return raw
	}
	if _, err := Open(mk(func(b []byte) {}), pk); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(b []byte){
		"padding byte": func(b []byte) { b[len(b)-SigSize-1] = 1 },
		"version 2":    func(b []byte) { b[1] = 2 },
		"meta len":     func(b []byte) { b[5]++ },
		"payload len":  func(b []byte) { b[2+4+metaLen(t)] = 0x01 },
	}
	for name, edit := range cases {
		if _, err := Open(mk(edit), pk); err != ErrOpen {
			t.Fatalf("%s: got %v", name, err)
		}
	}
	// signing context: a signature over the bytes without the context fails
	u, _ := Prepare(testMeta(), []byte("{}"))
	raw, _ := u.Finish(ed25519.Sign(sk, u.buf[:len(u.buf)-SigSize]))
	if _, err := Open(raw, pk); err != ErrOpen {
		t.Fatal("signature without context accepted")
	}
}

func TestMetaStrict(t *testing.T) {
	mb, err := MarshalMeta(testMeta())
	if err != nil {
		t.Fatal(err)
	}
	m, err := UnmarshalMeta(mb)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := MarshalMeta(m)
	if !bytes.Equal(again, mb) {
		t.Fatal("meta not canonical")
	}
	if _, err := UnmarshalMeta(append(mb, 0)); err == nil {
		t.Fatal("trailing byte accepted")
	}
	if _, err := UnmarshalMeta(mb[:len(mb)-1]); err == nil {
		t.Fatal("short meta accepted")
	}
	bad := append([]byte(nil), mb...)
	bad[4] = 'X' // suite name changed
	if _, err := UnmarshalMeta(bad); err == nil {
		t.Fatal("foreign suite accepted")
	}
	for name, edit := range map[string]func(*Meta){
		"empty chain":   func(m *Meta) { m.ChainID = "" },
		"control char":  func(m *Meta) { m.Vault = "a\nb" },
		"long device":   func(m *Meta) { m.DeviceID = strings.Repeat("d", MaxStringLen+1) },
		"no patient":    func(m *Meta) { m.Patient = nil },
		"long patient":  func(m *Meta) { m.Patient = make([]byte, MaxPatientLen+1) },
		"invalid utf-8": func(m *Meta) { m.DeviceID = "\xff" },
	} {
		m := testMeta()
		edit(m)
		if _, err := MarshalMeta(m); !errors.Is(err, ErrMeta) {
			t.Fatalf("%s: got %v", name, err)
		}
	}
}

func metaLen(t *testing.T) int {
	mb, err := MarshalMeta(testMeta())
	if err != nil {
		t.Fatal(err)
	}
	return len(mb)
}
