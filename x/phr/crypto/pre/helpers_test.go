package pre_test

import "github.com/medexchain/medexchain/x/phr/crypto/envelope"

func sealEnvelope(w *world) ([]byte, error) {
	return envelope.Seal(w.meta(1), w.payload(100), w.device.Key)
}
