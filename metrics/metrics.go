// Package metrics is Heard's Prometheus metrics: what the council's IT team
// watches. It is the only package that imports the Prometheus client. The
// packages it watches know nothing of it: each says what it does through a
// small observer interface of its own (api.RequestObserver,
// mongo.CommitObserver, mongo.CommandObserver), which Metrics implements,
// and cmd/heard wires them together.
//
// No label ever carries what a person wrote or anything about a person:
// the only labels are route patterns from the route table, HTTP methods
// and status codes, and database command names, each from a fixed set
// (Labels lists them). A path can carry an access code or a session's join
// code, so requests are counted by their route's pattern, never by path.
package metrics

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric of Heard's own.
const namespace = "heard"

// Labels are the only label names Heard's metrics use, besides those of
// the Go and process collectors (which have none but "version" on
// go_info). A test checks a whole scrape against this list.
var Labels = []string{"method", "route", "status", "command", "version"}

// Metrics holds the registry and every metric in it. The zero value is not
// usable; call New. Its methods are safe for concurrent use and never
// block: they are called on hot paths (every request, every commit).
type Metrics struct {
	reg *prometheus.Registry

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec

	stored     prometheus.Counter
	batches    prometheus.Histogram
	backlog    prometheus.Gauge
	backlogAge atomic.Int64 // unix nanoseconds the oldest uncounted response was stored; 0: none

	commands      *prometheus.HistogramVec
	commandErrors *prometheus.CounterVec

	live atomic.Pointer[func() int]

	alertsSent, alertsFailed     prometheus.Counter
	alertsPending, alertsFailing prometheus.Gauge
}

// New makes the metrics, in a registry of their own rather than
// Prometheus's global one, so that several servers in one process (as in
// tests) each count only their own.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "http", Name: "requests_total",
		Help: "HTTP requests answered, by method, route pattern and status.",
	}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
		Help: "Time to answer an HTTP request (for an event stream, to start it), by method and route pattern.",
		// From a cached page to a board's PDF report.
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "route"})
	m.stored = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "responses", Name: "stored_total",
		Help: "Survey responses stored (new ones: a device's retry of a stored response is not counted again).",
	})
	m.batches = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "commit", Name: "batch_size",
		Help: "Responses written together in one group commit.",
		// Up to mongo.DefaultCommitOptions.MaxBatch.
		Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200, 500},
	})
	m.backlog = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "tally", Name: "backlog_responses",
		Help: "Responses stored and acknowledged but not yet added to the tallies.",
	})
	lag := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "tally", Name: "lag_seconds",
		Help: "How long the oldest response not yet added to the tallies has waited; 0 when none waits.",
	}, m.tallyLag)
	m.commands = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "db", Name: "command_duration_seconds",
		Help:    "Time for the database to answer a command, by command name.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"command"})
	m.commandErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "db", Name: "command_errors_total",
		Help: "Database commands that failed, by command name.",
	}, []string{"command"})
	live := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "live", Name: "connections",
		Help: "Phones and projectors following a MADE session on this instance (event streams and waiting long polls).",
	}, m.liveConnections)
	m.alertsSent = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "safeguarding", Name: "alerts_sent_total",
		Help: "Safeguarding alerts (new flags and requests to talk) delivered by every configured sender.",
	})
	m.alertsFailed = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "safeguarding", Name: "alerts_failed_total",
		Help: "Attempts to deliver a safeguarding alert that failed (each is retried).",
	})
	m.alertsPending = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "safeguarding", Name: "alerts_pending",
		Help: "Safeguarding alerts not yet delivered: due now or waiting to be retried.",
	})
	m.alertsFailing = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Subsystem: "safeguarding", Name: "alerts_failing",
		Help: "Pending safeguarding alerts whose delivery has failed at least once.",
	})
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency, m.stored, m.batches, m.backlog, lag, m.commands, m.commandErrors, live,
		m.alertsSent, m.alertsFailed, m.alertsPending, m.alertsFailing,
	)
	return m
}

