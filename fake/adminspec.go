package fake

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/invitekit/clerkinvitations/gen"
)

// The admin API's requests, as JSON, and the pure functions that turn them
// into faults and limits.

// faultSpec is the body of POST /_fake/faults: which operation, how many
// calls, and one kind of Fault by name, with the fields that kind takes.
type faultSpec struct {
	Operation  string `json:"operation"`   // an operationId, or "*"
	Count      int    `json:"count"`       // calls to misbehave on; 1 when absent
	Kind       string `json:"kind"`        // one of faultKinds
	Status     int    `json:"status"`      // kind status: the status; kind redirect: its 3xx (307 when absent)
	Body       string `json:"body"`        // kind status with a 2xx: the body sent
	RetryAfter string `json:"retry_after"` // kind status: a Retry-After, as a duration ("2s")
	EchoKey    bool   `json:"echo_key"`    // kind status: echo the Authorization header back
	Location   string `json:"location"`    // kind redirect: the Location (the same URL when absent)
	Interval   string `json:"interval"`    // kind trickle: the time between bytes ("10ms")
	After      bool   `json:"after"`       // carry the request out first
}

// faultKinds are the names of Fault's kinds of misbehaviour.
var faultKinds = []string{"status", "hang", "reset", "redirect", "stall_body", "trickle", "partial", "ignore_offset"}

// operationIDs are the names an admin request may give an operation.
func operationIDs() []string {
	ids := []string{AnyOperation}
	for _, op := range gen.Operations {
		ids = append(ids, op.ID)
	}
	return ids
}

// parseFault turns a faultSpec into InjectFault's arguments, or says what
// is wrong with it.
func parseFault(spec faultSpec) (op string, n int, f Fault, err error) {
	if !slices.Contains(operationIDs(), spec.Operation) {
		return "", 0, Fault{}, fmt.Errorf("operation %q is not one of %s", spec.Operation, strings.Join(operationIDs(), ", "))
	}
	n = spec.Count
	if n == 0 {
		n = 1
	}
	if n < 0 {
		return "", 0, Fault{}, fmt.Errorf("count %d is negative", n)
	}
	f.After = spec.After
	switch spec.Kind {
	case "status":
		if spec.Status < 200 || spec.Status > 599 {
			return "", 0, Fault{}, fmt.Errorf("kind status needs a status from 200 to 599, not %d", spec.Status)
		}
		f.Status, f.Body, f.EchoKey = spec.Status, spec.Body, spec.EchoKey
		if f.RetryAfter, err = optionalDuration("retry_after", spec.RetryAfter); err != nil {
			return "", 0, Fault{}, err
		}
	case "hang":
		f.Hang = true
	case "reset":
		f.Reset = true
	case "redirect":
		f.Redirect, f.RedirectTo = spec.Status, spec.Location
		if f.Redirect == 0 {
			f.Redirect = 307
		}
		if f.Redirect < 300 || f.Redirect > 399 {
			return "", 0, Fault{}, fmt.Errorf("kind redirect needs a 3xx status, not %d", f.Redirect)
		}
	case "stall_body":
		f.StallBody = true
	case "trickle":
		if f.Trickle, err = optionalDuration("interval", spec.Interval); err != nil {
			return "", 0, Fault{}, err
		}
		if f.Trickle <= 0 {
			return "", 0, Fault{}, fmt.Errorf("kind trickle needs a positive interval, such as \"10ms\"")
		}
	case "partial":
		f.Partial = true
	case "ignore_offset":
		f.IgnoreOffset = true
	default:
		return "", 0, Fault{}, fmt.Errorf("kind %q is not one of %s", spec.Kind, strings.Join(faultKinds, ", "))
	}
	return spec.Operation, n, f, nil
}

// limitsSpec is the body of PUT /_fake/rate-limits: Clerk's limits by name,
// or limits of one's own, or neither to turn the limits off.
type limitsSpec struct {
	Clerk  string      `json:"clerk"` // "production", "development" or "off"
	Limits []limitSpec `json:"limits"`
}

// limitSpec is one limit: at most Count requests of Operation in any Per.
type limitSpec struct {
	Operation string `json:"operation"`
	Count     int    `json:"count"`
	Per       string `json:"per"` // a duration, such as "10s"
}

// parseLimits turns a limitsSpec into the limits it names; none means no
// limit.
func parseLimits(spec limitsSpec) ([]*window, error) {
	probe := &Server{}
	switch spec.Clerk {
	case "production", "development":
		WithClerkRateLimits(spec.Clerk == "development")(probe)
	case "", "off":
	default:
		return nil, fmt.Errorf("clerk %q is not production, development or off", spec.Clerk)
	}
	for i, l := range spec.Limits {
		if !slices.Contains(operationIDs(), l.Operation) {
			return nil, fmt.Errorf("limits[%d]: operation %q is not one of %s", i, l.Operation, strings.Join(operationIDs(), ", "))
		}
		per, err := optionalDuration(fmt.Sprintf("limits[%d].per", i), l.Per)
		if err != nil {
			return nil, err
		}
		if l.Count < 1 || per <= 0 {
			return nil, fmt.Errorf("limits[%d]: needs a count of at least 1 and a positive per, such as \"10s\"", i)
		}
		WithRateLimit(l.Operation, l.Count, per)(probe)
	}
	return probe.limits, nil
}

// optionalDuration parses a duration field; "" is zero.
func optionalDuration(field, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s %q is not a duration such as \"2s\"", field, s)
	}
	return d, nil
}
