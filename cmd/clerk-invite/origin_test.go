package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/invitekit/clerkinvitations/bulkinvite"
)

func TestOriginNote(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	was := bulkinvite.Origin{OrganizationID: "org_a", List: "/d/people.csv", Digest: "sha256:1", People: 3, StartedAt: at}
	for name, tc := range map[string]struct {
		was  *bulkinvite.Origin
		now  bulkinvite.Origin
		want string // "" for no note, else a part of it
	}{
		"no origin recorded":        {nil, bulkinvite.Origin{OrganizationID: "org_a", List: "/d/x.csv", Digest: "sha256:2"}, ""},
		"the same file":             {&was, was, ""},
		"the same content, renamed": {&was, bulkinvite.Origin{OrganizationID: "org_a", List: "/d/copy.csv", Digest: "sha256:1", People: 3}, ""},
		"the file changed": {&was, bulkinvite.Origin{OrganizationID: "org_a", List: "/d/people.csv", Digest: "sha256:2", People: 1},
			"was started on 2026-12-01 09:30 UTC for /d/people.csv (3 people, for org_a), and the file has changed since (1 person now)."},
		"another file": {&was, bulkinvite.Origin{OrganizationID: "org_a", List: "/d/other.csv", Digest: "sha256:2", People: 2},
			"and this run's file is another: /d/other.csv (2 people)."},
		"another organization": {&was, bulkinvite.Origin{OrganizationID: "org_b", List: "/d/people.csv", Digest: "sha256:1", People: 3},
			"and this run is for org_b."},
		"a hostile path is escaped": {&was, bulkinvite.Origin{OrganizationID: "org_a", List: "/d/\x1b[2Jx.csv", Digest: "sha256:2", People: 2},
			`another: /d/\x1b[2Jx.csv`},
	} {
		t.Run(name, func(t *testing.T) {
			got := originNote("/d/j.db", tc.was, tc.now)
			if tc.want == "" {
				assert.Empty(t, got)
				return
			}
			assert.Contains(t, got, tc.want)
			assert.NotContains(t, got, "\x1b")
		})
	}
}