// Registry returns the registry, for tests that gather it directly.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus's text format (or OpenMetrics,
// when the scraper asks for it). It leaves compression to whoever mounts
// it: the app compresses its answers already.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		DisableCompression:  true,
		MaxRequestsInFlight: 4,
		Timeout:             10 * time.Second,
	})
}

// ObserveRequest counts a request answered by the app (api.RequestObserver).
// route must be a route pattern, never a path.
func (m *Metrics) ObserveRequest(method, route string, status int, took time.Duration) {
	method = knownMethod(method)
	m.requests.WithLabelValues(method, route, statusLabel(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(took.Seconds())
}

// methods are the HTTP methods counted by name; any other is "other", so
// that a client cannot make up label values.
var methods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

func knownMethod(m string) string {
	if methods[m] {
		return m
	}
	return "other"
}

func statusLabel(status int) string {
	if status < 100 || status > 599 {
		return "other"
	}
	return strconv.Itoa(status)
}

// Batch records the size of one group commit (mongo.CommitObserver).
func (m *Metrics) Batch(size int) { m.batches.Observe(float64(size)) }

// Stored counts responses newly stored (mongo.CommitObserver).
func (m *Metrics) Stored(n int) { m.stored.Add(float64(n)) }

// TallyBacklog records how many stored responses the tallies do not yet
// count, and since when the oldest has waited (mongo.CommitObserver).
func (m *Metrics) TallyBacklog(responses int, since time.Time) {
	m.backlog.Set(float64(responses))
	if responses == 0 || since.IsZero() {
		m.backlogAge.Store(0)
		return
	}
	m.backlogAge.Store(since.UnixNano())
}

// tallyLag is worked out when scraped, so that it grows while the
// committer is stuck (retrying a tally update the database refuses).
func (m *Metrics) tallyLag() float64 {
	since := m.backlogAge.Load()
	if since == 0 {
		return 0
	}
	return max(0, time.Since(time.Unix(0, since)).Seconds())
}

// ObserveCommand records a database command's time, by its name only
// (mongo.CommandObserver).
func (m *Metrics) ObserveCommand(name string, took time.Duration, failed bool) {
	name = knownCommand(name)
	m.commands.WithLabelValues(name).Observe(took.Seconds())
	if failed {
		m.commandErrors.WithLabelValues(name).Inc()
	}
}

// commands are the database commands the driver sends for Heard, counted
// by name; any other is "other".
var commands = map[string]bool{
	"find": true, "getMore": true, "killCursors": true, "insert": true, "update": true, "delete": true,
	"findAndModify": true, "aggregate": true, "count": true, "distinct": true,
	"createIndexes": true, "listIndexes": true, "dropIndexes": true, "listCollections": true,
	"create": true, "drop": true, "dropDatabase": true, "listDatabases": true,
	"ping": true, "hello": true, "isMaster": true, "buildInfo": true, "endSessions": true,
	"saslStart": true, "saslContinue": true, "commitTransaction": true, "abortTransaction": true,
}

func knownCommand(name string) string {
	if commands[name] {
		return name
	}
	return "other"
}

// WatchLive makes heard_live_connections read followers when scraped
// (rooms.Hub.Followers). Until then it is 0.
func (m *Metrics) WatchLive(followers func() int) { m.live.Store(&followers) }

func (m *Metrics) liveConnections() float64 {
	f := m.live.Load()
	if f == nil {
		return 0
	}
	return float64((*f)())
}

// AlertsRun counts one round of the safeguarding alert loop: alerts
// delivered, and attempts that failed.
func (m *Metrics) AlertsRun(sent, failed int) {
	m.alertsSent.Add(float64(sent))
	m.alertsFailed.Add(float64(failed))
}

// AlertBacklog records the alerts not yet delivered, and how many of them
// have failed at least once.
func (m *Metrics) AlertBacklog(pending, failing int) {
	m.alertsPending.Set(float64(pending))
	m.alertsFailing.Set(float64(failing))
}
