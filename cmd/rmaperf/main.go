// Command rmaperf measures the service against yardsticks: `rmaperf
// ratios` prints ours / yardstick for each figure (SQLite always, MariaDB
// and Redis when RMA_TEST_MYSQL_DSN and RMA_TEST_REDIS_ADDR are set),
// `rmaperf scale` the reads' curve over the number of claims, and `rmaperf
// seed` only seeds, printing how fast.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"rma/internal/perf"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rmaperf ratios | scale [--sizes 10000,100000,1000000] [--mix realistic|open] | seed [--claims 100000] [--mix realistic|open] [--only sqlite|mariadb] [--cpuprofile file]")
		os.Exit(2)
	}
	gin.SetMode(gin.ReleaseMode)
	ctx := context.Background()
	var err error
	switch os.Args[1] {
	case "ratios":
		// RMA_PERF_CPUPROFILE names a file for a CPU profile of the run
		// (go tool pprof), to see where a figure's time goes.
		if path := os.Getenv("RMA_PERF_CPUPROFILE"); path != "" {
			stop, perr := profile(path)
			if perr != nil {
				fmt.Fprintln(os.Stderr, "rmaperf:", perr)
				os.Exit(1)
			}
			defer stop()
		}
		err = ratios(ctx)
	case "scale":
		fs := flag.NewFlagSet("scale", flag.ExitOnError)
		sizes := fs.String("sizes", "10000,100000,1000000", "claim counts, comma-separated")
		mix := mixFlag(fs)
		_ = fs.Parse(os.Args[2:])
		var ns []int
		for _, s := range strings.Split(*sizes, ",") {
			n, perr := strconv.Atoi(strings.TrimSpace(s))
			if perr != nil || n <= 0 {
				fmt.Fprintln(os.Stderr, "--sizes: whole numbers above zero, comma-separated")
				os.Exit(2)
			}
			ns = append(ns, n)
		}
		err = scale(ctx, ns, parseMix(*mix))
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ExitOnError)
		n := fs.Int("claims", 100000, "claims to seed")
		profile := fs.String("cpuprofile", "", "write a CPU profile of the seeding to this file")
		mix := mixFlag(fs)
		only := fs.String("only", "", "sqlite or mariadb: seed that database alone")
		_ = fs.Parse(os.Args[2:])
		if *n <= 0 {
			fmt.Fprintln(os.Stderr, "--claims: a whole number above zero")
			os.Exit(2)
		}
		err = seed(ctx, *n, parseMix(*mix), *only, *profile)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rmaperf:", err)
		os.Exit(1)
	}
}

// profile starts a CPU profile into path and returns what stops it.
func profile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func ratios(ctx context.Context) error {
	for _, t := range perf.Targets() {
		start := time.Now()
		fmt.Printf("\n== %s (ours / yardstick, alternating in one process)\n", t.Name())
		e, err := perf.Open(ctx, t)
		if err != nil {
			return err
		}
		_, err = perf.Ratios(ctx, e, perf.Quick, os.Getenv("RMA_PERF_ONLY"), os.Stdout)
		e.Close()
		if err != nil {
			return err
		}
		fmt.Printf("(%s in %.0f s)\n", t.Name(), time.Since(start).Seconds())
	}
	return nil
}

func mixFlag(fs *flag.FlagSet) *string {
	return fs.String("mix", string(perf.MixRealistic), "the claims seeded: realistic (two years, most finished) or open (all open, the last 30 days)")
}

func parseMix(s string) perf.Mix {
	for _, m := range perf.Mixes {
		if string(m) == s {
			return m
		}
	}
	fmt.Fprintln(os.Stderr, "--mix: realistic or open")
	os.Exit(2)
	return ""
}

func scale(ctx context.Context, sizes []int, mix perf.Mix) error {
	for _, t := range perf.Targets() {
		fmt.Printf("\n== %s, %s claims: each read's rate (2 clients) and median at each number of claims\n", t.Name(), mix)
		e, err := perf.Open(ctx, t)
		if err != nil {
			return err
		}
		e.Mix = mix
		points, err := e.Scale(ctx, sizes, 2*time.Second, os.Stdout)
		e.Close()
		if err != nil {
			return err
		}
		curve(os.Stdout, points, sizes)
	}
	return nil
}

// seed times seeding n claims into a fresh database of each target, the
// figure the seeder's speed is judged by.
func seed(ctx context.Context, n int, mix perf.Mix, only, profile string) error {
	for _, t := range perf.Targets() {
		if only == "sqlite" && t.MySQLDSN != "" || only == "mariadb" && t.MySQLDSN == "" {
			continue
		}
		e, err := perf.Open(ctx, t)
		if err != nil {
			return err
		}
		e.Mix = mix
		stop := func() {}
		if profile != "" {
			f, err := os.Create(profile)
			if err != nil {
				e.Close()
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				e.Close()
				return err
			}
			stop = func() { pprof.StopCPUProfile(); f.Close() }
		}
		start := time.Now()
		_, err = e.Seed(ctx, n, os.Stdout)
		d := time.Since(start)
		stop()
		var rows int64
		if err == nil {
			rows, err = e.SeededRows(ctx)
		}
		e.Close()
		if err != nil {
			return err
		}
		fmt.Printf("%s: seeded %d %s claims, %d rows, in %.1f s (%.0f claims/s, %.0f rows/s, the templates included)\n",
			t.Name(), n, mix, rows, d.Seconds(), float64(n)/d.Seconds(), float64(rows)/d.Seconds())
	}
	return nil
}

// curve prints, for each read, its median at each size and the ratio of
// each to its median at the first size, marking the ratios above 1.5: the
// reads that do not stay flat as the claims grow.
func curve(w io.Writer, points []perf.Point, sizes []int) {
	const flat = 1.5
	at := map[string]map[int]time.Duration{}
	var reads []string
	for _, p := range points {
		if at[p.Read] == nil {
			at[p.Read] = map[int]time.Duration{}
			reads = append(reads, p.Read)
		}
		at[p.Read][p.Claims] = p.P50
	}
	base := count(sizes[0])
	fmt.Fprintf(w, "\n%-28s", "read (median)")
	for _, n := range sizes {
		fmt.Fprintf(w, " %10s", count(n))
	}
	for _, n := range sizes[1:] {
		fmt.Fprintf(w, " %13s", count(n)+" × "+base)
	}
	fmt.Fprintln(w)
	for _, r := range reads {
		fmt.Fprintf(w, "%-28s", r)
		for _, n := range sizes {
			if d, ok := at[r][n]; ok {
				fmt.Fprintf(w, " %10s", fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000))
			} else {
				fmt.Fprintf(w, " %10s", "-")
			}
		}
		for _, n := range sizes[1:] {
			first, d := at[r][sizes[0]], at[r][n]
			x := "-"
			if first > 0 && d > 0 {
				x = fmt.Sprintf("%.2f", float64(d)/float64(first))
				if float64(d) > flat*float64(first) {
					x += " !"
				} else {
					x += "  "
				}
			}
			fmt.Fprintf(w, " %13s", x)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "(! more than %.1f× its median at %s claims)\n", flat, base)
}

// count writes a number of claims as the curve's columns name it: 10k, 1M.
func count(n int) string {
	switch {
	case n >= 1000000 && n%1000000 == 0:
		return strconv.Itoa(n/1000000) + "M"
	case n >= 1000 && n%1000 == 0:
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}
