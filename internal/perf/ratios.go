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

	"github.com/hibiken/asynq"
	"github.com/oklog/ulid/v2"

	"rma/internal/slip"
)

// Options size a run. The ratio printed is the median of the rounds'.
type Options struct {
	Window time.Duration // each side's time per round, for the reads
	Rounds int           // rounds, each side once per round (the order alternates)
	Conc   int           // concurrent clients
	Scans  int           // intake scans per side per round
	Jobs   int           // jobs per side per round
	Late   int           // jobs timed for the clock's lateness
}

// Quick is a run's size in `make bench`; Tiny is the tests'.
var (
	Quick = Options{Window: 700 * time.Millisecond, Rounds: 7, Conc: 4, Scans: 60, Jobs: 150, Late: 40}
	Tiny  = Options{Window: 50 * time.Millisecond, Rounds: 1, Conc: 2, Scans: 4, Jobs: 4, Late: 2}
)

// Figure is one line of the report.
type Figure struct {
	Name string
	// Ours and Yard are rates (per second); Ratio is Ours / Yard. For the
	// clock's lateness Yard is 0 and Ratio is unused.
	Ours, Yard float64
	Unit       string
	Goal       string
	// Note says more (latencies, checks).
	Note string
	// Rounds are the ratios of each round (ours / yardstick, measured one
	// after the other).
	Rounds []float64
}

// median is the middle of xs (0 for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	r := slices.Clone(xs)
	slices.Sort(r)
	if len(r)%2 == 1 {
		return r[len(r)/2]
	}
	return (r[len(r)/2-1] + r[len(r)/2]) / 2
}

// Ratio is the median of the rounds' ratios (so that a burst of load from
// elsewhere, which hits one side of one round, moves it least), or
// ours / yardstick over the whole run when there are no rounds.
func (f Figure) Ratio() float64 {
	if len(f.Rounds) > 0 {
		return median(f.Rounds)
	}
	if f.Yard == 0 {
		return 0
	}
	return f.Ours / f.Yard
}

// PrintHeader writes the table's header.
func PrintHeader(w io.Writer) {
	fmt.Fprintf(w, "%-40s %13s %13s %6s  %-8s %s\n", "figure", "ours", "yardstick", "ratio", "goal", "")
}

// Print writes the figures as the table's lines.
func Print(w io.Writer, figs []Figure) {
	for _, f := range figs {
		ratio := "-"
		if f.Yard > 0 {
			ratio = fmt.Sprintf("%.2f", f.Ratio())
		}
		fmt.Fprintf(w, "%-40s %13s %13s %6s  %-8s %s\n", f.Name, fmt.Sprintf("%.0f %s", f.Ours, f.Unit),
			yardCell(f), ratio, f.Goal, f.Note)
	}
}

func yardCell(f Figure) string {
	if f.Yard == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f %s", f.Yard, f.Unit)
}

