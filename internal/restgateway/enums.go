// Package restgateway adapts gogoproto-generated types to the REST gateway the
// SDK's API server runs (grpc-gateway v1).
package restgateway

import (
	"fmt"
	"sync"

	gogoproto "github.com/cosmos/gogoproto/proto"
	protov1 "github.com/golang/protobuf/proto" //nolint:staticcheck // the registry grpc-gateway v1 reads
)

var mu sync.Mutex

// RegisterEnums lets the gateway parse enum query parameters by name
// (`?role=ROLE_PROXY`), not only by number. grpc-gateway v1 looks enum names
// up in golang/protobuf's registry, which falls back to the protobuf-go file
// registry; gogoproto registers generated enums only in its own registry, so
// without this every name is refused as "not a valid" value. names are full
// proto enum names ("medexchain.phr.v1.Role"); each must be registered with
// gogoproto (by its generated code), or RegisterEnums panics. Calling it again
// for the same names is harmless.
func RegisterEnums(names ...string) {
	mu.Lock()
	defer mu.Unlock()
	for _, name := range names {
		if protov1.EnumValueMap(name) != nil { //nolint:staticcheck // the registry grpc-gateway v1 reads
			continue
		}
		values := gogoproto.EnumValueMap(name)
		if values == nil {
			panic(fmt.Sprintf("restgateway: enum %s is not registered with gogoproto", name))
		}
		protov1.RegisterEnum(name, nil, values) //nolint:staticcheck // the registry grpc-gateway v1 reads
	}
}
