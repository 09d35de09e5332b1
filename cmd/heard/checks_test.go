package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/password"
)

func TestCheckConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		env       map[string]string
		wantFatal string // a fragment of the fatal finding, or ""
		wantWarns []string
	}{
		{"make run's defaults", nil, "", nil},
		{"behind a proxy, well set", map[string]string{"HEARD_PUBLIC_URL": "https://heard.council.gov.uk", "HEARD_TRUSTED_PROXIES": "10.0.0.2"}, "", nil},
		{"metrics on the main address", map[string]string{"HEARD_METRICS_ADDR": "127.0.0.1:8080"}, "HEARD_METRICS_ADDR is HEARD_ADDR", nil},
		{"both on any free port", map[string]string{"HEARD_ADDR": "127.0.0.1:0", "HEARD_METRICS_ADDR": "127.0.0.1:0"}, "", nil},
		{"listening widely with a loopback public address", map[string]string{"HEARD_ADDR": "0.0.0.0:8080"}, "", []string{"would point to a loopback address"}},
		{"plain http to the world", map[string]string{"HEARD_ADDR": "0.0.0.0:8080", "HEARD_PUBLIC_URL": "http://heard.council.gov.uk"}, "",
			[]string{"unencrypted"}},
		{"https without trusted proxies", map[string]string{"HEARD_PUBLIC_URL": "https://heard.council.gov.uk"}, "", []string{"share the proxy's rate limits"}},
		{"trusting everyone", map[string]string{"HEARD_PUBLIC_URL": "https://heard.council.gov.uk", "HEARD_TRUSTED_PROXIES": "0.0.0.0/0"}, "",
			[]string{"trusts every address"}},
		{"demo on a real database", map[string]string{"HEARD_DEMO": "true", "MONGODB_URI": "mongodb://db.council:27017"}, "", []string{"HEARD_DEMO is on"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg, _, err := loadConfig(getenvFrom(tc.env), fs, nil)
			if err != nil {
				t.Fatal(err)
			}
			var fatal []string
			var warns []string
			for _, f := range checkConfig(cfg) {
				if f.fatal {
					fatal = append(fatal, f.msg)
				} else {
					warns = append(warns, f.msg)
				}
			}
			if tc.wantFatal == "" && len(fatal) > 0 || tc.wantFatal != "" && (len(fatal) != 1 || !strings.Contains(fatal[0], tc.wantFatal)) {
				t.Errorf("fatal %q, want %q", fatal, tc.wantFatal)
			}
			if len(warns) != len(tc.wantWarns) {
				t.Fatalf("warnings %q, want %q", warns, tc.wantWarns)
			}
			for i, w := range tc.wantWarns {
				if !strings.Contains(warns[i], w) {
					t.Errorf("warning %q, want one saying %q", warns[i], w)
				}
			}
		})
	}
}

// TestFatalCheckStopsServe runs serve with a setting that cannot work: it
// must stop with the reason before it opens the database.
func TestFatalCheckStopsServe(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"HEARD_DATA_DIR": dir, "HEARD_METRICS_ADDR": "127.0.0.1:8080"}
	var stderr strings.Builder
	err := run(context.Background(), []string{"serve"}, getenvFrom(env), strings.NewReader(""), io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "HEARD_METRICS_ADDR is HEARD_ADDR") {
		t.Fatalf("serve: %v", err)
	}
}

// TestCheckDatabase opens a real embedded database: with no admin who can
// sign in, start-up warns how to make one; with one, it does not.
func TestCheckDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	cfg, _, err := loadConfig(getenvFrom(map[string]string{"HEARD_DATA_DIR": t.TempDir()}), fs, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStorage(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	findings := checkDatabase(ctx, st)
	if len(findings) != 1 || findings[0].fatal || !strings.Contains(findings[0].msg, "heard user add") {
		t.Errorf("with no admin: %+v", findings)
	}
	accounts := st.accounts(cfg.SessionIdle)
	// Cheap hashes: the race detector slows argon2id down many times.
	accounts.Passwords = password.Argon2id{Params: password.Params{Memory: 1024, Time: 1, Threads: 1}}
	if _, err := accounts.CreateUser(ctx, "admin@council.example", surveys.RoleAdmin, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	if findings := checkDatabase(ctx, st); len(findings) != 0 {
		t.Errorf("with an admin: %+v", findings)
	}
}

func TestHostsOfHidesCredentials(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"mongodb://heard:s3cret@db1.council:27017,db2.council:27017/?replicaSet=rs0": "mongodb://db1.council:27017,db2.council:27017",
		"mongodb+srv://heard:s3cret@cluster0.example.mongodb.net/":                   "mongodb+srv://cluster0.example.mongodb.net",
		"not a uri %%": "MONGODB_URI",
	}
	for uri, want := range cases {
		if got := hostsOf(uri); got != want {
			t.Errorf("hostsOf(%q) = %q, want %q", uri, got, want)
		}
	}
}

// TestUnreachableDatabaseSaysWhy points heard at a port where no MongoDB
// answers: it must stop with what to check, naming the host but never the
// password.
func TestUnreachableDatabaseSaysWhy(t *testing.T) {
	t.Parallel()
	out, code := runHeardEnv(t, []string{"MONGODB_URI=mongodb://heard:s3cret-pw@127.0.0.1:1/?serverSelectionTimeoutMS=1000"}, "survey", "list")
	if code == 0 || !strings.Contains(out, "mongodb://127.0.0.1:1") || !strings.Contains(out, "check that MongoDB runs there") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "s3cret-pw") {
		t.Errorf("the message shows the password:\n%s", out)
	}
}
