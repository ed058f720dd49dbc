package malformed

import (
	"github.com/medexchain/medexchain/x/phr/crypto/crf"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
)

// Decode decodes b as obj with the chain's own decoder and returns its
// error: what a case's Claim is checked against.
func Decode(obj Object, b []byte) error {
	var err error
	switch obj {
	case ObjElement:
		_, err = group.DecodeElement(b)
	case ObjCapsule:
		_, err = pre.DecodeCapsule(b)
	case ObjDeviceKey:
		_, err = keys.DecodeDevicePublicKey(b)
	case ObjProxyKey:
		_, err = keys.DecodeProxyPublicKey(b)
	case ObjKeyGrant:
		_, err = pre.DecodeGrant(b)
	case ObjAnswer:
		_, err = pre.DecodeAnswer(b, crf.NumCapsules)
	}
	return err
}
