package keeper

import (
	"slices"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/address"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/x/phr/types"
)

type (
	// addrStatusID keys a grant by one of its addresses and its status, so a
	// listing of one status touches only grants of that status.
	addrStatusID = collections.Triple[sdk.AccAddress, int32, uint64]
	// queueKey orders an expiry queue: (unix nanoseconds or height, id).
	queueKey = collections.Pair[int64, uint64]
	// patientVaultID keys a record by patient and vault.
	patientVaultID = collections.Triple[sdk.AccAddress, string, uint64]
)

var (
	addrStatusIDKey = collections.TripleKeyCodec(sdk.AccAddressKey, collections.Int32Key, collections.Uint64Key)
	queueKeyCodec   = collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)
)

// queueTime is a time's position in an expiry queue. Unix nanoseconds order
// like the times themselves for any block time between 1678 and 2262;
// sdk.TimeKey, which feegrant uses, is deprecated for new keys.
func queueTime(t time.Time) int64 { return t.UnixNano() }

// GrantIndexes are the secondary indexes of Grants, all maintained by the
// IndexedMap on every write.
type GrantIndexes struct {
	// ByPatient, ByRequester and ByProxy hold (address, status, grant id);
	// ByProxy holds one key per committee member.
	ByPatient   *refIndex[addrStatusID, uint64, types.Grant]
	ByRequester *refIndex[addrStatusID, uint64, types.Grant]
	ByProxy     *refIndex[addrStatusID, uint64, types.Grant]
	// RequestQueue holds open requests by requested expiry, GrantQueue
	// granted grants by expiry; the end blocker takes them in key order.
	RequestQueue *refIndex[queueKey, uint64, types.Grant]
	GrantQueue   *refIndex[queueKey, uint64, types.Grant]
	// RemoteRequest holds (client id, the peer's request id) of each grant
	// opened by an AccessRequest packet: a request id seen again from that
	// client is a replay. Derived from the grants, so genesis rebuilds it.
	RemoteRequest *refIndex[collections.Pair[string, uint64], uint64, types.Grant]
}

// IndexesList implements collections.Indexes.
func (i GrantIndexes) IndexesList() []collections.Index[uint64, types.Grant] {
	return []collections.Index[uint64, types.Grant]{
		sharedOld[uint64, types.Grant]{i.ByPatient, i.ByRequester, i.ByProxy, i.RequestQueue, i.GrantQueue, i.RemoteRequest},
	}
}

func newGrantIndexes(sb *collections.SchemaBuilder, ac address.Codec) GrantIndexes {
	byAddr := func(addrs func(g types.Grant) []string) func(uint64, types.Grant) ([]addrStatusID, error) {
		return func(id uint64, g types.Grant) ([]addrStatusID, error) {
			list := addrs(g)
			keys := make([]addrStatusID, 0, len(list))
			for _, a := range list {
				bz, err := ac.StringToBytes(a)
				if err != nil {
					return nil, err
				}
				keys = append(keys, collections.Join3(sdk.AccAddress(bz), int32(g.Status), id))
			}
			return keys, nil
		}
	}
	queue := func(status types.GrantStatus, deadline func(g types.Grant) time.Time) func(uint64, types.Grant) ([]queueKey, error) {
		return func(id uint64, g types.Grant) ([]queueKey, error) {
			if g.Status != status {
				return nil, nil
			}
			return []queueKey{collections.Join(queueTime(deadline(g)), id)}, nil
		}
	}
	return GrantIndexes{
		ByPatient: newRefIndex(sb, types.GrantsByPatientKey, "grants_by_patient", addrStatusIDKey,
			byAddr(func(g types.Grant) []string { return []string{g.Patient} })),
		// a remote grant's requester is no account of this chain (and never
		// parses as one): it is listed by its peer's mirror, not here
		ByRequester: newRefIndex(sb, types.GrantsByRequesterKey, "grants_by_requester", addrStatusIDKey,
			byAddr(func(g types.Grant) []string {
				if g.Remote != nil {
					return nil
				}
				return []string{g.Requester}
			})),
		ByProxy: newRefIndex(sb, types.GrantsByProxyKey, "grants_by_proxy", addrStatusIDKey,
			byAddr(func(g types.Grant) []string { return g.Proxies })),
		RequestQueue: newRefIndex(sb, types.RequestQueueKey, "request_queue", queueKeyCodec,
			queue(types.GRANT_STATUS_REQUESTED, func(g types.Grant) time.Time { return g.RequestedExpiry })),
		GrantQueue: newRefIndex(sb, types.GrantQueueKey, "grant_queue", queueKeyCodec,
			queue(types.GRANT_STATUS_GRANTED, func(g types.Grant) time.Time { return g.Expiry })),
		RemoteRequest: newRefIndex(sb, types.GrantsByRemoteRequestKey, "grants_by_remote_request",
			collections.PairKeyCodec(collections.StringKey, collections.Uint64Key),
			func(_ uint64, g types.Grant) ([]collections.Pair[string, uint64], error) {
				if g.Remote == nil {
					return nil, nil
				}
				return []collections.Pair[string, uint64]{collections.Join(g.Remote.ClientId, g.Remote.RequestId)}, nil
			}),
	}
}

