// Package version says which build of a program is running, from what the
// Go toolchain records in every binary (runtime/debug.ReadBuildInfo): the
// module's version, and the commit it was built from when the build had
// one. A binary installed with `go install module/cmd/x@v1.2.3` carries
// v1.2.3 and no commit; one built in a clone carries the commit, and says
// when the work tree had changes.
package version

import (
	"runtime/debug"
	"strings"
)

// String is the line a program prints for --version: its name, the
// module's version, and what else the build recorded, such as
// "clerk-invite v1.2.3 (commit 0123456789ab, modified; go1.26.8)".
func String(program string) string {
	info, _ := debug.ReadBuildInfo()
	return describe(program, info)
}

// describe is String for the build info given (nil when the binary
// carries none): a pure function of it.
func describe(program string, info *debug.BuildInfo) string {
	if info == nil {
		return program + " (no build information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var notes []string
	var commit string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if commit != "" {
		c := "commit " + commit[:min(len(commit), 12)]
		if modified {
			c += ", modified"
		}
		notes = append(notes, c)
	}
	if info.GoVersion != "" {
		notes = append(notes, info.GoVersion)
	}
	if len(notes) == 0 {
		return program + " " + v
	}
	return program + " " + v + " (" + strings.Join(notes, "; ") + ")"
}
