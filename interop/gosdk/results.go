package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/clerk/clerk-sdk-go/v2"
)

// invitationChecks checks one invitation result against its response and
// returns the response's JSON object, or nil when the call failed. want
// holds fields of the response with the JSON values they must have.
func (s *suite) invitationChecks(name string, inv *clerk.OrganizationInvitation, err error, want map[string]string) map[string]json.RawMessage {
	if !s.t.check(name+": succeeds", err == nil && inv != nil && inv.Response != nil, fmt.Sprint(err)) {
		return nil
	}
	raw := inv.Response.RawJSON
	s.t.problems(name+": the response has the contract's fields", invitationProblems("invitation", raw, false))
	s.t.problems(name+": the SDK's struct matches the response field for field", mapProblems("invitation", inv, raw))
	var obj map[string]json.RawMessage
	_ = json.Unmarshal(raw, &obj)
	if len(want) > 0 {
		var wrong []string
		for k, v := range want {
			if !sameJSON(obj[k], []byte(v)) {
				wrong = append(wrong, fmt.Sprintf("%s is %s, want %s", k, orAbsent(obj[k]), v))
			}
		}
		s.t.problems(name+": the values sent or expected", wrong)
	}
	return obj
}

// listWant is what a page must hold: its total_count and, unless nil, its
// invitations' ids in order.
type listWant struct {
	total int64
	ids   []string
}

// listChecks checks one page against its response; withOrganization marks
// the instance-wide list.
func (s *suite) listChecks(name string, list *clerk.OrganizationInvitationList, err error, want listWant, withOrganization bool) []map[string]json.RawMessage {
	if !s.t.check(name+": succeeds", err == nil && list != nil && list.Response != nil, fmt.Sprint(err)) {
		return nil
	}
	p, problems := pageProblems(list.Response.RawJSON, withOrganization)
	s.t.problems(name+": the response has the contract's fields", problems)
	var out []string
	if len(list.OrganizationInvitations) != len(p.Data) {
		out = append(out, fmt.Sprintf("the SDK has %d invitations, the response %d", len(list.OrganizationInvitations), len(p.Data)))
	} else {
		for i, inv := range list.OrganizationInvitations {
			out = append(out, mapProblems(fmt.Sprintf("data[%d]", i), inv, p.Data[i])...)
		}
	}
	if p.TotalCount == nil || list.TotalCount != *p.TotalCount {
		out = append(out, fmt.Sprintf("TotalCount is %d, the response's total_count %v", list.TotalCount, p.TotalCount))
	}
	s.t.problems(name+": the SDK's list matches the response field for field", out)
	s.t.equal(name+": total_count", list.TotalCount, want.total)
	objs := make([]map[string]json.RawMessage, len(p.Data))
	ids := []string{}
	for i, inv := range p.Data {
		_ = json.Unmarshal(inv, &objs[i])
		var id string
		_ = json.Unmarshal(objs[i]["id"], &id)
		ids = append(ids, id)
	}
	if want.ids != nil {
		s.t.equal(name+": the invitations, in order", ids, want.ids)
	}
	return objs
}

// errorWant is the status and code the wire contract gives a refusal.
type errorWant struct {
	status int
	code   string
}

// errorChecks checks a refused call: the contract's status and code, and
// the SDK's error against the response's error body.
func (s *suite) errorChecks(name string, err error, want errorWant) {
	var apiErr *clerk.APIErrorResponse
	if !s.t.check(name+": fails with *clerk.APIErrorResponse", errors.As(err, &apiErr) && apiErr.Response != nil, fmt.Sprintf("got %T %v", err, err)) {
		return
	}
	var body struct {
		Errors []struct {
			Code        *string         `json:"code"`
			Message     *string         `json:"message"`
			LongMessage *string         `json:"long_message"`
			Meta        json.RawMessage `json:"meta"`
		} `json:"errors"`
		ClerkTraceID string `json:"clerk_trace_id"`
	}
	decodeErr := json.Unmarshal(apiErr.Response.RawJSON, &body)
	var contract []string
	if decodeErr != nil || len(body.Errors) == 0 {
		contract = append(contract, fmt.Sprintf("the body has no errors: %v", decodeErr))
	}
	for i, e := range body.Errors {
		if e.Code == nil || e.Message == nil || e.LongMessage == nil {
			contract = append(contract, fmt.Sprintf("errors[%d] lacks code, message or long_message", i))
		}
	}
	status := apiErr.Response.StatusCode
	if status != want.status || len(body.Errors) == 0 || deref(body.Errors[0].Code) != want.code {
		contract = append(contract, fmt.Sprintf("status %d, want %d %s", status, want.status, want.code))
	}
	s.t.problems(fmt.Sprintf("%s: %d %s", name, want.status, want.code), contract)

	var out []string
	if apiErr.HTTPStatusCode != status {
		out = append(out, fmt.Sprintf("HTTPStatusCode is %d, the response's status %d", apiErr.HTTPStatusCode, status))
	}
	if apiErr.TraceID != body.ClerkTraceID {
		out = append(out, fmt.Sprintf("TraceID is %q, the response's clerk_trace_id %q", apiErr.TraceID, body.ClerkTraceID))
	}
	if len(apiErr.Errors) != len(body.Errors) {
		out = append(out, fmt.Sprintf("%d errors, the response %d", len(apiErr.Errors), len(body.Errors)))
	} else {
		for i, e := range apiErr.Errors {
			r := body.Errors[i]
			got := []any{e.Code, e.Message, e.LongMessage, string(e.Meta)}
			wantFields := []any{deref(r.Code), deref(r.Message), deref(r.LongMessage), string(r.Meta)}
			if !reflect.DeepEqual(got, wantFields) {
				out = append(out, fmt.Sprintf("errors[%d] is %q, the response's %q", i, got, wantFields))
			}
		}
	}
	s.t.problems(name+": the SDK's error matches the response field for field", out)
}

func deref(p *string) string {
	if p == nil {
		return "<absent>"
	}
	return *p
}
