package cryptotest

import (
	"fmt"
	"io"
	"testing"

	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// ProxyAddress is proxy i's raw account address: 20 bytes, the size of a
// Cosmos account address.
func ProxyAddress(i int) []byte { return []byte(fmt.Sprintf("medex-proxy-addr-%03d", i))[:20] }

// Committee is a t-of-n grant of a vault to a requester with every proxy's
// key, opened fragment and verification key: the grant path a test or
// benchmark needs without a chain.
type Committee struct {
	Ctx     pre.GrantContext
	T       int
	Proxies []pre.ProxyRecipient
	Keys    []*keys.ProxySecretKey
	Grant   *pre.Grant
	Frags   []*pre.Fragment
	VKs     []*pre.VerificationKey
}

// NewCommittee draws n proxy keys from rnd, grants vault (of ctx) to the
// requester with threshold t, and opens every fragment. Randomness is read
// in that order: the proxy keys, then the grant.
func NewCommittee(tb testing.TB, vault *keys.VaultSecretKey, requester *keys.RequesterPublicKey, ctx pre.GrantContext, t, n int, rnd io.Reader) *Committee {
	tb.Helper()
	c := &Committee{Ctx: ctx, T: t}
	for i := 0; i < n; i++ {
		sk, err := keys.GenerateProxyKey(rnd)
		if err != nil {
			tb.Fatal(err)
		}
		c.Keys = append(c.Keys, sk)
		c.Proxies = append(c.Proxies, pre.ProxyRecipient{Address: ProxyAddress(i), Key: sk.Public()})
	}
	var err error
	if c.Grant, err = pre.CreateGrant(vault, ctx, requester, t, c.Proxies, rnd); err != nil {
		tb.Fatal(err)
	}
	for i, p := range c.Proxies {
		f, err := pre.OpenFragment(c.Keys[i], ctx.ChainID, ctx.GrantID, p.Address, c.Grant)
		if err != nil {
			tb.Fatal(err)
		}
		vk, err := pre.NewVerificationKey(c.Grant.Commitments, ctx.ChainID, ctx.GrantID, p.Address)
		if err != nil {
			tb.Fatal(err)
		}
		c.Frags, c.VKs = append(c.Frags, f), append(c.VKs, vk)
	}
	return c
}

// AnswerContext is proxy i's answer context for a record's task over n
// capsules.
func (c *Committee) AnswerContext(i int, taskID, recordID uint64, n int) pre.AnswerContext {
	return pre.AnswerContext{ChainID: c.Ctx.ChainID, GrantID: c.Ctx.GrantID, TaskID: taskID, RecordID: recordID,
		Capsules: uint32(n), Proxy: c.Proxies[i].Address}
}

// Submissions returns the first t proxies' answers, each over all capsules
// of a record, for a task, proof nonces from rnd.
func (c *Committee) Submissions(tb testing.TB, capsules []*pre.Capsule, taskID, recordID uint64, rnd io.Reader) []Submission {
	tb.Helper()
	E := CapsuleEs(capsules)
	subs := make([]Submission, 0, c.T)
	for i := 0; i < c.T; i++ {
		actx := c.AnswerContext(i, taskID, recordID, len(E))
		a, err := c.Frags[i].Answer(actx, E, rnd)
		if err != nil {
			tb.Fatal(err)
		}
		subs = append(subs, Submission{Key: c.VKs[i], Ctx: actx, Answer: a})
	}
	return subs
}

// FirstLevel re-encrypts every capsule of a record for the requester, as
// the chain does for a task: t answers with one batch proof each, verified
// and combined per capsule.
func (c *Committee) FirstLevel(tb testing.TB, capsules []*pre.Capsule, taskID, recordID uint64, rnd io.Reader) []*pre.FirstLevel {
	tb.Helper()
	Ep, err := VerifyAndCombine(c.T, CapsuleEs(capsules), c.Submissions(tb, capsules, taskID, recordID, rnd))
	if err != nil {
		tb.Fatal(err)
	}
	fls := make([]*pre.FirstLevel, len(capsules))
	for j, capsule := range capsules {
		fls[j] = pre.NewFirstLevel(capsule, Ep[j], c.Grant.X)
	}
	return fls
}
