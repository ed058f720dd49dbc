package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
)

// refIndex is a collections.Index that maps one value to any number of
// reference keys: none (a grant that waits in no expiry queue, a closed task),
// one (a grant's patient), or several (a grant names every proxy of its
// committee). collections/indexes.Multi maps a value to exactly one key, which
// fits none of these, so this small type is written here; the IndexedMap that
// owns it still maintains it on every Set and Remove, so no write site and no
// genesis import touches an index by hand.
type refIndex[K, PK, V any] struct {
	collections.KeySet[K]
	refs func(pk PK, v V) ([]K, error)
}

func newRefIndex[K, PK, V any](sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	kc collcodec.KeyCodec[K], refs func(pk PK, v V) ([]K, error),
) *refIndex[K, PK, V] {
	return &refIndex[K, PK, V]{
		KeySet: collections.NewKeySet(sb, prefix, name, kc, collections.WithKeySetSecondaryIndex()),
		refs:   refs,
	}
}

// Reference implements collections.Index: keys of the old value that the new
// value no longer has are removed, new ones are set, and keys in both are left
// alone (rewriting them would charge gas for nothing).
func (i *refIndex[K, PK, V]) Reference(ctx context.Context, pk PK, v V, lazyOld func() (V, error)) error {
	fresh, err := i.refs(pk, v)
	if err != nil {
		return err
	}
	var stale []K
	switch old, err := lazyOld(); {
	case err == nil:
		if stale, err = i.refs(pk, old); err != nil {
			return err
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	staleEnc, err := i.encodeAll(stale)
	if err != nil {
		return err
	}
	freshEnc, err := i.encodeAll(fresh)
	if err != nil {
		return err
	}
	for _, k := range fresh {
		if enc, _ := i.encode(k); !staleEnc[enc] {
			if err := i.Set(ctx, k); err != nil {
				return err
			}
		}
	}
	for _, k := range stale {
		if enc, _ := i.encode(k); !freshEnc[enc] {
			if err := i.Remove(ctx, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// Unreference implements collections.Index.
func (i *refIndex[K, PK, V]) Unreference(ctx context.Context, pk PK, lazyOld func() (V, error)) error {
	old, err := lazyOld()
	if err != nil {
		return err
	}
	stale, err := i.refs(pk, old)
	if err != nil {
		return err
	}
	for _, k := range stale {
		if err := i.Remove(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// encode is the key's store encoding, used only to compare keys.
func (i *refIndex[K, PK, V]) encode(k K) (string, error) {
	kc := i.KeyCodec()
	buf := make([]byte, kc.Size(k))
	n, err := kc.Encode(buf, k)
	return string(buf[:n]), err
}

// encodeAll is the set of the keys' encodings; an error is a key the codec
// cannot encode.
func (i *refIndex[K, PK, V]) encodeAll(keys []K) (map[string]bool, error) {
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		enc, err := i.encode(k)
		if err != nil {
			return nil, err
		}
		set[enc] = true
	}
	return set, nil
}

// sharedOld runs several indexes of one IndexedMap with one read of the old
// value: IndexedMap hands every index its own lazy getter, so with n indexes
// each Set would read (and charge gas for) the stored value n times.
type sharedOld[PK, V any] []collections.Index[PK, V]

func (s sharedOld[PK, V]) Reference(ctx context.Context, pk PK, v V, lazyOld func() (V, error)) error {
	old := once(lazyOld)
	for _, idx := range s {
		if err := idx.Reference(ctx, pk, v, old); err != nil {
			return err
		}
	}
	return nil
}

func (s sharedOld[PK, V]) Unreference(ctx context.Context, pk PK, lazyOld func() (V, error)) error {
	old := once(lazyOld)
	for _, idx := range s {
		if err := idx.Unreference(ctx, pk, old); err != nil {
			return err
		}
	}
	return nil
}

func once[V any](get func() (V, error)) func() (V, error) {
	var (
		v    V
		err  error
		done bool
	)
	return func() (V, error) {
		if !done {
			v, err = get()
			done = true
		}
		return v, err
	}
}
