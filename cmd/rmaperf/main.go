// Command rmaperf measures the service against yardsticks: `rmaperf
// ratios` prints ours / yardstick for each figure (SQLite always, MariaDB
// and Redis when RMA_TEST_MYSQL_DSN and RMA_TEST_REDIS_ADDR are set), and
// `rmaperf scale` the reads' curve over the number of claims.
package main

import (
	"context"
	"flag"
	"fmt"
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
		fmt.Fprintln(os.Stderr, "usage: rmaperf ratios | scale [--sizes 10000,100000,1000000]")
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
		err = scale(ctx, ns)
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

func scale(ctx context.Context, sizes []int) error {
	for _, t := range perf.Targets() {
		fmt.Printf("\n== %s: each read's rate (2 clients) and median at each number of claims\n", t.Name())
		e, err := perf.Open(ctx, t)
		if err != nil {
			return err
		}
		points, err := e.Scale(ctx, sizes, 2*time.Second, os.Stdout)
		e.Close()
		if err != nil {
			return err
		}
		curve(points, sizes[0])
	}
	return nil
}

// curve prints each read's median against its median at the first size.
func curve(points []perf.Point, base int) {
	first := map[string]time.Duration{}
	for _, p := range points {
		if p.Claims == base {
			first[p.Read] = p.P50
		}
	}
	fmt.Printf("\n%-30s %10s %10s %8s\n", "read", "claims", "median", "x first")
	for _, p := range points {
		x := "-"
		if f := first[p.Read]; f > 0 {
			x = fmt.Sprintf("%.2f", float64(p.P50)/float64(f))
		}
		fmt.Printf("%-30s %10d %10s %8s\n", p.Read, p.Claims, fmt.Sprintf("%.1f ms", float64(p.P50.Microseconds())/1000), x)
	}
}
