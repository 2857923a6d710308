package bulkinvite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A scan of one organization reads that organization's rows, found by
// the index of keys, in rowid order with no sort of the rows: so that
// status, which scans each organization with someone failed, reads each
// entry once rather than the whole journal for each organization.
func TestScanOfOneOrganizationUsesTheIndex(t *testing.T) {
	j, err := OpenJournal(filepath.Join(t.TempDir(), "journal.db"))
	require.NoError(t, err)
	defer j.Close()
	q, args := scanQuery("org_a")
	rows, err := j.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	require.NoError(t, err)
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		plan = append(plan, detail)
	}
	require.NoError(t, rows.Err())
	all := strings.Join(plan, "\n")
	assert.Contains(t, all, "USING COVERING INDEX sqlite_autoindex_entries_1 (organization_id=?)", all)
	assert.Contains(t, all, "USING INTEGER PRIMARY KEY (rowid=?)", all)
	assert.NotContains(t, all, "SCAN entries", all)
	assert.NotContains(t, all, "TEMP B-TREE", all)
}
