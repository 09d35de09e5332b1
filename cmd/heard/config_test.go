package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func getenvFrom(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(c *Config) bool
		wantErr string // a fragment naming the setting
	}{
		{"defaults", nil, nil, func(c *Config) bool {
			return c.Addr == "127.0.0.1:8080" && c.MongoURI == "" && c.DataDir == "./data" && c.DB == "heard" &&
				c.Threshold == 5 && !c.Demo && c.LogFormat == "json"
		}, ""},
		{"environment", map[string]string{"HEARD_ADDR": "0.0.0.0:9000", "HEARD_DEMO": "true", "HEARD_SUPPRESSION_THRESHOLD": "10",
			"MONGODB_URI": "mongodb://db.example:27017/?replicaSet=rs0"}, nil, func(c *Config) bool {
			return c.Addr == "0.0.0.0:9000" && c.Demo && c.Threshold == 10 && strings.HasPrefix(c.MongoURI, "mongodb://db.example")
		}, ""},
		{"a flag wins over the environment", map[string]string{"HEARD_DB": "fromenv"}, []string{"--db", "fromflag"},
			func(c *Config) bool { return c.DB == "fromflag" }, ""},
		{"flags among arguments", nil, []string{"FILE", "--demo=true", "OTHER"}, func(c *Config) bool { return c.Demo }, ""},
		{"bad address", map[string]string{"HEARD_ADDR": "8080"}, nil, nil, "HEARD_ADDR"},
		{"threshold below 3", map[string]string{"HEARD_SUPPRESSION_THRESHOLD": "2"}, nil, nil, "HEARD_SUPPRESSION_THRESHOLD"},
		{"threshold not a number", nil, []string{"--suppression-threshold", "five"}, nil, "HEARD_SUPPRESSION_THRESHOLD"},
		{"demo not a boolean", map[string]string{"HEARD_DEMO": "yes please"}, nil, nil, "HEARD_DEMO"},
		{"URI without scheme", map[string]string{"MONGODB_URI": "db.example:27017"}, nil, nil, "MONGODB_URI"},
		{"URI and URI file", map[string]string{"MONGODB_URI": "mongodb://a", "MONGODB_URI_FILE": "/x"}, nil, nil, "MONGODB_URI_FILE"},
		{"missing URI file", map[string]string{"MONGODB_URI_FILE": "/no/such/file"}, nil, nil, "MONGODB_URI_FILE"},
		{"database name with a dot", map[string]string{"HEARD_DB": "a.b"}, nil, nil, "HEARD_DB"},
		{"log format", map[string]string{"HEARD_LOG_FORMAT": "xml"}, nil, nil, "HEARD_LOG_FORMAT"},
		{"help phone with letters", map[string]string{"HEARD_HELP_PHONE": "call us"}, nil, nil, "HEARD_HELP_PHONE"},
		{"requests to talk off by default", nil, nil, func(c *Config) bool { return c.ContactKeyFile == "" }, ""},
		{"contact key file", map[string]string{"HEARD_CONTACT_KEY_FILE": "/run/secrets/contact.key"}, nil,
			func(c *Config) bool { return c.ContactKeyFile == "/run/secrets/contact.key" }, ""},
		{"operations defaults", nil, nil, func(c *Config) bool {
			return c.MetricsAddr == "" && c.MetricsToken == "" && c.TrustedProxies == nil && c.ShutdownTimeout == 20*time.Second
		}, ""},
		{"trusted proxies", map[string]string{"HEARD_TRUSTED_PROXIES": "10.0.0.1, 192.168.0.0/16,::1"}, nil, func(c *Config) bool {
			return slices.Equal(c.TrustedProxies, []string{"10.0.0.1", "192.168.0.0/16", "::1"})
		}, ""},
		{"trusted proxy not an address", map[string]string{"HEARD_TRUSTED_PROXIES": "10.0.0.1,proxy.council"}, nil, nil, "HEARD_TRUSTED_PROXIES"},
		{"too many trusted proxies", map[string]string{"HEARD_TRUSTED_PROXIES": strings.Repeat("10.0.0.1,", 33)}, nil, nil, "HEARD_TRUSTED_PROXIES"},
		{"metrics address", map[string]string{"HEARD_METRICS_ADDR": "127.0.0.1:9090"}, nil, func(c *Config) bool { return c.MetricsAddr == "127.0.0.1:9090" }, ""},
		{"metrics address without port", map[string]string{"HEARD_METRICS_ADDR": "9090"}, nil, nil, "HEARD_METRICS_ADDR"},
		{"metrics token too short", map[string]string{"HEARD_METRICS_TOKEN": "short"}, nil, nil, "HEARD_METRICS_TOKEN"},
		{"metrics token with a space", map[string]string{"HEARD_METRICS_TOKEN": strings.Repeat("a", 20) + " " + strings.Repeat("b", 20)}, nil, nil, "HEARD_METRICS_TOKEN"},
		{"shutdown timeout", nil, []string{"--shutdown-timeout", "45s"}, func(c *Config) bool { return c.ShutdownTimeout == 45*time.Second }, ""},
		{"shutdown timeout too long", map[string]string{"HEARD_SHUTDOWN_TIMEOUT": "1h"}, nil, nil, "HEARD_SHUTDOWN_TIMEOUT"},
		{"contact key file by flag", nil, []string{"--contact-key-file", "/k"}, func(c *Config) bool { return c.ContactKeyFile == "/k" }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c, _, err := loadConfig(getenvFrom(tc.env), fs, tc.args)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Errorf("config %+v", c)
			}
		})
	}
}

func TestURIFile(t *testing.T) {
	t.Parallel()
	file := t.TempDir() + "/uri"
	if err := writeFile(file, "mongodb://secret.example:27017/\n"); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c, _, err := loadConfig(getenvFrom(map[string]string{"MONGODB_URI_FILE": file}), fs, nil)
	if err != nil || c.MongoURI != "mongodb://secret.example:27017/" {
		t.Fatalf("URI %q, err %v", c.MongoURI, err)
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help"}, getenvFrom(nil), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if !strings.Contains(out.String(), s.env) || !strings.Contains(out.String(), "--"+s.flag) {
			t.Errorf("help lacks %s / --%s", s.env, s.flag)
		}
	}
	for _, want := range []string{"127.0.0.1:8080", "./data", "user add", "survey import", "tally rebuild"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBadSettingStopsStartUp(t *testing.T) {
	t.Parallel()
	out, code := runHeardEnv(t, []string{"HEARD_SUPPRESSION_THRESHOLD=1"}, "serve")
	if code != 1 || !strings.Contains(out, "HEARD_SUPPRESSION_THRESHOLD") {
		t.Errorf("exit %d\n%s", code, out)
	}
	out, code = runHeardEnv(t, nil, "frobnicate")
	if code != 1 || !strings.Contains(out, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d\n%s", code, out)
	}
}

// TestDeployDocListsEverySetting keeps docs/deploy.md's configuration
// reference whole: every setting must have its row.
func TestDeployDocListsEverySetting(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/deploy.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings {
		if !strings.Contains(string(doc), "| `"+s.env+"` |") {
			t.Errorf("docs/deploy.md has no row for %s", s.env)
		}
	}
}
