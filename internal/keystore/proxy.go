package keystore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// Proxy answers re-encryption tasks for the grants in its store. Opened
// fragments are cached in memory and erased on Revoke.
//
// Key epochs: a proxy that rotates its HPKE key (MsgUpdateMemberKey) keeps
// its earlier keys, because the fragments of grants made before the rotation
// stay sealed to the key that was on chain then, and a grant never changes.
// A sealed fragment does not say which key it was sealed to (the HPKE
// encapsulation hides the recipient), so Proxy tries each key, newest first:
// a key that does not open it fails the AEAD check, cheaply and without
// ambiguity, before the next is tried.
type Proxy struct {
	sks     []*keys.ProxySecretKey // newest first
	address []byte
	store   Store

	mu    sync.Mutex
	cache map[GrantRef]*pre.Fragment
}

// NewProxy returns a proxy with raw account address addr, fragment store st
// and HPKE keys sks: the current key first, then the earlier ones, newest
// first.
func NewProxy(sks []*keys.ProxySecretKey, addr []byte, st Store) *Proxy {
	return &Proxy{sks: append([]*keys.ProxySecretKey(nil), sks...), address: append([]byte(nil), addr...), store: st, cache: map[GrantRef]*pre.Fragment{}}
}

// open opens this proxy's fragment of g with the first of its keys that
// opens it and matches the commitments; the error of the current key if none
// does.
func (p *Proxy) open(ref GrantRef, g *pre.Grant) (*pre.Fragment, error) {
	var first error
	for _, sk := range p.sks {
		f, err := pre.OpenFragment(sk, ref.ChainID, ref.GrantID, p.address, g)
		if err == nil {
			return f, nil
		}
		if first == nil {
			first = err
		}
	}
	if first == nil {
		first = fmt.Errorf("%w: no proxy key", pre.ErrFragment)
	}
	return nil, first
}

// Address is the proxy's raw account address.
func (p *Proxy) Address() []byte { return append([]byte(nil), p.address...) }

// AddGrant opens this proxy's fragment of g with one of its keys, checks it
// against the commitments (pre.ErrFragment if no key opens it or it does
// not match; nothing is stored then) and stores the grant. ErrRevoked if the
// grant was deleted before.
func (p *Proxy) AddGrant(ref GrantRef, g *pre.Grant) error {
	f, err := p.open(ref, g)
	if err != nil {
		return err
	}
	if err := p.store.Put(ref, g.Bytes()); err != nil {
		f.Erase()
		return err
	}
	p.mu.Lock()
	if old := p.cache[ref]; old != nil {
		old.Erase()
	}
	p.cache[ref] = f
	p.mu.Unlock()
	return nil
}

// fragment returns the opened fragment of ref, from the cache or the store.
func (p *Proxy) fragment(ref GrantRef) (*pre.Fragment, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	gb, err := p.store.Get(ref) // the store is the authority: a deleted grant is gone
	if err != nil {
		if f := p.cache[ref]; f != nil {
			f.Erase()
			delete(p.cache, ref)
		}
		return nil, err
	}
	if f := p.cache[ref]; f != nil {
		return f, nil
	}
	g, err := pre.DecodeGrant(gb)
	if err != nil {
		return nil, err
	}
	f, err := p.open(ref, g)
	if err != nil {
		return nil, err
	}
	p.cache[ref] = f
	return f, nil
}

// Answer re-encrypts the capsules' first elements E (read from the proxy's
// own node state, in capsule order) for the task ctx: one answer over all of
// them. ErrNotFound or ErrRevoked when the proxy holds no fragment for the
// grant.
func (p *Proxy) Answer(ctx pre.AnswerContext, E []*group.Element, rnd io.Reader) (*pre.Answer, error) {
	if !bytes.Equal(ctx.Proxy, p.address) {
		return nil, fmt.Errorf("%w: task is for another proxy", pre.ErrContext)
	}
	f, err := p.fragment(GrantRef{ChainID: ctx.ChainID, GrantID: ctx.GrantID})
	if err != nil {
		return nil, err
	}
	return f.Answer(ctx, E, rnd)
}

// Has reports whether the proxy can answer for ref.
func (p *Proxy) Has(ref GrantRef) bool {
	_, err := p.fragment(ref)
	return err == nil
}

// Revoke deletes the grant's fragment (store entry and cached opened
// fragment, erased) and leaves a tombstone.
func (p *Proxy) Revoke(ref GrantRef) error {
	p.mu.Lock()
	if f := p.cache[ref]; f != nil {
		f.Erase()
		delete(p.cache, ref)
	}
	p.mu.Unlock()
	if err := p.store.Delete(ref); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}
