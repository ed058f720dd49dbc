package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/medexchain/medexchain/tests/hostile/malformed"
	phrcli "github.com/medexchain/medexchain/x/phr/client/cli"
	"github.com/medexchain/medexchain/x/phr/crypto/group"
	"github.com/medexchain/medexchain/x/phr/crypto/keys"
	"github.com/medexchain/medexchain/x/phr/crypto/pre"
	"github.com/medexchain/medexchain/x/phr/types"
)

// setup builds the story on the node through real txs: hospital and three
// proxies admitted, the patient with a vault and a device behind the
// gateway, one honest upload, two 2-of-3 grants of the record (fetched: open
// tasks), Proxy1's answer to the first task, three more open requests, and
// a fourth proxy admitted last (so that it sits on no task's committee).
func (d *driver) setup(ctx context.Context) (*malformed.Story, error) {
	s := &malformed.Story{ChainID: d.cfg.chainID, Denom: d.cfg.denom, Addr: map[malformed.Role]sdk.AccAddress{},
		Vault: "vitals", DeviceID: "hostile-pulse-ox", ProxyKeys: map[malformed.Role]*keys.ProxySecretKey{},
		TaskE: map[uint64][][]byte{}, KeyGrants: map[uint64]*pre.Grant{}}
	for r, sg := range d.sig {
		s.Addr[r] = sg.addr
	}
	var err error
	if s.VaultKey, err = keys.GenerateVaultKey(1, rand.Reader); err != nil {
		return nil, err
	}
	if s.RequesterKey, err = keys.GenerateRequesterKey(rand.Reader); err != nil {
		return nil, err
	}
	if s.DeviceKey, err = keys.GenerateDeviceKey(rand.Reader); err != nil {
		return nil, err
	}
	proxies := []malformed.Role{malformed.Proxy1, malformed.Proxy2, malformed.Proxy3, malformed.Proxy4}
	for _, r := range proxies {
		if s.ProxyKeys[r], err = keys.GenerateProxyKey(rand.Reader); err != nil {
			return nil, err
		}
	}
	admin := d.sig[malformed.Admin]
	admit := []sdk.Msg{&types.MsgAdmitMember{Authority: admin.addr.String(), Member: s.Addr[malformed.Hospital].String(),
		Role: types.ROLE_HOSPITAL, PublicKey: s.RequesterKey.Public().Bytes()}}
	for _, r := range proxies[:3] {
		admit = append(admit, &types.MsgAdmitMember{Authority: admin.addr.String(), Member: s.Addr[r].String(),
			Role: types.ROLE_PROXY, PublicKey: s.ProxyKeys[r].Public().Bytes()})
	}
	step("setup: hospital and proxies 1-3 admitted")
	if _, err := admin.send(ctx, admit...); err != nil {
		return nil, err
	}
	patient := d.sig[malformed.Patient]
	step("setup: patient, vault %q, device %q behind the gateway", s.Vault, s.DeviceID)
	if _, err := patient.send(ctx, &types.MsgRegisterPatient{Patient: patient.addr.String(),
		Vaults: []types.VaultKey{{Name: s.Vault, PublicKey: s.VaultKey.Public().Bytes()}}},
		&types.MsgRegisterDevice{Patient: patient.addr.String(), DeviceId: s.DeviceID, Vault: s.Vault,
			PublicKey: s.DeviceKey.Public().Bytes(), Gateway: s.Addr[malformed.Gateway].String()}); err != nil {
		return nil, err
	}
	if s.Now, err = d.blockTime(ctx); err != nil {
		return nil, err
	}
	if s.Upload, err = s.UploadMsg([]byte(`{"resourceType":"Observation","status":"final"}`), 1); err != nil {
		return nil, err
	}
	step("setup: one honest upload")
	bz, res, err := d.sig[malformed.Gateway].deliverKeep(ctx, s.Upload)
	if err != nil {
		return nil, err
	}
	s.UploadTx = bz
	var up types.MsgUploadRecordResponse
	if err := res.Response(0, &up); err != nil {
		return nil, err
	}
	hospital := d.sig[malformed.Hospital]
	var reqs []uint64
	for range 2 + 1 + malformed.AcceptedRequests {
		in, err := hospital.send(ctx, &types.MsgRequestAccess{Requester: hospital.addr.String(), Patient: patient.addr.String(),
			Vault: s.Vault, Scope: types.Scope{FromTime: s.Now.Add(-time.Hour), ToTime: s.Now.Add(time.Hour), MaxRecords: 10},
			Purpose: "treatment", Expiry: s.Now.Add(2 * time.Hour)})
		if err != nil {
			return nil, err
		}
		var r types.MsgRequestAccessResponse
		if err := in.Response(0, &r); err != nil {
			return nil, err
		}
		reqs = append(reqs, r.GrantId)
	}
	step("setup: %d access requests (%v)", len(reqs), reqs)
	if s.Committee, err = d.committee(ctx); err != nil {
		return nil, err
	}
	s.Grant, s.Other, s.Requests = reqs[0], reqs[1], reqs[2:]
	for _, id := range []uint64{s.Grant, s.Other} {
		kg, err := s.KeyGrant(id, 2, nil)
		if err != nil {
			return nil, err
		}
		s.KeyGrants[id] = kg
		if _, err := patient.send(ctx, &types.MsgGrantAccess{Patient: patient.addr.String(), GrantId: id, KeyGrant: kg.Bytes(),
			Expiry: s.Now.Add(90 * time.Minute)}); err != nil {
			return nil, err
		}
		in, err := hospital.send(ctx, &types.MsgFetchRecords{Requester: hospital.addr.String(), GrantId: id, RecordIds: []uint64{up.RecordId}})
		if err != nil {
			return nil, err
		}
		var f types.MsgFetchRecordsResponse
		if err := in.Response(0, &f); err != nil {
			return nil, err
		}
		for _, tid := range f.TaskIds {
			t, err := d.q.Task(ctx, &types.QueryTaskRequest{Id: tid})
			if err != nil {
				return nil, err
			}
			if id == s.Grant {
				s.Tasks = append(s.Tasks, t.Task)
			} else {
				s.OtherTasks = append(s.OtherTasks, t.Task)
			}
		}
	}
	step("setup: grants %d and %d (2 of 3) granted and fetched: tasks %d and %d open", s.Grant, s.Other, len(s.Tasks), len(s.OtherTasks))
	rec, err := d.q.RecordHead(ctx, &types.QueryRecordHeadRequest{Id: up.RecordId})
	if err != nil {
		return nil, err
	}
	for _, t := range append(append([]types.Task(nil), s.Tasks...), s.OtherTasks...) {
		for _, c := range rec.Record.Capsules {
			s.TaskE[t.Id] = append(s.TaskE[t.Id], c[:group.ElementSize])
		}
	}
	ans, err := s.Answer(malformed.Proxy1, s.Tasks[0])
	if err != nil {
		return nil, err
	}
	s.Answered = &types.MsgSubmitAnswers{Proxy: s.Addr[malformed.Proxy1].String(),
		Answers: []types.AnswerSubmission{{TaskId: s.Tasks[0].Id, Answer: ans.Bytes()}}}
	if s.AnsweredTx, _, err = d.sig[malformed.Proxy1].deliverKeep(ctx, s.Answered); err != nil {
		return nil, err
	}
	step("setup: proxy1 answered task %d (committed; the task stays open at 1 of 2)", s.Tasks[0].Id)
	if _, err := admin.send(ctx, &types.MsgAdmitMember{Authority: admin.addr.String(), Member: s.Addr[malformed.Proxy4].String(),
		Role: types.ROLE_PROXY, PublicKey: s.ProxyKeys[malformed.Proxy4].Public().Bytes()}); err != nil {
		return nil, err
	}
	if s.Committee, err = d.committee(ctx); err != nil {
		return nil, err
	}
	step("setup: proxy4 admitted after the grants (committee of %d)", len(s.Committee))
	return s, nil
}

// committee is today's admitted proxies in the chain's order, with keys.
func (d *driver) committee(ctx context.Context) ([]pre.ProxyRecipient, error) {
	members, err := phrcli.Committee(ctx, d.q)
	if err != nil {
		return nil, err
	}
	if len(members) == 0 {
		return nil, errors.New("no proxies admitted")
	}
	return phrcli.Recipients(members)
}

// blockTime is the time of the node's latest block.
func (d *driver) blockTime(ctx context.Context) (time.Time, error) {
	st, err := d.rpc.Status(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("node status: %w", err)
	}
	return st.SyncInfo.LatestBlockTime.UTC(), nil
}
