// Command benchratio reads `go test -bench` output (several runs of the
// same benchmarks, concatenated) and prints, as markdown, the median of
// every metric and, for benchmarks with an impl=raw|gen|floor|floor+bound|facade
// part, the ratio of gen and facade to raw, then, where there is a floor,
// the facade's ratio to it (and how many allocations it makes more), and
// the same against floor+bound, the floor with each call under a timeout.
//
//	go test -run '^$' -bench . -benchmem ./bench | go run ./bench/benchratio
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// samples maps benchmark name (without impl and GOMAXPROCS) -> impl -> unit -> values.
type samples map[string]map[string]map[string][]float64

func main() {
	s, order, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
	report(os.Stdout, s, order)
}

// parse collects every sample; order lists benchmark names as first seen.
func parse(r io.Reader) (samples, []string, error) {
	s := samples{}
	var order []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name, impl := split(fields[0])
		if s[name] == nil {
			s[name] = map[string]map[string][]float64{}
			order = append(order, name)
		}
		if s[name][impl] == nil {
			s[name][impl] = map[string][]float64{}
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, nil, fmt.Errorf("%q: %w", sc.Text(), err)
			}
			unit := fields[i+1]
			s[name][impl][unit] = append(s[name][impl][unit], v)
		}
	}
	return s, order, sc.Err()
}

// split drops the "Benchmark" prefix and the -GOMAXPROCS suffix, and takes
// out the impl=... part.
func split(full string) (name, impl string) {
	full = strings.TrimPrefix(full, "Benchmark")
	if i := strings.LastIndexByte(full, '-'); i > 0 {
		if _, err := strconv.Atoi(full[i+1:]); err == nil {
			full = full[:i]
		}
	}
	var parts []string
	for _, p := range strings.Split(full, "/") {
		if v, ok := strings.CutPrefix(p, "impl="); ok {
			impl = v
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "/"), impl
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	c := slices.Clone(vs)
	slices.Sort(c)
	if n := len(c); n%2 == 1 {
		return c[n/2]
	} else {
		return (c[n/2-1] + c[n/2]) / 2
	}
}

var units = []string{"ns/op", "allocs/op", "B/op"} // the order of the table's columns

func report(w io.Writer, s samples, order []string) {
	fmt.Fprintln(w, "| benchmark | runs | raw ns/op | gen/raw | facade/raw | raw allocs | gen/raw | facade/raw | raw B/op | gen/raw | facade/raw |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
	var others []string
	for _, name := range order {
		raw, ok := s[name]["raw"]
		if !ok {
			others = append(others, name)
			continue
		}
		row := []string{name, strconv.Itoa(len(raw["ns/op"]))}
		for _, u := range units {
			base := median(raw[u])
			row = append(row, num(base), ratio(median(s[name]["gen"][u]), base), ratio(median(s[name]["facade"][u]), base))
		}
		fmt.Fprintln(w, "| "+strings.Join(row, " | ")+" |")
	}
	reportAgainst(w, s, order, "floor")
	reportAgainst(w, s, order, "floor+bound")
	if len(others) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| benchmark | runs | medians |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, name := range others {
		for impl, byUnit := range s[name] {
			label := name
			if impl != "" {
				label += " (" + impl + ")"
			}
			var parts []string
			var unitsSeen []string
			for u := range byUnit {
				unitsSeen = append(unitsSeen, u)
			}
			slices.Sort(unitsSeen)
			for _, u := range unitsSeen {
				parts = append(parts, num(median(byUnit[u]))+" "+u)
			}
			fmt.Fprintf(w, "| %s | %d | %s |\n", label, len(byUnit["ns/op"]), strings.Join(parts, ", "))
		}
	}
}

// reportAgainst prints, for every benchmark with a reference (impl=ref:
// the floor, or floor+bound) and a facade, the medians of both and their
// ratio in time, allocations and bytes, and the allocations the facade
// makes beyond the reference's.
func reportAgainst(w io.Writer, s samples, order []string, ref string) {
	header := false
	vs := "facade/" + ref
	if strings.Contains(ref, "+") {
		vs = "facade/(" + ref + ")"
	}
	for _, name := range order {
		fl, facade := s[name][ref], s[name]["facade"]
		if fl == nil || facade == nil {
			continue
		}
		if !header {
			fmt.Fprintln(w)
			fmt.Fprintf(w, "| benchmark | runs | %[1]s ns/op | facade ns/op | %[2]s | %[1]s allocs | facade allocs | facade−%[1]s | %[2]s | %[1]s B/op | %[2]s |\n", ref, vs)
			fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|")
			header = true
		}
		row := []string{name, strconv.Itoa(len(facade["ns/op"]))}
		for _, u := range units {
			base, v := median(fl[u]), median(facade[u])
			row = append(row, num(base))
			if u != "B/op" {
				row = append(row, num(v))
			}
			if u == "allocs/op" {
				row = append(row, strconv.FormatFloat(v-base, 'f', -1, 64))
			}
			row = append(row, ratio(v, base))
		}
		fmt.Fprintln(w, "| "+strings.Join(row, " | ")+" |")
	}
}

// num prints whole numbers from 100 up, and four significant digits below.
func num(v float64) string {
	if v >= 100 || v == float64(int64(v)) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func ratio(v, base float64) string {
	if base == 0 || v == 0 {
		return "–"
	}
	return strconv.FormatFloat(v/base, 'f', 2, 64) + "×"
}
