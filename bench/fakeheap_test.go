package bench

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/invitekit/clerkinvitations/client"
	"github.com/invitekit/clerkinvitations/fake"
)

// BenchmarkFakeUnderLoad: 16 goroutines call Get and List (a page of 10)
// b.N times in all against a server on loopback, and retained-MB is the
// heap in use after the run, after a collection, less the heap before the
// server started: what the server and the client hold on to. A server
// that keeps what it has seen grows with b.N; one that does not stays
// level. Compare two runs of different lengths, e.g.
//
//	go test -run '^$' -bench FakeUnderLoad -benchmem -benchtime 10000x ./bench
//	go test -run '^$' -bench FakeUnderLoad -benchmem -benchtime 1000000x ./bench
//
// server=raw is a plain handler that sends the same bodies (the client's
// own share); server=fake is package fake with its default request log
// (fake.DefaultRequestLog); server=fake-log-every keeps every request, as
// the fake did before the log was bounded.
func BenchmarkFakeUnderLoad(b *testing.B) {
	for _, v := range []struct {
		name  string
		start func() (url, id string, stop func())
	}{
		{"server=raw", startRaw},
		{"server=fake", func() (string, string, func()) { return startFake() }},
		{"server=fake-log-every", func() (string, string, func()) { return startFake(fake.WithRequestLog(math.MaxInt)) }},
	} {
		b.Run(v.name, func(b *testing.B) { underLoad(b, v.start) })
	}
}

// startRaw serves an invitation for a path that names one, a page of 10
// for any other; the invitation to get is invID.
func startRaw() (string, string, func()) {
	page10 := pageJSON(10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "/orginv_") {
			_, _ = w.Write(oneInvitation)
			return
		}
		_, _ = w.Write(page10)
	}))
	return srv.URL + "/v1", invID, srv.Close
}

// startFake starts a fake holding 10 invitations; the one to get is the
// first created.
func startFake(opts ...fake.Option) (string, string, func()) {
	srv := fake.NewServer(opts...)
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	for i := range 10 {
		if _, err := c.Create(context.Background(), orgID, client.CreateParams{EmailAddress: fmt.Sprintf("p%d@example.com", i), Role: "org:member"}); err != nil {
			panic(err)
		}
	}
	return srv.URL, srv.Invitations()[0].ID, srv.Close
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func underLoad(b *testing.B, start func() (url, id string, stop func())) {
	before := heapInUse()
	url, id, stop := start()
	defer stop()
	c, err := client.New(client.WithBaseURL(url), client.WithSecretKey(key), client.WithoutRequestLimit())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	const goroutines = 16
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < b.N; i += goroutines {
				var err error
				if i%2 == 0 {
					_, err = c.Get(ctx, orgID, id)
				} else {
					_, err = c.List(ctx, orgID, client.ListParams{})
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	after := heapInUse()
	b.ReportMetric((float64(after)-float64(before))/(1<<20), "retained-MB")
}
