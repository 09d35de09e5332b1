package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// Start-up checks. A setting that is wrong on its own is refused when it is
// read (config.go); these look at settings together and at the database,
// and say in plain words what to change. A problem that would make Heard
// unsafe or broken stops it; one that only weakens it is logged as a
// warning each time it starts.

// finding is one thing a check found.
type finding struct {
	fatal bool
	msg   string
}

// checkConfig looks at the settings together.
func checkConfig(cfg *Config) []finding {
	var out []finding
	warn := func(msg string) { out = append(out, finding{msg: msg}) }
	public, _ := url.Parse(cfg.PublicURL) // checked when read
	listenHost, _, _ := net.SplitHostPort(cfg.Addr)
	// Port 0 asks for any free port, so two of them never clash.
	if _, port, _ := net.SplitHostPort(cfg.Addr); cfg.MetricsAddr == cfg.Addr && port != "0" {
		out = append(out, finding{fatal: true, msg: "HEARD_METRICS_ADDR is HEARD_ADDR: give metrics an address of their own (for the monitoring network), or set HEARD_METRICS_TOKEN to serve them on HEARD_ADDR"})
	}
	if !isLoopback(listenHost) && isLoopback(public.Hostname()) {
		warn("HEARD_PUBLIC_URL is " + cfg.PublicURL + " but Heard listens beyond this machine: access code cards, QR codes and alert links would point to a loopback address; set HEARD_PUBLIC_URL to the address young people use")
	}
	if public.Scheme == "http" && !isLoopback(public.Hostname()) {
		warn("HEARD_PUBLIC_URL is plain http: young people's answers and staff passwords would cross the network unencrypted; put Heard behind a proxy that ends TLS (docs/deploy.md) and set an https:// address")
	}
	if public.Scheme == "https" && len(cfg.TrustedProxies) == 0 {
		warn("HEARD_PUBLIC_URL is https but HEARD_TRUSTED_PROXIES is unset: behind a proxy, every young person would share the proxy's rate limits; list the proxy's addresses")
	}
	for _, p := range cfg.TrustedProxies {
		if prefix, err := netip.ParsePrefix(p); err == nil && prefix.Bits() == 0 {
			warn("HEARD_TRUSTED_PROXIES has " + p + ", which trusts every address: any client could then choose the address its rate limits count; list only the proxies")
		}
	}
	if cfg.Demo && cfg.MongoURI != "" {
		warn("HEARD_DEMO is on with MONGODB_URI: made-up surveys, answers and schools are being loaded into that database; turn HEARD_DEMO off for real use")
	}
	return out
}

// isLoopback reports whether host is this machine only: a loopback
// address or localhost.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.IsLoopback()
}

// report logs each warning of findings; the fatal ones are returned as the
// error that stops start-up.
func report(findings []finding, log *slog.Logger) error {
	var fatal []string
	for _, f := range findings {
		if f.fatal {
			fatal = append(fatal, f.msg)
			continue
		}
		log.Warn("start-up check: " + f.msg)
	}
	if len(fatal) > 0 {
		return errors.New(strings.Join(fatal, "; "))
	}
	return nil
}

// checkDatabase looks at the database Heard opened.
func checkDatabase(ctx context.Context, st *storage) []finding {
	var out []finding
	if st.embedded == nil {
		set, err := st.db.ReplicaSet(ctx)
		switch {
		case err != nil:
			out = append(out, finding{msg: err.Error()})
		case set == "":
			out = append(out, finding{msg: "MONGODB_URI is a single MongoDB server, not a replica set: there is no failover if it stops, and heard backup cannot take a consistent snapshot while answers arrive; use a replica set (docs/deploy.md)"})
		}
	}
	users, err := st.users.FindUsers(ctx)
	if err != nil {
		return append(out, finding{msg: fmt.Sprintf("list staff accounts: %v", err)})
	}
	if !hasActiveAdmin(users) {
		out = append(out, finding{msg: "no admin account can sign in: create one with \"heard user add --email you@council.gov.uk --role admin\""})
	}
	return out
}

func hasActiveAdmin(users []*surveys.User) bool {
	for _, u := range users {
		if u.Role == surveys.RoleAdmin && !u.Disabled {
			return true
		}
	}
	return false
}
