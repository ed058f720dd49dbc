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
type Proxy struct {
	sk      *keys.ProxySecretKey
	address []byte
	store   Store

	mu    sync.Mutex
	cache map[GrantRef]*pre.Fragment
}

// NewProxy returns a proxy with HPKE key sk, raw account address addr and
// fragment store st.
func NewProxy(sk *keys.ProxySecretKey, addr []byte, st Store) *Proxy {
	return &Proxy{sk: sk, address: append([]byte(nil), addr...), store: st, cache: map[GrantRef]*pre.Fragment{}}
}

// Address is the proxy's raw account address.
func (p *Proxy) Address() []byte { return append([]byte(nil), p.address...) }

// AddGrant opens and checks this proxy's fragment of g against the
// commitments (pre.ErrFragment if it does not open or match; nothing is
// stored then) and stores the grant. ErrRevoked if the grant was deleted
// before.
func (p *Proxy) AddGrant(ref GrantRef, g *pre.Grant) error {
	f, err := pre.OpenFragment(p.sk, ref.ChainID, ref.GrantID, p.address, g)
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
	f, err := pre.OpenFragment(p.sk, ref.ChainID, ref.GrantID, p.address, g)
	if err != nil {
		return nil, err
	}
	p.cache[ref] = f
	return f, nil
}

// Answer re-encrypts capsule E (read from the proxy's own node state) for
// the task ctx. ErrNotFound or ErrRevoked when the proxy holds no fragment
// for the grant.
func (p *Proxy) Answer(ctx pre.AnswerContext, E *group.Element, rnd io.Reader) (*pre.Answer, error) {
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
