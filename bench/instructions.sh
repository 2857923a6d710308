#!/usr/bin/env bash
# Counts the CPU instructions one call costs, per case and implementation
# (raw, gen, floor, floor+bound and facade; bench/bench_test.go says what
# each is),
# with valgrind's callgrind: repeatable to a fraction of a percent, unlike
# wall-clock time on a shared machine. Each case runs the compiled benchmark
# binary for N and 3N iterations with the garbage collector off (so its
# wall-clock pacing does not enter) and reports (count(3N) - count(N)) / 2N,
# which cancels start-up and fixtures. Goroutine preemption by signal is off:
# callgrind can trip over the signals it sends. Usage: bench/instructions.sh BINARY
set -euo pipefail
bin=${1:?usage: instructions.sh path/to/bench.test}
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

count() { # case impl iterations
	GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" \
		-test.run '^$' -test.bench "InMemory/op=$1/impl=${2//+/\\+}\$" -test.benchtime "$3x" -test.cpu 1 2>&1 >/dev/null |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

echo "| case | raw instr/call | gen | gen/raw | floor | floor+bound | facade | facade/raw | facade/floor | facade/(floor+bound) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for op in get create list100 list500; do
	case $op in get | create) n=1000 ;; list100) n=40 ;; list500) n=10 ;; esac
	declare -A per=()
	for impl in raw gen floor floor+bound facade; do
		a=$(count "$op" "$impl" "$n")
		b=$(count "$op" "$impl" $((3 * n)))
		per[$impl]=$(((b - a) / (2 * n)))
	done
	awk -v op="$op" -v r="${per[raw]}" -v g="${per[gen]}" -v fl="${per[floor]}" -v fb="${per[floor+bound]}" -v f="${per[facade]}" \
		'BEGIN { printf "| %s | %d | %d | %.3f× | %d | %d | %d | %.3f× | %.3f× | %.3f× |\n", op, r, g, g / r, fl, fb, f, f / r, f / fl, f / fb }'
done
