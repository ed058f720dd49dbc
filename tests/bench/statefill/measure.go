package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"slices"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/medexchain/medexchain/internal/proxy"
	"github.com/medexchain/medexchain/x/phr/types"
)

func runMeasure(args []string) error {
	fs := flag.NewFlagSet("measure", flag.ExitOnError)
	addr := fs.String("grpc", "", "the node's gRPC endpoint, host:port (required)")
	patient := fs.String("patient", "", "patient whose records are listed (required)")
	me := fs.String("proxy", "", "proxy whose poll is measured (required)")
	vault := fs.String("vault", "", "the patient's vault whose records are listed (required)")
	deep := fs.Uint64("deep-record", 0, "id of the first record of the deep page (0: no deep page)")
	samples := fs.Int("samples", 20, "timed repetitions of each read (the median is printed)")
	label := fs.String("label", "", "suffix of every figure's name (the state's size, e.g. 100k)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *addr == "" || *patient == "" || *vault == "" || *me == "" {
		return errors.New("measure: -grpc, -patient, -vault and -proxy are required")
	}
	conn, err := grpc.NewClient(*addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.ForceCodec(codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).GRPCCodec())))
	if err != nil {
		return err
	}
	defer conn.Close()
	m := measurer{qc: types.NewQueryClient(conn), q: proxy.NewGRPCQuerier(types.NewQueryClient(conn)), samples: *samples, label: *label}
	return m.run(context.Background(), *patient, *vault, *me, *deep)
}

// measurer times reads against one node and prints their medians.
type measurer struct {
	qc      types.QueryClient
	q       proxy.Querier
	samples int
	label   string
}

func (m measurer) run(ctx context.Context, patient, vault, me string, deep uint64) error {
	page := func(p *query.PageRequest) func() (*types.QueryRecordsResponse, error) {
		return func() (*types.QueryRecordsResponse, error) {
			return m.qc.RecordsByPatient(ctx, &types.QueryRecordsByPatientRequest{Patient: patient, Vault: vault, Pagination: p})
		}
	}
	first, err := timed(m, "records_by_patient_first_page", m.samples, page(&query.PageRequest{Limit: types.MaxPageLimit}))
	if err != nil {
		return err
	}
	if len(first.Records) == 0 {
		return fmt.Errorf("patient %s has no records in %q", patient, vault)
	}
	if deep > 0 {
		// The deep page starts at the key a client paging through would
		// hold (offsets are capped by the node): the index key after the
		// patient, (vault, id), checked against the first page's next_key.
		last := first.Records[len(first.Records)-1].Id
		if want := recordPageKey(last + 1); !bytes.Equal(want, first.Pagination.GetNextKey()) {
			return fmt.Errorf("first page: next_key %X, not %X", first.Pagination.GetNextKey(), want)
		}
		res, err := timed(m, "records_by_patient_deep_page", m.samples, page(&query.PageRequest{Key: recordPageKey(deep), Limit: types.MaxPageLimit}))
		if err != nil {
			return err
		}
		if len(res.Records) == 0 || res.Records[0].Id != deep {
			return fmt.Errorf("the deep page does not start at record %d", deep)
		}
	}

	grants, err := timed(m, "proxy_grants_by_proxy_granted", m.samples, func() ([]types.Grant, error) {
		return m.q.GrantsByProxy(ctx, me, types.GRANT_STATUS_GRANTED)
	})
	if err != nil {
		return err
	}
	tasks, err := timed(m, "proxy_pending_tasks", m.samples, func() ([]types.Task, error) {
		return m.q.PendingTasks(ctx, me, proxy.DefaultMaxTasks)
	})
	if err != nil {
		return err
	}
	if len(tasks) == 0 {
		return fmt.Errorf("proxy %s has no pending task", me)
	}
	if _, err := timed(m, "proxy_record_per_task", m.samples, func() (*types.Record, error) {
		return m.q.RecordHead(ctx, tasks[len(tasks)/2].RecordId)
	}); err != nil {
		return err
	}
	// The whole poll: what Worker.Step reads every cycle.
	if _, err := timed(m, "proxy_poll", m.samples, func() (int, error) {
		gs, err := m.q.GrantsByProxy(ctx, me, types.GRANT_STATUS_GRANTED)
		if err != nil {
			return 0, err
		}
		ts, err := m.q.PendingTasks(ctx, me, proxy.DefaultMaxTasks)
		if err != nil {
			return 0, err
		}
		for _, t := range ts {
			if _, err := m.q.RecordHead(ctx, t.RecordId); err != nil {
				return 0, err
			}
		}
		return len(gs) + len(ts), nil
	}); err != nil {
		return err
	}
	m.print("proxy_poll_grants", fmt.Sprint(len(grants)), "grants")
	m.print("proxy_poll_tasks", fmt.Sprint(len(tasks)), "tasks")
	return nil
}

// recordPageKey is the pagination key of record id in RecordsByPatient over
// one vault: the ByPatient index key (patient, vault, id) without the
// (patient, vault) prefix the query strips.
func recordPageKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }

// timed runs read samples times (after one untimed warm-up) and prints its
// median latency in ms under name; it returns the last result.
func timed[T any](m measurer, name string, samples int, read func() (T, error)) (T, error) {
	res, err := read()
	if err != nil {
		return res, fmt.Errorf("%s: %w", name, err)
	}
	ds := make([]time.Duration, samples)
	for i := range ds {
		t0 := time.Now()
		if res, err = read(); err != nil {
			return res, fmt.Errorf("%s: %w", name, err)
		}
		ds[i] = time.Since(t0)
	}
	slices.Sort(ds)
	m.print(name, fmt.Sprintf("%.2f", float64(ds[len(ds)/2].Microseconds())/1e3), "ms")
	return res, nil
}

func (m measurer) print(name, value, unit string) {
	if m.label != "" {
		name += "_" + m.label
	}
	fmt.Printf("%s %s %s\n", name, value, unit)
}
