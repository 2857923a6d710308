package main

import (
	"encoding/json"
	"fmt"
	"slices"
)

// The fields the wire contract (../shared/reference/org-invitations.wire.json)
// requires of every invitation, and of the instance-wide list's
// organization data. They are
// checked in the response itself, so a field the SDK does not model cannot
// go missing unnoticed.
var (
	invitationFields = []string{
		"object", "id", "email_address", "role", "role_name", "inviter_id",
		"public_inviter_data", "public_metadata", "url", "expires_at",
		"created_at", "updated_at",
	}
	organizationFields = []string{"id", "name", "slug", "has_image"}
	knownStatuses      = []string{"pending", "accepted", "revoked", "expired"}
)

// invitationProblems lists what one invitation in the response lacks.
func invitationProblems(where string, raw json.RawMessage, withOrganization bool) []string {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return []string{where + " is not an object"}
	}
	out := missing(where, obj, invitationFields)
	var status string
	if _, ok := obj["status"]; ok && (json.Unmarshal(obj["status"], &status) != nil || !slices.Contains(knownStatuses, status)) {
		out = append(out, fmt.Sprintf("%s.status is %s", where, obj["status"]))
	}
	if withOrganization {
		var org map[string]json.RawMessage
		if err := json.Unmarshal(obj["public_organization_data"], &org); err != nil || org == nil {
			return append(out, where+".public_organization_data is not an object")
		}
		out = append(out, missing(where+".public_organization_data", org, organizationFields)...)
	}
	return out
}

func missing(where string, obj map[string]json.RawMessage, names []string) []string {
	var out []string
	for _, name := range names {
		if _, ok := obj[name]; !ok {
			out = append(out, where+"."+name+" is missing")
		}
	}
	return out
}

// page is a list response as the wire contract gives it.
type page struct {
	Data       []json.RawMessage `json:"data"`
	TotalCount *int64            `json:"total_count"`
}

// pageProblems lists what a page lacks; it returns the page too.
func pageProblems(raw json.RawMessage, withOrganization bool) (page, []string) {
	var p page
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, []string{"the page does not decode: " + err.Error()}
	}
	var out []string
	if p.TotalCount == nil {
		out = append(out, "total_count is missing")
	}
	if p.Data == nil {
		out = append(out, "data is missing")
	}
	for i, inv := range p.Data {
		out = append(out, invitationProblems(fmt.Sprintf("data[%d]", i), inv, withOrganization)...)
	}
	return p, out
}
