package fake

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseFault(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec faultSpec
		op   string
		n    int
		want Fault
		err  string
	}{
		{"status", faultSpec{Operation: OpCreate, Kind: "status", Status: 503, RetryAfter: "2s"}, OpCreate, 1, Fault{Status: 503, RetryAfter: 2 * time.Second}, ""},
		{"2xx body", faultSpec{Operation: OpGet, Kind: "status", Status: 200, Body: "{}", Count: 3}, OpGet, 3, Fault{Status: 200, Body: "{}"}, ""},
		{"echo", faultSpec{Operation: "*", Kind: "status", Status: 401, EchoKey: true}, AnyOperation, 1, Fault{Status: 401, EchoKey: true}, ""},
		{"reset after", faultSpec{Operation: OpCreate, Kind: "reset", After: true}, OpCreate, 1, Fault{Reset: true, After: true}, ""},
		{"hang", faultSpec{Operation: OpList, Kind: "hang"}, OpList, 1, Fault{Hang: true}, ""},
		{"redirect default", faultSpec{Operation: OpGet, Kind: "redirect"}, OpGet, 1, Fault{Redirect: 307}, ""},
		{"redirect 303", faultSpec{Operation: OpGet, Kind: "redirect", Status: 303, Location: "http://x/"}, OpGet, 1, Fault{Redirect: 303, RedirectTo: "http://x/"}, ""},
		{"stall", faultSpec{Operation: OpGet, Kind: "stall_body"}, OpGet, 1, Fault{StallBody: true}, ""},
		{"trickle", faultSpec{Operation: OpGet, Kind: "trickle", Interval: "10ms"}, OpGet, 1, Fault{Trickle: 10 * time.Millisecond}, ""},
		{"partial", faultSpec{Operation: OpGet, Kind: "partial"}, OpGet, 1, Fault{Partial: true}, ""},
		{"ignore offset", faultSpec{Operation: OpList, Kind: "ignore_offset", Count: 100}, OpList, 100, Fault{IgnoreOffset: true}, ""},
		{"unknown operation", faultSpec{Operation: "create", Kind: "reset"}, "", 0, Fault{}, `operation "create" is not one of *, `},
		{"no operation", faultSpec{Kind: "reset"}, "", 0, Fault{}, `operation "" is not one of`},
		{"unknown kind", faultSpec{Operation: OpGet, Kind: "explode"}, "", 0, Fault{}, `kind "explode" is not one of status, hang`},
		{"no status", faultSpec{Operation: OpGet, Kind: "status"}, "", 0, Fault{}, "needs a status from 200 to 599, not 0"},
		{"redirect not 3xx", faultSpec{Operation: OpGet, Kind: "redirect", Status: 200}, "", 0, Fault{}, "needs a 3xx status, not 200"},
		{"trickle without interval", faultSpec{Operation: OpGet, Kind: "trickle"}, "", 0, Fault{}, "needs a positive interval"},
		{"bad duration", faultSpec{Operation: OpGet, Kind: "status", Status: 429, RetryAfter: "soon"}, "", 0, Fault{}, `retry_after "soon" is not a duration`},
		{"negative count", faultSpec{Operation: OpGet, Kind: "reset", Count: -2}, "", 0, Fault{}, "count -2 is negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op, n, f, err := parseFault(tc.spec)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, tc.op, op)
			assert.Equal(t, tc.n, n)
			assert.Equal(t, tc.want, f)
		})
	}
}

func TestParseLimits(t *testing.T) {
	type lim struct {
		op  string
		n   int
		per time.Duration
	}
	for _, tc := range []struct {
		name string
		spec limitsSpec
		want []lim
		err  string
	}{
		{"off", limitsSpec{Clerk: "off"}, nil, ""},
		{"nothing", limitsSpec{}, nil, ""},
		{"production", limitsSpec{Clerk: "production"}, []lim{{OpCreate, 250, time.Hour}, {OpBulkCreate, 50, time.Hour}, {AnyOperation, 1000, 10 * time.Second}}, ""},
		{"development", limitsSpec{Clerk: "development"}, []lim{{OpCreate, 250, time.Hour}, {OpBulkCreate, 50, time.Hour}, {AnyOperation, 100, 10 * time.Second}}, ""},
		{"own", limitsSpec{Limits: []limitSpec{{OpCreate, 2, "1m"}}}, []lim{{OpCreate, 2, time.Minute}}, ""},
		{"unknown clerk", limitsSpec{Clerk: "staging"}, nil, `clerk "staging" is not production, development or off`},
		{"unknown operation", limitsSpec{Limits: []limitSpec{{"get", 2, "1m"}}}, nil, `limits[0]: operation "get"`},
		{"no count", limitsSpec{Limits: []limitSpec{{OpGet, 0, "1m"}}}, nil, "limits[0]: needs a count of at least 1"},
		{"no per", limitsSpec{Limits: []limitSpec{{OpGet, 1, ""}}}, nil, "limits[0]: needs a count of at least 1 and a positive per"},
		{"bad per", limitsSpec{Limits: []limitSpec{{OpGet, 1, "1 minute"}}}, nil, `limits[0].per "1 minute" is not a duration`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseLimits(tc.spec)
			if tc.err != "" {
				assert.ErrorContains(t, err, tc.err)
				return
			}
			assert.NoError(t, err)
			var short []lim
			for _, w := range got {
				short = append(short, lim{w.op, w.n, w.per})
			}
			assert.Equal(t, tc.want, short)
		})
	}
}
