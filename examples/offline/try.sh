#!/usr/bin/env bash
# try.sh: clerk-invite end to end, offline, against clerk-fake.
#
# It builds both commands into a temporary folder, starts clerk-fake on any
# free port (reading its base URL off the first line it prints), invites
# the three people of people.csv without Clerk's email, shows the run's
# status and the organization's invitations, and stops clerk-fake by its
# process id. It needs Go and bash, no account, no key and no network.
#
#   examples/offline/try.sh
#
# Built binaries, not `go run`: a signal to `go run` stops the go command,
# not the program it started, and the tools' exit codes become go's.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
fake_pid=""

cleanup() {
	if [ -n "$fake_pid" ]; then
		kill "$fake_pid" 2>/dev/null || true
		wait "$fake_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "== Building clerk-fake and clerk-invite into $work/bin"
(cd "$root" && go build -o "$work/bin/" ./cmd/clerk-fake ./cmd/clerk-invite)

echo "== Starting clerk-fake on a free port"
"$work/bin/clerk-fake" --port 0 --org org_demo=Demo >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!
for _ in $(seq 100); do
	[ -s "$work/fake.out" ] && break
	sleep 0.1
done
url=$(head -n 1 "$work/fake.out")
if [ -z "$url" ]; then
	echo "clerk-fake did not start:" >&2
	cat "$work/fake.err" >&2
	exit 1
fi
echo "clerk-fake (process $fake_pid) serves $url"

export CLERK_SECRET_KEY=sk_test_offline # the fake takes any sk_ key
invite() { "$work/bin/clerk-invite" --base-url "$url" "$@"; }

echo "== send"
invite send --org org_demo --csv "$here/people.csv" --journal "$work/people.journal.db" --limits none --no-notify
echo "== status"
invite status --journal "$work/people.journal.db"
echo "== list"
invite list --org org_demo

echo "== Stopping clerk-fake"
kill "$fake_pid"
wait "$fake_pid" # clerk-fake exits 0 on SIGTERM; anything else fails the script
echo "clerk-fake (process $fake_pid) stopped"
fake_pid=""
