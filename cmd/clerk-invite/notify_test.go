package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The choice whether Clerk emails the invitations: from the flag, from
// the journal, or refused.
func TestDecideNotify(t *testing.T) {
	yes, no := boolPtr(true), boolPtr(false)
	for _, tc := range []struct {
		name           string
		flag, recorded *bool
		sends          bool
		want           *bool
		refused        string
	}{
		{"a run with neither flag nor journal", nil, nil, true, nil, "send needs --notify"},
		{"a dry run with neither", nil, nil, false, nil, ""},
		{"a new run with --notify", yes, nil, true, yes, ""},
		{"a new run with --no-notify", no, nil, true, no, ""},
		{"a resume without the flag keeps the journal's", nil, no, true, no, ""},
		{"a resume without the flag keeps the journal's, notify", nil, yes, true, yes, ""},
		{"a resume with the same flag", yes, yes, true, yes, ""},
		{"a resume with the opposite flag", yes, no, true, nil, "records --no-notify for this run, and this command says --notify"},
		{"the other way round", no, yes, true, nil, "records --notify for this run, and this command says --no-notify"},
		{"a dry run with the opposite flag", no, yes, false, nil, "records --notify"},
		{"a dry run of a resume", nil, yes, false, yes, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decideNotify(tc.flag, tc.recorded, "j.db", tc.sends)
			if tc.refused != "" {
				var ee *exitError
				if assert.ErrorAs(t, err, &ee) {
					assert.Equal(t, exitBadInput, ee.code)
				}
				assert.ErrorContains(t, err, tc.refused)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
