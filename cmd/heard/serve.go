package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os/signal"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// Timing of start-up and shutdown.
const (
	surveyCacheTTL  = 2 * time.Second  // how long another instance's survey change may take to be seen
	shutdownTimeout = 20 * time.Second // to finish requests and write every queued answer
)

// serve runs the server until SIGINT or SIGTERM.
func serve(ctx context.Context, cfg *Config, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	st, err := openStorage(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.close()

	responses, err := mongo.NewResponseStore(ctx, st.db, mongo.ResponseOptions{Log: log})
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		if err := responses.Close(closeCtx); err != nil {
			log.Error("close response store", "err", err)
		}
	}()

	cache := &surveys.SurveyCache{SurveyStore: st.surveys, TTL: surveyCacheTTL, Now: time.Now}
	intake := &surveys.Intake{Surveys: cache, Responses: responses, Now: time.Now}
	catalog := &surveys.Catalog{Store: cache, Now: time.Now}

	codes := &surveys.Codes{Store: mongo.NewCodeStore(st.db), Surveys: cache, Now: time.Now}
	codeAttempts := api.DefaultCodeAttempts(time.Now)

	if cfg.Demo {
		if err := loadDemo(ctx, catalog, intake, st, log); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	pages, err := frontend.New(frontend.Config{
		Intake:       intake,
		Surveys:      cache,
		Codes:        codes,
		CodeAttempts: codeAttempts,
		Help:         frontend.HelpLine{CouncilName: cfg.CouncilName, CouncilPhone: cfg.HelpPhone, CouncilHours: cfg.HelpHours},
		Log:          log,
	})
	if err != nil {
		return err
	}
	srv := api.New(api.Config{
		Intake:       intake,
		Catalog:      catalog,
		Surveys:      cache,
		Tallies:      st.tallies.Following(responses),
		Accounts:     st.accounts(),
		Codes:        codes,
		Pages:        pages,
		Ping:         st.db.Ping,
		Threshold:    cfg.Threshold,
		Log:          log,
		CodeAttempts: codeAttempts,
		PublicURL:    cfg.PublicURL,
		CouncilName:  cfg.CouncilName,
	})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("HEARD_ADDR %s: %w", cfg.Addr, err)
	}
	log.Info("heard is listening", "url", "http://"+ln.Addr().String(), "database", databaseKind(st), "demo", cfg.Demo)

	served := make(chan error, 1)
	go func() {
		served <- srv.App().Listener(ln, fiber.ListenConfig{DisableStartupMessage: true})
	}()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests and writing queued answers")
	if err := srv.App().ShutdownWithTimeout(shutdownTimeout); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Error("shut down server", "err", err)
	}
	return nil
}

func databaseKind(st *storage) string {
	if st.embedded != nil {
		return "embedded"
	}
	return "mongodb"
}