// alternate measures ours and the yardstick in turns, each round starting
// with the other one, and returns both sums and each round's ratio.
func alternate(rounds int, ours, yard func() (sample, error)) (sample, sample, []float64, error) {
	var o, y sample
	var ratios []float64
	for r := range rounds {
		on, yn := o, y
		sides := []struct {
			into *sample
			run  func() (sample, error)
		}{{&o, ours}, {&y, yard}}
		if r%2 == 1 {
			sides[0], sides[1] = sides[1], sides[0]
		}
		for _, s := range sides {
			got, err := s.run()
			if err != nil {
				return o, y, ratios, err
			}
			s.into.add(got)
		}
		or := sample{n: o.n - on.n, wall: o.wall - on.wall}
		yr := sample{n: y.n - yn.n, wall: y.wall - yn.wall}
		if yr.rate() > 0 {
			ratios = append(ratios, or.rate()/yr.rate())
		}
	}
	return o, y, ratios, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// Ratios measures every figure of the table on e.
func Ratios(ctx context.Context, e *Env, o Options, only string, progress io.Writer) ([]Figure, error) {
	y, err := newYard(e.Store)
	if err != nil {
		return nil, err
	}
	defer y.close()
	var figs []Figure
	if progress != nil {
		PrintHeader(progress)
	}
	step := func(f Figure, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		figs = append(figs, f)
		if progress != nil {
			Print(progress, []Figure{f})
		}
		return nil
	}
	for _, run := range figures(only) {
		if err := step(run(ctx, e, y, o)); err != nil {
			return figs, err
		}
	}
	return figs, nil
}

type figureFunc func(context.Context, *Env, *yard, Options) (Figure, error)

// figures are the figures whose names contain only ("" for all).
func figures(only string) []figureFunc {
	all := []struct {
		name string
		run  figureFunc
	}{{"read", claimRead}, {"live", liveFragment}, {"scan", intakeScan}, {"slip", slipDownload},
		{"slip-304", slipRevalidate}, {"job", notificationJob}, {"clock", clockLateness}}
	var out []figureFunc
	for _, f := range all {
		if only == "" || strings.Contains(only, f.name) {
			out = append(out, f.run)
		}
	}
	return out
}

// readClaim is a claim as a buyer polls it: with a question asked.
func readClaim(ctx context.Context, e *Env) (string, error) {
	rma, err := e.NewClaim(ctx, false)
	if err != nil {
		return "", err
	}
	if _, err := e.App.Claims.Pick(ctx, e.Users["rep"].Actor(), rma); err != nil {
		return "", err
	}
	_, err = e.App.Claims.RequestInfo(ctx, e.Users["rep"].Actor(), rma, "Which cable did you try?")
	return rma, err
}

func claimRead(ctx context.Context, e *Env, y *yard, o Options) (Figure, error) {
	f := Figure{Name: "claim read (GET /api/v1/claims/{rma})", Unit: "/s", Goal: ">= 0.80"}
	rma, err := readClaim(ctx, e)
	if err != nil {
		return f, err
	}
	auth := []string{"Authorization", "Bearer " + e.Tokens["buyer"]}
	ours := func() error { return get(e.Client, e.Srv.URL+"/api/v1/claims/"+rma, 200, auth...) }
	yd := func() error { return get(e.Client, y.srv.URL+"/api/v1/claims/"+rma, 200, auth...) }
	return readFigure(f, o, ours, yd)
}

func liveFragment(ctx context.Context, e *Env, y *yard, o Options) (Figure, error) {
	f := Figure{Name: "live fragment (GET /claims/{rma}/live)", Unit: "/s", Goal: ">= 0.80"}
	rma, err := readClaim(ctx, e)
	if err != nil {
		return f, err
	}
	ours := func() error {
		return get(e.Client, e.Srv.URL+"/claims/"+rma+"/live", 200, "Cookie", "rma_session="+e.Tokens["buyer"])
	}
	yd := func() error {
		return get(e.Client, y.srv.URL+"/api/v1/claims/"+rma, 200, "Authorization", "Bearer "+e.Tokens["buyer"])
	}
	return readFigure(f, o, ours, yd)
}

// readFigure measures a read's throughput against the yardstick's, then
// ours's p99 at half the yardstick's peak rate.
func readFigure(f Figure, o Options, ours, yd func() error) (Figure, error) {
	for range o.Conc * 4 { // warm the connections and the caches
		if err := cmpOr(ours(), yd()); err != nil {
			return f, err
		}
	}
	os, ys, rounds, err := alternate(o.Rounds,
		func() (sample, error) { return closedLoop(o.Window, o.Conc, ours) },
		func() (sample, error) { return closedLoop(o.Window, o.Conc, yd) })
	if err != nil {
		return f, err
	}
	f.Ours, f.Yard, f.Rounds = os.rate(), ys.rate(), rounds
	half, err := paced(f.Yard/2, o.Window, ours)
	if err != nil {
		return f, err
	}
	// The yardstick at the same pace, right after: what the machine alone
	// adds to a p99 (on a loaded machine, the scheduler's delays).
	yhalf, err := paced(f.Yard/2, o.Window, yd)
	if err != nil {
		return f, err
	}
	f.Note = fmt.Sprintf("p99 at half the yardstick's peak (%.0f/s): %s, the yardstick's %s (goal <= 20 ms)", f.Yard/2,
		ms(half.quantile(0.99)), ms(yhalf.quantile(0.99)))
	return f, nil
}

func intakeScan(ctx context.Context, e *Env, y *yard, o Options) (Figure, error) {
	f := Figure{Name: "intake scan (POST /api/v1/intake/scans)", Unit: "/s", Goal: ">= 0.60"}
	n := o.Scans * o.Rounds
	mine, theirs := make([]string, n), make([]string, n)
	for i := range n {
		var err error
		if mine[i], err = e.NewClaim(ctx, true); err != nil {
			return f, err
		}
		if theirs[i], err = e.NewClaim(ctx, true); err != nil {
			return f, err
		}
	}
	auth := []string{"Authorization", "Bearer " + e.Tokens["tech"]}
	scan := func(url string, codes []string) func(int) error {
		return func(i int) error {
			return send(e.Client, "POST", url+"/api/v1/intake/scans", `{"code":"`+e.Signer.Code(codes[i])+`"}`, 200, auth...)
		}
	}
	var mr, yr int
	os, ys, rounds, err := alternate(o.Rounds,
		func() (sample, error) {
			s, err := batch(o.Scans, o.Conc, func(i int) error { return scan(e.Srv.URL, mine[mr*o.Scans:])(i) })
			mr++
			return s, err
		},
		func() (sample, error) {
			s, err := batch(o.Scans, o.Conc, func(i int) error { return scan(y.srv.URL, theirs[yr*o.Scans:])(i) })
			yr++
			return s, err
		})
	if err != nil {
		return f, err
	}
	f.Ours, f.Yard, f.Rounds = os.rate(), ys.rate(), rounds
	// The same labels again, four at once each: nothing may move twice.
	var wg sync.WaitGroup
	for _, rma := range mine[:min(len(mine), 20)] {
		for range 4 {
			wg.Add(1)
			go func() { defer wg.Done(); _ = scan(e.Srv.URL, []string{rma})(0) }()
		}
	}
	wg.Wait()
	dup, err := duplicateReceipts(ctx, e)
	if err != nil {
		return f, err
	}
	f.Note = fmt.Sprintf("p99 %s; duplicate transitions: %d", ms(os.quantile(0.99)), dup)
	return f, nil
}

// duplicateReceipts counts claims received more than once.
func duplicateReceipts(ctx context.Context, e *Env) (int, error) {
	var n int64
	err := e.Store.DB().WithContext(ctx).Raw(`SELECT COUNT(*) FROM (SELECT claim_id FROM claim_events
		WHERE action = 'receive' GROUP BY claim_id HAVING COUNT(*) > 1) d`).Scan(&n).Error
	return int(n), err
}

// keptSlip is an approved claim whose slip has been downloaded once (and so
// kept), and those bytes.
func keptSlip(ctx context.Context, e *Env, y *yard) (string, error) {
	rma, err := e.NewClaim(ctx, true)
	if err != nil {
		return "", err
	}
	pdf, _, err := e.App.Shipping.Slip(ctx, e.Users["buyer"].Actor(), rma, slip.A4, "")
	if err != nil {
		return "", err
	}
	y.slip.Store(&pdf)
	y.slipTag = `"yard-` + rma + `"`
	return rma, nil
}

func slipDownload(ctx context.Context, e *Env, y *yard, o Options) (Figure, error) {
	f := Figure{Name: "repeat slip download (200)", Unit: "/s", Goal: ">= 0.80"}
	rma, err := keptSlip(ctx, e, y)
	if err != nil {
		return f, err
	}
	auth := []string{"Authorization", "Bearer " + e.Tokens["buyer"]}
	path := "/api/v1/claims/" + rma + "/slip.pdf?format=a4"
	return readFigure(f, o, func() error { return get(e.Client, e.Srv.URL+path, 200, auth...) },
		func() error { return get(e.Client, y.srv.URL+path, 200, auth...) })
}

// slipRevalidate is the repeat download of a client that kept the slip:
// If-None-Match with the ETag it was given.
func slipRevalidate(ctx context.Context, e *Env, y *yard, o Options) (Figure, error) {
	f := Figure{Name: "repeat slip download (If-None-Match)", Unit: "/s", Goal: ">= 0.80"}
	rma, err := keptSlip(ctx, e, y)
	if err != nil {
		return f, err
	}
	auth := []string{"Authorization", "Bearer " + e.Tokens["buyer"]}
	path := "/api/v1/claims/" + rma + "/slip.pdf?format=a4"
	tag, err := etag(e.Client, e.Srv.URL+path, auth...)
	if err != nil {
		return f, err
	}
	want := http.StatusNotModified
	if tag == "" { // no ETag: every repeat is a full download
		want = http.StatusOK
		f.Note = "no ETag: full downloads"
	}
	return readFigure(f, o, func() error { return get(e.Client, e.Srv.URL+path, want, append(auth, "If-None-Match", tag)...) },
		func() error { return get(e.Client, y.srv.URL+path, 304, append(auth, "If-None-Match", y.slipTag)...) })
}

func etag(client *http.Client, url string, headers ...string) (string, error) {
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.Header.Get("ETag"), nil
}

// notificationJob: buyer e-mails (render and keep, through the outbox, the
// relay, asynq and the handler) against a no-op asynq handler, in batches.
func notificationJob(ctx context.Context, e *Env, _ *yard, o Options) (Figure, error) {
	f := Figure{Name: "notification job", Unit: "jobs/s", Goal: ">= 0.50"}
	rma, err := e.NewClaim(ctx, false)
	if err != nil {
		return f, err
	}
	var job struct{ ClaimID, EventID string }
	e.Store.DB().Raw(`SELECT j.claim_id, j.event_id FROM jobs j JOIN claims c ON c.id = j.claim_id
		WHERE c.rma_number = ? AND j.kind = 'notify' LIMIT 1`, rma).Scan(&job)
	if job.EventID == "" {
		return f, fmt.Errorf("no notification job")
	}
	if err := settleBacklog(ctx, e); err != nil {
		return f, err
	}
	var perJob []float64
	ours := func() (sample, error) {
		base, err := e.Store.PendingCount(ctx)
		if err != nil {
			return sample{}, err
		}
		now := time.Now().UTC()
		for range o.Jobs {
			if err := e.Store.DB().Exec(`INSERT INTO jobs (id, kind, claim_id, event_id, run_at, created_at, attempts)
				VALUES (?, 'notify', ?, ?, ?, ?, 0)`, ulid.Make().String(), job.ClaimID, job.EventID, now, now).Error; err != nil {
				return sample{}, err
			}
		}
		// The clock starts before the jobs reach the queue on both sides:
		// here the relay hands them over, there the yardstick enqueues its
		// own, and each side's server starts after that (an asynq server
		// that starts on an empty queue naps before it looks again, which
		// would measure the nap, not the jobs).
		start, stmts := time.Now(), e.Statements.Load()
		if _, err := e.App.Relay.Once(ctx); err != nil {
			return sample{}, err
		}
		w := e.App.NewWorker()
		if err := w.Start(ctx); err != nil {
			return sample{}, err
		}
		stop := sync.OnceFunc(w.Shutdown)
		defer stop()
		polls := int64(0)
		for {
			polls++
			n, err := e.Store.PendingCount(ctx)
			if err != nil {
				return sample{}, err
			}
			if n <= base {
				break
			}
			if time.Since(start) > 2*time.Minute {
				return sample{}, fmt.Errorf("%d jobs still pending", n-base)
			}
			time.Sleep(2 * time.Millisecond)
		}
		s := sample{n: o.Jobs, wall: time.Since(start)}
		stop()
		// The relay's and the worker's statements, the harness's polls of
		// the pending count left out.
		perJob = append(perJob, float64(e.Statements.Load()-stmts-polls)/float64(o.Jobs))
		return s, nil
	}
	noop := func() (sample, error) {
		var done sync.WaitGroup
		done.Add(o.Jobs)
		srv := asynq.NewServerFromRedisClient(e.App.Redis, asynq.Config{Concurrency: e.App.Config.WorkerConcurrency,
			Logger: quiet{}, Queues: map[string]int{"perf": 1}})
		mux := asynq.NewServeMux()
		mux.HandleFunc("perf:noop", func(context.Context, *asynq.Task) error { done.Done(); return nil })
		start := time.Now()
		for range o.Jobs { // with a task id of its own, as the relay enqueues
			if _, err := e.App.Queue.Enqueue(asynq.NewTask("perf:noop", nil), asynq.Queue("perf"),
				asynq.TaskID(ulid.Make().String()), asynq.MaxRetry(12), asynq.Timeout(2*time.Minute)); err != nil {
				return sample{}, err
			}
		}
		if err := srv.Start(mux); err != nil {
			return sample{}, err
		}
		done.Wait()
		s := sample{n: o.Jobs, wall: time.Since(start)}
		srv.Shutdown()
		return s, nil
	}
	os, ys, rounds, err := alternate(o.Rounds, ours, noop)
	if err != nil {
		return f, err
	}
	f.Ours, f.Yard, f.Rounds = os.rate(), ys.rate(), rounds
	f.Note = fmt.Sprintf("%d jobs a batch, from the enqueue; worker started per batch on both sides; %.1f statements a job",
		o.Jobs, median(perJob))
	return f, nil
}

// clockLateness: jobs due over the next seconds, with the worker running;
// the lateness is each one's completion after its due time.
func clockLateness(ctx context.Context, e *Env, _ *yard, o Options) (Figure, error) {
	f := Figure{Name: "clock lateness (job done - due)", Unit: "ms p99", Goal: "<= 5 s"}
	rma, err := e.NewClaim(ctx, false)
	if err != nil {
		return f, err
	}
	var job struct{ ClaimID, EventID string }
	e.Store.DB().Raw(`SELECT j.claim_id, j.event_id FROM jobs j JOIN claims c ON c.id = j.claim_id
		WHERE c.rma_number = ? AND j.kind = 'notify' LIMIT 1`, rma).Scan(&job)
	if err := settleBacklog(ctx, e); err != nil {
		return f, err
	}
	w := e.App.NewWorker()
	if err := w.Start(ctx); err != nil {
		return f, err
	}
	defer w.Shutdown()
	start := time.Now().UTC()
	ids := make([]string, o.Late)
	dues := map[string]time.Time{}
	for i := range ids {
		ids[i] = ulid.Make().String()
		due := start.Add(time.Second + time.Duration(i)*250*time.Millisecond)
		dues[ids[i]] = due
		if err := e.Store.DB().Exec(`INSERT INTO jobs (id, kind, claim_id, event_id, run_at, created_at, attempts)
			VALUES (?, 'notify', ?, ?, ?, ?, 0)`, ids[i], job.ClaimID, job.EventID, due, start).Error; err != nil {
			return f, err
		}
	}
	var lats []time.Duration
	for len(lats) < len(ids) {
		if time.Since(start) > time.Duration(o.Late)*250*time.Millisecond+2*time.Minute {
			return f, fmt.Errorf("only %d of %d jobs done", len(lats), len(ids))
		}
		time.Sleep(50 * time.Millisecond)
		var rows []struct {
			ID     string
			DoneAt *time.Time
		}
		if err := e.Store.DB().Raw(`SELECT id, done_at FROM jobs WHERE id IN ? AND done_at IS NOT NULL`, ids).Scan(&rows).Error; err != nil {
			return f, err
		}
		if len(rows) == len(ids) {
			for _, r := range rows {
				lats = append(lats, r.DoneAt.Sub(dues[r.ID]))
			}
		}
	}
	p99 := quantile(lats, 0.99)
	f.Ours = float64(p99.Milliseconds())
	f.Note = fmt.Sprintf("%d jobs due 1-%.0f s ahead; median %s, worst %s", len(ids),
		1+float64(o.Late)*0.25, ms(quantile(lats, 0.5)), ms(quantile(lats, 1)))
	return f, nil
}

// settleBacklog marks done the jobs the set-up wrote (the e-mails of the
// claims filed and approved to be measured), so that a job figure measures
// its own jobs only.
func settleBacklog(ctx context.Context, e *Env) error {
	return e.Store.DB().WithContext(ctx).Exec(`UPDATE jobs SET done_at = ?, enqueued_at = ? WHERE done_at IS NULL OR enqueued_at IS NULL`, time.Now().UTC(), time.Now().UTC()).Error
}

type quiet struct{}

func (quiet) Debug(...any) {}
func (quiet) Info(...any)  {}
func (quiet) Warn(...any)  {}
func (quiet) Error(...any) {}
func (quiet) Fatal(...any) {}
