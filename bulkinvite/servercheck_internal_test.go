package bulkinvite

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The check takes the strategy that needs fewer list requests, the first
// page of the instance's walk counted in both (it tells the instance's
// total); one organization is listed directly, with no first page.
func TestChooseCheck(t *testing.T) {
	for _, tc := range []struct {
		name     string
		orgs     int
		pending  int64
		strategy CheckStrategy
		requests int
	}{
		{"nobody to check", 0, -1, CheckByOrganization, 0},
		{"one organization: its own list", 1, -1, CheckByOrganization, 1},
		{"one organization, the instance known", 1, 10, CheckByOrganization, 1},
		{"two, the instance on one page", 2, 500, CheckInstance, 1},
		{"two, the instance empty", 2, 0, CheckInstance, 1},
		{"two, the instance on three pages: a tie goes to the walk", 2, 1000, CheckInstance, 3},
		{"two, the instance on four pages", 2, 1499, CheckByOrganization, 3},
		{"1,000 organizations, 20,000 pending", 1000, 20_000, CheckInstance, 41},
		{"1,000 organizations, 1,000,000 pending", 1000, 1_000_000, CheckByOrganization, 1001},
		{"1,000 organizations, the walk one request cheaper", 1000, 499_500, CheckInstance, 1001},
		{"1,000 organizations, the walk one request dearer", 1000, 500_000, CheckByOrganization, 1001},
		{"unknown total", 5, -1, CheckByOrganization, 5},
	} {
		strategy, requests := chooseCheck(tc.orgs, tc.pending)
		assert.Equal(t, tc.strategy, strategy, tc.name)
		assert.Equal(t, tc.requests, requests, tc.name)
	}
}
