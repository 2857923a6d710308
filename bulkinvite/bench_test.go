package bulkinvite_test

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/bulkinvite"
	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/internal/benchenv"
)

// BenchmarkRun measures what a run costs per person, with its journal in
// memory and in an SQLite file, at 10,000 and 100,000 people in 100
// organizations (and 1,000,000 with BULKINVITE_BENCH_MILLION=1), against
// a stub of the API that answers every create at once and keeps nothing,
// so that the figures are the run's own. Beside it, in the same run, the
// baseline: the same people sent by a plain loop of bulk creates of ten
// through the same client, journaling nothing, the floor under any run.
// The people are made as they are read, as from a file, so that no list
// of them is held but what the run holds.
// It reports the time per person, the CPU time per person (of the whole
// process: the run and the stub, which other work on a shared machine
// moves less than the time), the bytes allocated per person, the peak of
// the live heap above what it was before the run (sampled every 5 ms),
// which is the memory that grows with the people, and the machine's load
// when the run started. Before each run, the memory freed by the last is
// given back to the system, so that no run pays for its predecessor's
// heap. -count N runs each size N times; the sizes go in turn, so that
// the machine's load reaches each of them.
//
//	go test -run '^$' -bench BenchmarkRun -benchtime 1x ./bulkinvite
func BenchmarkRun(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("BULKINVITE_BENCH_MILLION") != "" {
		sizes = append(sizes, 1_000_000)
	}
	c := stubClient(b)
	for _, n := range sizes {
		b.Run(fmt.Sprintf("baseline/people=%d", n), func(b *testing.B) {
			measure(b, n, func() { baseline(b, c, n) })
		})
		b.Run(fmt.Sprintf("memory/people=%d", n), func(b *testing.B) {
			measure(b, n, func() { benchRun(b, c, bulkinvite.NewMemoryStore(), n) })
		})
		b.Run(fmt.Sprintf("journal/people=%d", n), func(b *testing.B) {
			measure(b, n, func() {
				j, err := bulkinvite.OpenJournal(filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				defer j.Close()
				benchRun(b, c, j, n)
			})
		})
	}
}

// BenchmarkDryRun measures what a dry run costs per person, as
// BenchmarkRun does a run: with no journal, and asking the stub, whose
// list of pending invitations is empty.
//
//	go test -run '^$' -bench BenchmarkDryRun -benchtime 1x ./bulkinvite
func BenchmarkDryRun(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("BULKINVITE_BENCH_MILLION") != "" {
		sizes = append(sizes, 1_000_000)
	}
	c := stubClient(b)
	for _, n := range sizes {
		b.Run(fmt.Sprintf("asking/people=%d", n), func(b *testing.B) {
			measure(b, n, func() {
				f, err := bulkinvite.DryRun(context.Background(), bulkinvite.Config{Client: c}, benchPeople(n))
				if err != nil || f.Total.New != n {
					b.Fatalf("%v: %+v", err, f.Total)
				}
			})
		})
	}
}

// measure runs one run of n people per iteration and reports per person.
func measure(b *testing.B, n int, run func()) {
	var before, after runtime.MemStats
	var peak uint64
	var cpu time.Duration
	load, hasLoad := benchenv.Load()
	for range b.N {
		b.StopTimer()
		debug.FreeOSMemory() // a GC, and the last run's heap given back now, not while this one runs
		runtime.ReadMemStats(&before)
		start, _ := benchenv.CPUTime()
		b.StartTimer()
		stop := samplePeak(&peak, before.HeapAlloc)
		run()
		stop()
		end, _ := benchenv.CPUTime()
		cpu += end - start
	}
	runtime.ReadMemStats(&after)
	people := float64(n * b.N)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/people, "ns/person")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/people, "cpu-ns/person")
	}
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n), "alloc-B/person")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
	b.ReportMetric(float64(peak)/float64(n), "peak-B/person")
	if hasLoad {
		b.ReportMetric(load, "load")
	}
}

