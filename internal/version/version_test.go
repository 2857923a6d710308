package version

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDescribe(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "x (no build information)"},
		{"go install at a tag", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}},
			"x v1.2.3 (go1.26.8)"},
		{"a clone, clean", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20260101000000-0123456789ab"},
			Settings: vcs("vcs.revision", rev, "vcs.modified", "false")},
			"x v0.0.0-20260101000000-0123456789ab (commit 0123456789ab; go1.26.8)"},
		{"a clone with changes", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: vcs("vcs", "git", "vcs.revision", rev, "vcs.modified", "true")},
			"x (devel) (commit 0123456789ab, modified; go1.26.8)"},
		{"no version at all", &debug.BuildInfo{}, "x (devel)"},
		{"a short revision", &debug.BuildInfo{Main: debug.Module{Version: "v2.0.0"}, Settings: vcs("vcs.revision", "abc")},
			"x v2.0.0 (commit abc)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, describe("x", tc.info))
		})
	}
}
