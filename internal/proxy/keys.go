package proxy

import (
	"bytes"

	"github.com/medexchain/medexchain/x/phr/crypto/keys"
)

// AdmittedKey is the index in sks (the daemon's HPKE keys: current first,
// then the earlier ones, newest first) of the key the chain has admitted
// the proxy with, or -1. Fragments of new grants are sealed to that key, so
// a daemon holding none of them could open none (and would refuse every
// grant as if its fragment were bad). Index 0 is the normal case; a larger
// one means the operator started the daemon with a new key before the
// rotation tx (MsgUpdateMemberKey) landed, which is the gapless order.
func AdmittedKey(onChain []byte, sks []*keys.ProxySecretKey) int {
	for i, sk := range sks {
		if bytes.Equal(onChain, sk.Public().Bytes()) {
			return i
		}
	}
	return -1
}
