package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/api"
	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/frontend"
	"github.com/heard-app/heard/frontend/staff"
	"github.com/heard-app/heard/metrics"
	"github.com/heard-app/heard/notify"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/profanity"
	"github.com/heard-app/heard/surveys/redact"
	"github.com/heard-app/heard/surveys/rooms"
	"github.com/heard-app/heard/surveys/templates"
)

// Timing of the server's work in the background.
const (
	scheduleEvery  = 30 * time.Second // how often surveys due to open or close are looked for
	surveyCacheTTL = 2 * time.Second  // how long another instance's survey change may take to be seen
)

// serve runs the server until SIGINT or SIGTERM.
func serve(ctx context.Context, cfg *Config, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	// stopping is set when a signal comes; what closes after it (deferred
	// below, in the reverse order of opening) shares its deadline, and
	// this runs last, when everything is closed.
	var stopping shutdown
	defer stopping.done(log)

	// The settings and the key first: a mistake stops start-up before
	// anything else starts.
	if err := report(checkConfig(cfg), log); err != nil {
		return err
	}
	sealer, err := contactSealer(cfg, log)
	if err != nil {
		return err
	}
	m := metrics.New()
	st, err := openStorageObserved(ctx, cfg, log, m)
	if err != nil {
		return err
	}
	defer st.close()
	if err := report(checkDatabase(ctx, st), log); err != nil {
		return err
	}

	responses, err := mongo.NewResponseStore(ctx, st.db, mongo.ResponseOptions{Log: log, Observer: m})
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := stopping.context(cfg.ShutdownTimeout)
		defer cancel()
		if err := responses.Close(closeCtx); err != nil {
			log.Error("close response store", "err", err)
		}
	}()

	themes, err := loadThemes(ctx, st)
	if err != nil {
		return err
	}
	if err := mongo.EnsureVoiceDigests(ctx, st.db); err != nil {
		return err
	}
	voices := &surveys.Voices{Store: mongo.NewVoiceStore(st.db), Themes: themes, Audit: st.audit, Now: time.Now}
	safeguarding := &surveys.Safeguarding{Flags: mongo.NewFlagStore(st.db), Audit: st.audit, Now: time.Now}
	alerts, err := newAlerts(cfg, st, log)
	if err != nil {
		return err
	}
	cache := &surveys.SurveyCache{SurveyStore: st.surveys, TTL: surveyCacheTTL, Now: time.Now}
	intake := &surveys.Intake{Surveys: cache, Responses: responses, Now: time.Now, Coder: themes, Flagged: alerts.Nudge}
	catalog := &surveys.Catalog{Store: cache, Audit: st.audit, Now: time.Now}
	actions := st.actions(cache, themes)
	settings := st.settings(cfg)
	accounts := st.accounts(cfg.SessionIdle)
	sessions := st.liveSessions(settings, cache, themes)
	councils := &surveys.Councils{Store: mongo.NewCouncilStore(st.db), Voices: voices.Store, Themes: themes, Settings: settings,
		Audit: st.audit, Now: time.Now, Catalog: catalog, Templates: templates.All, Redactor: redact.ForSchools}

	codes := &surveys.Codes{Store: mongo.NewCodeStore(st.db), Surveys: cache, Audit: st.audit, Now: time.Now}
	codeAttempts := api.DefaultCodeAttempts(time.Now)
	contacts := newContacts(cfg, st, cache, sealer, alerts)
	contactLimit := surveys.DefaultContactLimiter(time.Now)

	if cfg.Demo {
		if err := loadDemo(ctx, catalog, intake, st, log); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := loadDemoActions(ctx, actions, st, log); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := loadDemoSessions(ctx, sessions, st, log); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := loadDemoCouncils(ctx, councils, st, log); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	hub := &rooms.Hub{Log: mongo.NewLiveLog(st.db), Sessions: sessions.Store, Instance: responses.Instance(), Exclusive: st.exclusive, Logger: log}
	hub.Start(ctx)
	m.WatchLive(hub.Followers)
	defer hub.Stop()
	live := &surveys.Live{Sessions: sessions.Store, Rooms: hub, Themes: themes, Profanity: profanity.Filter{},
		Voices: voices.Store, Audit: st.audit, Now: time.Now, Flagged: alerts.Nudge}
	sessionReports := &surveys.SessionReports{Sessions: sessions.Store, Rooms: hub, Voices: voices.Store, Themes: themes,
		Settings: settings, Audit: st.audit, Now: time.Now}

	pages, err := frontend.New(frontend.Config{
		Intake:       intake,
		Surveys:      cache,
		Codes:        codes,
		CodeAttempts: codeAttempts,
		Help:         frontend.HelpLine{CouncilName: cfg.CouncilName, CouncilPhone: cfg.HelpPhone, CouncilHours: cfg.HelpHours},
		Settings:     settings,
		Contacts:     contacts,
		ContactLimit: contactLimit,
		Actions:      actions,
		Live:         live,
		Rooms:        hub,
		PublicURL:    cfg.PublicURL,
		Log:          log,
	})
	if err != nil {
		return err
	}
	tallies := st.tallies.Following(responses)
	reports := &surveys.Reports{Surveys: cache, Tallies: tallies, Settings: settings, Voices: voices, Actions: actions, Audit: st.audit, Now: time.Now}
	reports.Sessions, reports.Rooms = sessions.Store, hub // MADE sessions beside the board report
	reports.Councils = councils                           // school councils by area
	logins := api.NewLoginGuard(api.DefaultLoginLimits, time.Now)
	workspace, err := staff.New(staff.Config{
		Accounts: accounts, Catalog: catalog, Surveys: cache, Tallies: tallies, Codes: codes,
		Settings: settings, Audit: st.audit, Safeguarding: safeguarding, Contacts: contacts, Themes: themes,
		Voices: voices, Reports: reports, Logins: logins, Assets: pages, Nonce: frontend.Nonce,
		Templates: templates.All, PublicURL: cfg.PublicURL, Preview: pages, Log: log, Now: time.Now,
		Actions: actions, Sessions: sessions, Live: live, Rooms: hub,
		SessionReports: sessionReports, Councils: councils,
	})
	if err != nil {
		return err
	}
	go runSchedule(ctx, catalog, themes, log)
	go runRetentionDaily(ctx, newRetention(st, settings), log)
	var alertMetrics *metrics.Metrics // nil unless a scraper can read them
	if cfg.MetricsAddr != "" || cfg.MetricsToken != "" {
		alertMetrics = m
	}
	go runAlerts(ctx, alerts, log, alertMetrics)
	stopMetrics, err := serveMetrics(cfg.MetricsAddr, m.Handler(), log)
	if err != nil {
		return err
	}
	defer stopMetrics()

	proxies, err := forwarded.New(cfg.TrustedProxies, strings.HasPrefix(cfg.PublicURL, "https://"))
	if err != nil {
		return fmt.Errorf("HEARD_TRUSTED_PROXIES: %w", err)
	}
	srv := api.New(api.Config{
		Proxies:      proxies,
		Intake:       intake,
		Catalog:      catalog,
		Surveys:      cache,
		Tallies:      tallies,
		Accounts:     accounts,
		Settings:     settings,
		Themes:       themes,
		Voices:       voices,
		Responses:    responses,
		Audit:        st.audit,
		Reports:      reports,
		Actions:      actions,
		Staff:        workspace,
		Logins:       logins,
		Codes:        codes,
		Pages:        pages,
		Ping:         st.db.Ping,
		Log:          log,
		CodeAttempts: codeAttempts,
		Contacts:     contacts,
		ContactLimit: contactLimit,
		PublicURL:    cfg.PublicURL,
		CouncilName:  cfg.CouncilName,
		Requests:     m,
		Metrics:      m.Handler(),
		MetricsToken: cfg.MetricsToken,
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
	stop() // a second signal ends the process at once
	stopping.begin(cfg.ShutdownTimeout, log)
	log.Info("stopping: no new connections; finishing requests, writing queued answers, telling live screens to reconnect",
		"limit", cfg.ShutdownTimeout.String())
	if err := srv.App().ShutdownWithTimeout(time.Until(stopping.by)); errors.Is(err, context.DeadlineExceeded) {
		log.Warn("stopping: requests still running at the limit were cut off; their answers were not acknowledged, so phones send them again")
	} else if err != nil {
		log.Error("stopping: shut down the server", "err", err)
	}
	return nil
}

// shutdown is a graceful stop's timing. Its work (requests, then queued
// answers) must end by by, nine tenths of the limit in; at the limit, a
// watchdog ends the process whatever is left, so that a stop never hangs
// on a database that stopped answering.
type shutdown struct {
	began, by time.Time
	watchdog  *time.Timer
}

// exitNow ends the process; the watchdog calls it.
var exitNow = os.Exit

func (s *shutdown) begin(limit time.Duration, log *slog.Logger) {
	s.began = time.Now()
	s.by = s.began.Add(limit * 9 / 10)
	s.watchdog = time.AfterFunc(limit, func() {
		log.Error("stopping took longer than HEARD_SHUTDOWN_TIMEOUT: exiting with work unfinished", "limit", limit.String())
		exitNow(1)
	})
}

// context is for a step of closing: until the stop's deadline, or the
// whole limit when closing after a failed start.
func (s *shutdown) context(limit time.Duration) (context.Context, context.CancelFunc) {
	if s.by.IsZero() {
		return context.WithTimeout(context.Background(), limit)
	}
	return context.WithDeadline(context.Background(), s.by)
}

// done logs the end of a graceful stop.
func (s *shutdown) done(log *slog.Logger) {
	if s.watchdog == nil {
		return
	}
	s.watchdog.Stop()
	log.Info("stopped", "took_ms", time.Since(s.began).Milliseconds())
}

// alertEvery is how often new safeguarding flags are looked for: the leads
// must hear of one within a minute.
const alertEvery = 15 * time.Second

// newAlerts makes the safeguarding alerts from the configured senders.
func newAlerts(cfg *Config, st *storage, log *slog.Logger) (*surveys.Alerts, error) {
	a := surveys.NewAlerts(surveys.Alerts{Flags: mongo.NewFlagStore(st.db), Users: mongo.NewUserStore(st.db), Now: time.Now,
		Link: func(id string) string { return cfg.PublicURL + "/staff/safeguarding/" + id }})
	if cfg.SMTPURL != "" {
		m, err := notify.NewMail(cfg.SMTPURL)
		if err != nil {
			return nil, fmt.Errorf("HEARD_SMTP_URL: %w", err)
		}
		a.Senders = append(a.Senders, m)
	}
	if cfg.Webhook != "" {
		w, err := notify.NewWebhook(cfg.Webhook)
		if err != nil {
			return nil, fmt.Errorf("HEARD_SAFEGUARDING_WEBHOOK: %w", err)
		}
		a.Senders = append(a.Senders, w)
	}
	if len(a.Senders) == 0 {
		log.Warn("safeguarding alerts are off: set HEARD_SMTP_URL or HEARD_SAFEGUARDING_WEBHOOK so that leads hear of new flags at once")
	}
	return a, nil
}

// newContacts takes young people's requests to talk when a key was given
// (nil: they are off), and has the alerts tell the leads of each.
func newContacts(cfg *Config, st *storage, surveyStore surveys.SurveyStore, sealer surveys.Sealer, alerts *surveys.Alerts) *surveys.Contacts {
	if sealer == nil {
		return nil
	}
	store := mongo.NewContactStore(st.db)
	alerts.Contacts = store
	alerts.ContactLink = func(id string) string { return cfg.PublicURL + "/staff/safeguarding/contacts/" + id }
	return &surveys.Contacts{Store: store, Surveys: surveyStore, Sealer: sealer, Audit: st.audit, Now: time.Now, Created: alerts.Nudge}
}

// runAlerts sends safeguarding alerts as flags arrive, until ctx ends,
// telling m (nil: no one) of each round.
func runAlerts(ctx context.Context, alerts *surveys.Alerts, log *slog.Logger, m *metrics.Metrics) {
	t := time.NewTicker(alertEvery)
	defer t.Stop()
	for {
		sent, failed, err := alerts.Run(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("send safeguarding alerts", "err", err)
		}
		if sent+failed > 0 {
			log.Info("safeguarding alerts", "sent", sent, "failed", failed)
		}
		observeAlerts(ctx, alerts, m, sent, failed, log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-alerts.Nudged():
		}
	}
}

// loadThemes reads the codebook in force, saving the default one on first
// start.
func loadThemes(ctx context.Context, st *storage) (*surveys.Themes, error) {
	themes := &surveys.Themes{Store: mongo.NewCodebookStore(st.db), Compile: coder.Compile,
		Default: coder.DefaultCodebook(), Audit: st.audit, Now: time.Now}
	if err := themes.Load(ctx); err != nil {
		return nil, err
	}
	return themes, nil
}

func databaseKind(st *storage) string {
	if st.embedded != nil {
		return "embedded"
	}
	return "mongodb"
}

// runSchedule opens and closes surveys on their dates until ctx ends. A
// failure is logged and tried again next time.
func runSchedule(ctx context.Context, catalog *surveys.Catalog, themes *surveys.Themes, log *slog.Logger) {
	t := time.NewTicker(scheduleEvery)
	defer t.Stop()
	for {
		// A codebook another instance saved codes this one's voices too.
		if err := themes.Refresh(ctx); err != nil && ctx.Err() == nil {
			log.Error("refresh the codebook", "err", err)
		}
		changed, err := catalog.ApplySchedule(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("apply survey schedule", "err", err)
		}
		for _, s := range changed {
			log.Info("survey changed on schedule", "survey", s.Slug, "status", s.Status)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
