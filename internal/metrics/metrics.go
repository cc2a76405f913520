// Package metrics holds the service's Prometheus series: HTTP requests by
// route and status, security events, and, read from the database and the
// queue at each scrape, jobs by kind and state, queue depth, the promises
// kept and broken, and e-mails by status.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the series one process exposes.
type Metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	security *prometheus.CounterVec
}

// New returns the process's series, with Go's runtime and process series.
// A nil source leaves out the series read at scrape time.
func New(src Source) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rma_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "rma_http_request_duration_seconds",
			Help: "Time to answer HTTP requests, by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route"}),
		security: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rma_security_events_total",
			Help: "Security events: failed sign-ins, lockouts, rate limits, refusals, forged labels."}, []string{"event"}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.security,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src != nil {
		m.registry.MustRegister(&scrape{src: src})
	}
	return m
}

// ObserveRequest records one answered request. Unmatched paths count under
// the route "unmatched", so that scanners cannot grow the series.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// Security counts a security event.
func (m *Metrics) Security(event string) { m.security.WithLabelValues(event).Inc() }

// Handler serves the series in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Timeout: 10 * time.Second})
}

// Source is what the series read at scrape time come from.
type Source interface {
	// JobCounts counts outbox jobs by kind and state (pending, done, failing).
	JobCounts(ctx context.Context) ([]Count, error)
	// MailCounts counts kept e-mails by status (sent, kept, failed...).
	MailCounts(ctx context.Context) ([]Count, error)
	// Promises counts the last 30 days' promises by kind (answer, return)
	// and state (kept, broken).
	Promises(ctx context.Context) ([]Count, error)
	// QueueDepth counts the queue's tasks by queue and state (pending,
	// scheduled, retry, archived, active).
	QueueDepth(ctx context.Context) ([]Count, error)
}

// Count is one labelled number.
type Count struct {
	Labels []string
	N      float64
}

var (
	jobsDesc = prometheus.NewDesc("rma_jobs", "Outbox jobs by kind and state (pending, done, failing: tried and not done).",
		[]string{"kind", "state"}, nil)
	mailDesc = prometheus.NewDesc("rma_mail_messages", "E-mails kept, by status (sent: delivered over SMTP).",
		[]string{"status"}, nil)
	promiseDesc = prometheus.NewDesc("rma_promises", "Promises of the last 30 days by kind and state (kept, broken).",
		[]string{"kind", "state"}, nil)
	queueDesc = prometheus.NewDesc("rma_queue_tasks", "Tasks in the job queue by queue and state.",
		[]string{"queue", "state"}, nil)
	scrapeErrDesc = prometheus.NewDesc("rma_scrape_errors", "Series that could not be read at this scrape.",
		[]string{"series"}, nil)
)

// scrape reads the database and queue series when Prometheus asks.
type scrape struct{ src Source }

func (s *scrape) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{jobsDesc, mailDesc, promiseDesc, queueDesc, scrapeErrDesc} {
		ch <- d
	}
}

func (s *scrape) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, q := range []struct {
		name string
		desc *prometheus.Desc
		read func(context.Context) ([]Count, error)
	}{{"jobs", jobsDesc, s.src.JobCounts}, {"mail", mailDesc, s.src.MailCounts},
		{"promises", promiseDesc, s.src.Promises}, {"queue", queueDesc, s.src.QueueDepth}} {
		counts, err := q.read(ctx)
		failed := 0.0
		if err != nil {
			failed = 1
		}
		ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, failed, q.name)
		for _, c := range counts {
			ch <- prometheus.MustNewConstMetric(q.desc, prometheus.GaugeValue, c.N, c.Labels...)
		}
	}
}
