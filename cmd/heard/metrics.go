package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/heard-app/heard/metrics"
	"github.com/heard-app/heard/surveys"
)

// metricsStopTimeout bounds the wait for a scrape in progress at shutdown.
const metricsStopTimeout = 5 * time.Second

// serveMetrics serves h at /metrics on a listen address of its own (the
// monitoring network's), and nothing else there. With no address it serves
// nothing. stop shuts the listener down, waiting a little for a scrape in
// progress; it may be called whether or not anything was started.
func serveMetrics(addr string, h http.Handler, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("HEARD_METRICS_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("serve metrics", "err", err)
		}
	}()
	log.Info("metrics are served", "url", "http://"+ln.Addr().String()+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), metricsStopTimeout)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
		}
		<-done
	}, nil
}

// observeAlerts gives the metrics a round of the alert loop: what it sent
// and failed to, and what still waits. With m nil (metrics not served) it
// does nothing: counting what waits reads the flags and requests to talk
// again, which only a scraper needs.
func observeAlerts(ctx context.Context, alerts *surveys.Alerts, m *metrics.Metrics, sent, failed int, log *slog.Logger) {
	if m == nil {
		return
	}
	m.AlertsRun(sent, failed)
	b, err := alerts.Backlog(ctx)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("count safeguarding alerts waiting", "err", err)
		}
		return
	}
	m.AlertBacklog(b.Pending, b.Failing)
}
