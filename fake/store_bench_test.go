package fake

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/invitekit/clerkinvitations/gen"
)

// BenchmarkStore measures what one request costs the fake's store when it
// holds 10,000 invitations and when it holds a million, over 1,000
// organizations: a create (with its duplicate check), a check of one
// address, and a page of a walk of the instance's pending invitations.
// The cost at 10,000 is the baseline: at a million each should cost about
// the same.
//
//	go test -run '^$' -bench BenchmarkStore -benchtime 2000x ./fake
func BenchmarkStore(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		s, now := newStore(), time.UnixMilli(1_800_000_000_000)
		s.now = func() time.Time { return now }
		for i := range n {
			add(s, i, 0)
		}
		ctx, next := context.Background(), n
		b.Run(fmt.Sprintf("create/invitations=%d", n), func(b *testing.B) {
			for range b.N {
				add(s, next, 0)
				next++
			}
		})
		b.Run(fmt.Sprintf("check/invitations=%d", n), func(b *testing.B) {
			for i := range b.N {
				_, _, _ = s.list(ctx, query{org: orgOf(i), email: emailOf(i), status: gen.Status{gen.OrganizationInvitationStatusPending}, limit: 10})
			}
		})
		b.Run(fmt.Sprintf("walk-page/invitations=%d", n), func(b *testing.B) {
			for i := range b.N {
				recs, _, _ := s.list(ctx, query{status: gen.Status{gen.OrganizationInvitationStatusPending}, order: "+created_at",
					limit: 500, offset: (i * 499) % n})
				if len(recs) == 0 {
					b.Fatal("an empty page")
				}
			}
		})
	}
}

// BenchmarkStoreGC measures what the invitations a fake holds cost the
// garbage collector, which marks them again in every cycle of a busy fake:
// the time of one full collection, per invitation held, with 10,000 and a
// million (of 1,000 organizations); and the heap's bytes and objects per
// invitation.
//
//	go test -run '^$' -bench BenchmarkStoreGC -benchtime 5x ./fake
func BenchmarkStoreGC(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("invitations=%d", n), func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			s, now := newStore(), time.UnixMilli(1_800_000_000_000)
			s.now = func() time.Time { return now }
			for i := range n {
				add(s, i, 0)
			}
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ResetTimer()
			for range b.N {
				runtime.GC()
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "gc-ns/invitation")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "heap-B/invitation")
			b.ReportMetric(float64(after.HeapObjects-before.HeapObjects)/float64(n), "objects/invitation")
			runtime.KeepAlive(s)
		})
	}
}

func orgOf(i int) string   { return fmt.Sprintf("org_%04d", i%1000) }
func emailOf(i int) string { return fmt.Sprintf("person%07d@example.com", i) }

// add creates the invitation of person i in organization i%1000, as a
// create request does.
func add(s *store, i, _ int) {
	org := orgOf(i)
	s.org(org)
	in := gen.NewOrganizationInvitation{EmailAddress: emailOf(i), Role: "org:member"}
	r, errs := s.build(context.Background(), org, in, -1)
	if errs != nil || s.refusal(org, in.EmailAddress) != "" {
		panic(fmt.Sprint("fake: cannot add ", i))
	}
	s.add(origin{}, org, []*record{r}, []gen.NewOrganizationInvitation{in})
}
