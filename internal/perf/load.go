package perf

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// sample is what a load window measured: operations done, the time they
// took together, and each one's latency.
type sample struct {
	n    int
	wall time.Duration
	lats []time.Duration
}

func (s *sample) add(o sample) {
	s.n += o.n
	s.wall += o.wall
	s.lats = append(s.lats, o.lats...)
}

// rate is operations per second.
func (s sample) rate() float64 {
	if s.wall <= 0 {
		return 0
	}
	return float64(s.n) / s.wall.Seconds()
}

// quantile returns the q-quantile of the latencies (0 when none).
func (s sample) quantile(q float64) time.Duration {
	return quantile(s.lats, q)
}

func quantile(lats []time.Duration, q float64) time.Duration {
	if len(lats) == 0 {
		return 0
	}
	l := slices.Clone(lats)
	slices.Sort(l)
	i := int(q*float64(len(l))+0.5) - 1
	return l[max(0, min(i, len(l)-1))]
}

// closedLoop runs fn from conc goroutines, each starting the next call when
// the last one ends, for d.
func closedLoop(d time.Duration, conc int, fn func() error) (sample, error) {
	var mu sync.Mutex
	var out sample
	var first error
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(d)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lats []time.Duration
			for time.Now().Before(end) {
				t := time.Now()
				if err := fn(); err != nil {
					mu.Lock()
					first = cmpOr(first, err)
					mu.Unlock()
					return
				}
				lats = append(lats, time.Since(t))
			}
			mu.Lock()
			out.lats = append(out.lats, lats...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.n, out.wall = len(out.lats), time.Since(start)
	return out, first
}

// batch runs fn(i) for i in [0, n) from conc goroutines and times the whole.
func batch(n, conc int, fn func(i int) error) (sample, error) {
	var mu sync.Mutex
	var out sample
	var first error
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t := time.Now()
				err := fn(i)
				mu.Lock()
				if err != nil {
					first = cmpOr(first, err)
				} else {
					out.lats = append(out.lats, time.Since(t))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	out.n, out.wall = len(out.lats), time.Since(start)
	return out, first
}

// paced calls fn at a steady rate (per second) for d, each call in its own
// goroutine (at most 64 at once: a call waits for a free one), and measures
// each latency from the moment the call was due, so that a stall counts
// against every call it delays.
func paced(rate float64, d time.Duration, fn func() error) (sample, error) {
	var mu sync.Mutex
	var out sample
	var first error
	var wg sync.WaitGroup
	every := time.Duration(float64(time.Second) / rate)
	slots := make(chan struct{}, 64)
	start := time.Now()
	for i := 0; ; i++ {
		due := start.Add(time.Duration(i) * every)
		if due.Sub(start) >= d {
			break
		}
		time.Sleep(time.Until(due))
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			err := fn()
			lat := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				first = cmpOr(first, err)
				return
			}
			out.lats = append(out.lats, lat)
		}()
	}
	wg.Wait()
	out.n, out.wall = len(out.lats), time.Since(start)
	return out, first
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// get sends a GET and checks its status; the body is read to its end.
func get(client *http.Client, url string, want int, headers ...string) error {
	return send(client, "GET", url, "", want, headers...)
}

func send(client *http.Client, method, url, body string, want int, headers ...string) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		return err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %.200s", method, url, res.StatusCode, want, b)
	}
	return nil
}