// samplePeak keeps in peak the most the live heap held above base until
// stop is called.
func samplePeak(peak *uint64, base uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > base && v-base > *peak {
				*peak = v - base
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// benchPerson is person i of n, in one of 100 organizations, each
// organization's people together.
func benchPerson(i, n int) bulkinvite.Person {
	return bulkinvite.Person{OrganizationID: fmt.Sprintf("org_%03d", i*100/n), Params: client.CreateParams{
		EmailAddress: "person" + strconv.Itoa(i) + "@example.com", Role: "org:member", Notify: client.Bool(false)}}
}

// benchPeople yields n people, made as they are read, as from a file.
func benchPeople(n int) iter.Seq2[bulkinvite.Person, error] {
	return func(yield func(bulkinvite.Person, error) bool) {
		for i := range n {
			if !yield(benchPerson(i, n), nil) {
				return
			}
		}
	}
}

func benchRun(b *testing.B, c *client.Client, store bulkinvite.Store, n int) {
	sum, err := bulkinvite.RunSeq(context.Background(), bulkinvite.Config{Client: c, Store: store, Limits: bulkinvite.NoLimits(),
		Progress: func(bulkinvite.Progress) {}}, benchPeople(n))
	if err != nil || !sum.OK() || sum.Counts[bulkinvite.StateCreated] != n {
		b.Fatalf("%v: %v", err, sum.Counts)
	}
}

// baseline sends the same people by bulk creates of ten, two at a time as
// a run's bulk channel does, and records nothing.
func baseline(b *testing.B, c *client.Client, n int) {
	sem := make(chan struct{}, 2)
	var failed atomic.Int64
	for i := 0; i < n; i += client.MaxBulkInvitations {
		org := benchPerson(i, n).OrganizationID
		var params []client.CreateParams
		for k := i; k < min(i+client.MaxBulkInvitations, n) && benchPerson(k, n).OrganizationID == org; k++ {
			params = append(params, benchPerson(k, n).Params)
		}
		i -= client.MaxBulkInvitations - len(params)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			if _, err := c.BulkCreate(context.Background(), org, params); err != nil {
				failed.Add(1)
			}
		}()
	}
	for range cap(sem) {
		sem <- struct{}{}
	}
	if failed.Load() > 0 {
		b.Fatalf("%d bulk creates failed", failed.Load())
	}
}

// stubClient is a client of a stub of the API on loopback that answers
// every create with its invitations and every list with none, and keeps
// nothing.
func stubClient(b *testing.B) *client.Client {
	srv := httptest.NewServer(http.HandlerFunc(stub))
	b.Cleanup(srv.Close)
	c, err := client.New(client.WithSecretKey("sk_test_bench"), client.WithBaseURL(srv.URL+"/v1"), client.WithoutRequestLimit())
	if err != nil {
		b.Fatal(err)
	}
	return c
}

var stubIDs atomic.Int64

func stub(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodGet {
		_, _ = w.Write([]byte(`{"data":[],"total_count":0}`))
		return
	}
	org := strings.Split(r.URL.Path, "/")[3] // /v1/organizations/{organization_id}/invitations[/bulk]
	var in []client.CreateParams
	bulk := strings.HasSuffix(r.URL.Path, "/bulk")
	var err error
	if bulk {
		err = json.NewDecoder(r.Body).Decode(&in)
	} else {
		in = make([]client.CreateParams, 1)
		err = json.NewDecoder(r.Body).Decode(&in[0])
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	out := make([]map[string]any, len(in))
	for i, p := range in {
		out[i] = map[string]any{"object": "organization_invitation", "id": "orginv_" + strconv.FormatInt(stubIDs.Add(1), 10),
			"email_address": p.EmailAddress, "role": p.Role, "role_name": "Member", "organization_id": org, "status": "pending",
			"public_metadata": map[string]any{}, "private_metadata": map[string]any{}, "created_at": 1, "updated_at": 1}
	}
	if bulk {
		_ = json.NewEncoder(w).Encode(map[string]any{"data": out, "total_count": len(out)})
		return
	}
	_ = json.NewEncoder(w).Encode(out[0])
}