// TaskIndexes are the secondary indexes of Tasks.
type TaskIndexes struct {
	// Pending holds (proxy, task id) for every committee member that has not
	// answered an open task: a proxy's poll reads only its own work, and an
	// answer (accepted, or refused for its proof) takes the task out of that
	// proxy's set.
	Pending *refIndex[collections.Pair[sdk.AccAddress, uint64], uint64, types.Task]
	// Queue holds open tasks by deadline height.
	Queue *refIndex[queueKey, uint64, types.Task]
}

// IndexesList implements collections.Indexes.
func (i TaskIndexes) IndexesList() []collections.Index[uint64, types.Task] {
	return []collections.Index[uint64, types.Task]{sharedOld[uint64, types.Task]{i.Pending, i.Queue}}
}

func newTaskIndexes(sb *collections.SchemaBuilder, ac address.Codec) TaskIndexes {
	return TaskIndexes{
		Pending: newRefIndex(sb, types.PendingTasksKey, "pending_tasks",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key),
			func(id uint64, t types.Task) ([]collections.Pair[sdk.AccAddress, uint64], error) {
				if t.Status != types.TASK_STATUS_OPEN {
					return nil, nil
				}
				keys := make([]collections.Pair[sdk.AccAddress, uint64], 0, len(t.Committee))
				for _, p := range t.Committee {
					if answered(t, p) {
						continue
					}
					bz, err := ac.StringToBytes(p)
					if err != nil {
						return nil, err
					}
					keys = append(keys, collections.Join(sdk.AccAddress(bz), id))
				}
				return keys, nil
			}),
		Queue: newRefIndex(sb, types.TaskQueueKey, "task_queue", queueKeyCodec,
			func(id uint64, t types.Task) ([]queueKey, error) {
				if t.Status != types.TASK_STATUS_OPEN {
					return nil, nil
				}
				return []queueKey{collections.Join(t.DeadlineHeight, id)}, nil
			}),
	}
}

// answered: proxy has spent its seat on t, by an accepted answer or by one
// refused for its proof.
func answered(t types.Task, proxy string) bool {
	return slices.ContainsFunc(t.Answers, func(a types.TaskAnswer) bool { return a.Proxy == proxy }) ||
		slices.Contains(t.Refused, proxy)
}

// RecordIndexes are the secondary indexes of Records.
type RecordIndexes struct {
	// ByPatient holds (patient, vault, record id).
	ByPatient *refIndex[patientVaultID, uint64, types.Record]
}

// IndexesList implements collections.Indexes.
func (i RecordIndexes) IndexesList() []collections.Index[uint64, types.Record] {
	return []collections.Index[uint64, types.Record]{i.ByPatient}
}

func newRecordIndexes(sb *collections.SchemaBuilder, ac address.Codec) RecordIndexes {
	return RecordIndexes{
		ByPatient: newRefIndex(sb, types.RecordsByPatientKey, "records_by_patient",
			collections.TripleKeyCodec(sdk.AccAddressKey, collections.StringKey, collections.Uint64Key),
			func(id uint64, r types.Record) ([]patientVaultID, error) {
				bz, err := ac.StringToBytes(r.Patient)
				if err != nil {
					return nil, err
				}
				return []patientVaultID{collections.Join3(sdk.AccAddress(bz), r.Vault, id)}, nil
			}),
	}
}
