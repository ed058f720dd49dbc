package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/tests/hostile/malformed"
	audittypes "github.com/medexchain/medexchain/x/audit/types"
	"github.com/medexchain/medexchain/x/phr/types"
)

// snapshot is the phr and audit state as the queries show it: a digest of
// every response (patients, vaults, devices, members, records, grants,
// tasks, shares) and the audit head, with the counts for the report.
type snapshot struct {
	phr                            [32]byte
	auditSeq                       uint64
	auditHash                      []byte
	records, grants, tasks, shares int
}

func (s snapshot) String() string {
	return fmt.Sprintf("records %d, grants %d, tasks %d, shares %d, audit head %d", s.records, s.grants, s.tasks, s.shares, s.auditSeq)
}

// notFound: the phr queries answer a missing object with codes.NotFound.
func notFound(err error) bool { return status.Code(err) == codes.NotFound }

func (d *driver) snapshot(ctx context.Context) (snapshot, error) {
	var s snapshot
	h := sha256.New()
	put := func(m gogoproto.Message, err error) error {
		if err != nil && !notFound(err) {
			return err
		}
		if err != nil {
			h.Write([]byte("not found"))
			return nil
		}
		bz, err := gogoproto.Marshal(m)
		if err != nil {
			return err
		}
		writeLen(h, bz)
		return nil
	}
	for _, r := range []malformed.Role{malformed.Patient, malformed.Stranger} {
		addr := d.sig[r].addr.String()
		res, err := d.q.Patient(ctx, &types.QueryPatientRequest{Address: addr})
		if err := put(res, err); err != nil {
			return s, err
		}
		devs, err := d.q.DevicesByPatient(ctx, &types.QueryDevicesByPatientRequest{Patient: addr, Pagination: &query.PageRequest{Limit: 1000}})
		if err := put(devs, err); err != nil {
			return s, err
		}
		recs, err := d.q.RecordsByPatient(ctx, &types.QueryRecordsByPatientRequest{Patient: addr, Pagination: &query.PageRequest{Limit: 1000}})
		if err := put(recs, err); err != nil {
			return s, err
		}
		if err == nil {
			s.records += len(recs.Records)
		}
	}
	members, err := d.q.Members(ctx, &types.QueryMembersRequest{Pagination: &query.PageRequest{Limit: 1000}})
	if err := put(members, err); err != nil {
		return s, err
	}
	// grants and tasks by id, up to the first missing one (ids are dense)
	for id := uint64(1); ; id++ {
		g, err := d.q.Grant(ctx, &types.QueryGrantRequest{Id: id})
		if err := put(g, err); err != nil {
			return s, err
		}
		if err != nil {
			break
		}
		s.grants++
		sh, err := d.q.SharesByGrant(ctx, &types.QuerySharesByGrantRequest{GrantId: id, Pagination: &query.PageRequest{Limit: 1000}})
		if err := put(sh, err); err != nil {
			return s, err
		}
		if err == nil {
			s.shares += len(sh.Shares)
		}
	}
	for id := uint64(1); ; id++ {
		t, err := d.q.Task(ctx, &types.QueryTaskRequest{Id: id})
		if err := put(t, err); err != nil {
			return s, err
		}
		if err != nil {
			break
		}
		s.tasks++
	}
	copy(s.phr[:], h.Sum(nil))
	head, err := d.audit.Head(ctx, &audittypes.QueryHeadRequest{})
	if err != nil {
		return s, fmt.Errorf("audit head: %w", err)
	}
	if head.Entry != nil {
		s.auditSeq, s.auditHash = head.Entry.Sequence, head.Entry.Hash
	}
	return s, nil
}

func writeLen(h hash.Hash, b []byte) {
	var n [8]byte
	for i := range n {
		n[i] = byte(uint64(len(b)) >> (8 * i))
	}
	h.Write(n[:])
	h.Write(b)
}

// auditSince lists the audit entries after sequence from (to the head).
func (d *driver) auditSince(ctx context.Context, from, to uint64) ([]audittypes.Entry, error) {
	var out []audittypes.Entry
	for seq := from + 1; seq <= to; seq++ {
		e, err := d.audit.Entry(ctx, &audittypes.QueryEntryRequest{Sequence: seq})
		if err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", seq, err)
		}
		if e.Entry == nil {
			return nil, errors.New("empty audit entry")
		}
		out = append(out, *e.Entry)
	}
	return out, nil
}
