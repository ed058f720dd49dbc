package types

import (
	"context"

	audittypes "github.com/medexchain/medexchain/x/audit/types"
)

// AuditKeeper is the part of x/audit that phr writes to.
type AuditKeeper interface {
	Append(ctx context.Context, r audittypes.Record) (audittypes.Entry, error)
}
