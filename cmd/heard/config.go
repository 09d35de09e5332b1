package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/heard-app/heard/notify"
	"github.com/heard-app/heard/surveys"
)

// Config is Heard's configuration, from environment variables and flags of
// the same meaning (a flag wins).
type Config struct {
	Addr         string
	MongoURI     string
	MongoURIFile string
	DataDir      string
	DB           string
	Threshold    int
	Demo         bool
	CouncilName  string
	HelpPhone    string
	HelpHours    string
	SessionIdle  time.Duration
	LogFormat    string
	PublicURL    string
	// SMTPURL and Webhook are where safeguarding alerts go; empty leaves
	// that way out.
	SMTPURL string
	Webhook string
	// ContactKeyFile holds the key that seals young people's requests to
	// talk; set, it turns them on. The key is read when the server starts
	// (see contactSealer), so that "heard contact-key new" can make it.
	ContactKeyFile string
	// MetricsAddr is a listen address of its own for /metrics (an address
	// only the monitoring network reaches); MetricsToken, set, lets a
	// scraper read /metrics on the main address with that bearer token.
	// With neither, /metrics is not served.
	MetricsAddr  string
	MetricsToken string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto headers Heard believes: addresses or CIDR ranges.
	TrustedProxies []string
	// ShutdownTimeout bounds a graceful stop: requests finish, queued
	// answers are written, live streams are told to reconnect.
	ShutdownTimeout time.Duration
}

// setting is one configuration value: its variable, flag, default and how
// to check and set it.
type setting struct {
	env, flag, def, usage string
	set                   func(c *Config, v string) error
}

var settings = []setting{
	{"HEARD_ADDR", "addr", "127.0.0.1:8080", "listen address (host:port)", func(c *Config, v string) error {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return errors.New("must be host:port, such as 127.0.0.1:8080")
		}
		c.Addr = v
		return nil
	}},
	{"MONGODB_URI", "mongodb-uri", "", "a MongoDB deployment (mongodb:// or mongodb+srv://); unset means the embedded database", func(c *Config, v string) error {
		if v != "" && !strings.HasPrefix(v, "mongodb://") && !strings.HasPrefix(v, "mongodb+srv://") {
			return errors.New("must start with mongodb:// or mongodb+srv://")
		}
		c.MongoURI = v
		return nil
	}},
	{"MONGODB_URI_FILE", "mongodb-uri-file", "", "a file holding MONGODB_URI (for secrets mounted as files)", func(c *Config, v string) error {
		c.MongoURIFile = v
		return nil
	}},
	{"HEARD_DATA_DIR", "data-dir", "./data", "where the embedded database keeps its files", func(c *Config, v string) error {
		if v == "" {
			return errors.New("must not be empty")
		}
		c.DataDir = v
		return nil
	}},
	{"HEARD_DB", "db", "heard", "database name", func(c *Config, v string) error {
		if v == "" || len(v) > 63 || strings.ContainsAny(v, `/\. "$`) {
			return errors.New("must be 1 to 63 characters without / \\ . space \" or $")
		}
		c.DB = v
		return nil
	}},
	{"HEARD_SUPPRESSION_THRESHOLD", "suppression-threshold", strconv.Itoa(surveys.DefaultThreshold),
		"the smallest number of respondents a figure may be computed from", func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < surveys.MinThreshold || n > surveys.MaxThreshold {
				return fmt.Errorf("must be a whole number from %d to %d", surveys.MinThreshold, surveys.MaxThreshold)
			}
			c.Threshold = n
			return nil
		}},
	{"HEARD_DEMO", "demo", "false", "import and open the shipped templates with synthetic answers", func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("must be true or false")
		}
		c.Demo = b
		return nil
	}},
	{"HEARD_COUNCIL_NAME", "council-name", "Your council", "the council's name, shown to young people", func(c *Config, v string) error {
		if len(v) > 100 {
			return errors.New("must be at most 100 characters")
		}
		c.CouncilName = v
		return nil
	}},
	{"HEARD_HELP_PHONE", "help-phone", "", "the council's phone number for a young person who needs help (shown beside Childline and 999)", func(c *Config, v string) error {
		if len(v) > 40 || strings.ContainsFunc(v, func(r rune) bool { return !strings.ContainsRune("0123456789 +()-", r) }) {
			return errors.New("must be a phone number of digits, spaces, +, ( ) and -")
		}
		c.HelpPhone = v
		return nil
	}},
	{"HEARD_HELP_HOURS", "help-hours", "", "when the council's number answers, e.g. \"Monday to Friday, 9am to 5pm\"", func(c *Config, v string) error {
		if len(v) > 100 {
			return errors.New("must be at most 100 characters")
		}
		c.HelpHours = v
		return nil
	}},
	{"HEARD_PUBLIC_URL", "public-url", "http://127.0.0.1:8080", "the address young people reach Heard at, printed on access code cards", func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return errors.New("must be an http or https address such as https://heard.council.gov.uk, with no query")
		}
		c.PublicURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"HEARD_SESSION_IDLE", "session-idle", surveys.SessionLifetime.String(), "how long a staff session lasts without use, e.g. 8h or 30m", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < surveys.MinSessionIdle || d > surveys.MaxSessionIdle {
			return fmt.Errorf("must be a duration from %s to %s, such as 8h or 30m", surveys.MinSessionIdle, surveys.MaxSessionIdle)
		}
		c.SessionIdle = d
		return nil
	}},
	{"HEARD_SMTP_URL", "smtp-url", "", "the mail server for safeguarding alerts: smtp://user:password@host:587?from=heard@council.gov.uk (or smtps://)", func(c *Config, v string) error {
		if v != "" {
			if _, err := notify.NewMail(v); err != nil {
				return err
			}
		}
		c.SMTPURL = v
		return nil
	}},
	{"HEARD_SAFEGUARDING_WEBHOOK", "safeguarding-webhook", "", "an https:// address to post safeguarding alerts to as JSON (a Teams or Slack channel, say)", func(c *Config, v string) error {
		if v != "" {
			if _, err := notify.NewWebhook(v); err != nil {
				return err
			}
		}
		c.Webhook = v
		return nil
	}},
	{"HEARD_CONTACT_KEY_FILE", "contact-key-file", "", "a file holding the key (32 bytes, as 64 hex characters or base64) that encrypts young people's requests to talk; set, it turns them on", func(c *Config, v string) error {
		c.ContactKeyFile = v
		return nil
	}},
	{"HEARD_METRICS_ADDR", "metrics-addr", "", "a listen address of its own (host:port) for Prometheus metrics at /metrics, for the monitoring network only", func(c *Config, v string) error {
		if v != "" {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return errors.New("must be host:port, such as 127.0.0.1:9090")
			}
		}
		c.MetricsAddr = v
		return nil
	}},
	{"HEARD_METRICS_TOKEN", "metrics-token", "", "a bearer token (at least 32 characters) a scraper sends to read /metrics on the main address", func(c *Config, v string) error {
		if v != "" && (len(v) < 32 || len(v) > 256 || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r > '~' })) {
			return errors.New("must be 32 to 256 printable characters without spaces")
		}
		c.MetricsToken = v
		return nil
	}},
	{"HEARD_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated addresses or CIDR ranges of the reverse proxies in front of Heard, whose X-Forwarded-For and X-Forwarded-Proto are believed", func(c *Config, v string) error {
		proxies, err := parseProxies(v)
		if err != nil {
			return err
		}
		c.TrustedProxies = proxies
		return nil
	}},
	{"HEARD_SHUTDOWN_TIMEOUT", "shutdown-timeout", "20s", "how long a stop (SIGTERM) may take to finish requests, write queued answers and close live streams", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > 10*time.Minute {
			return errors.New("must be a duration from 1s to 10m, such as 20s")
		}
		c.ShutdownTimeout = d
		return nil
	}},
	{"HEARD_LOG_FORMAT", "log-format", "json", "log format: json or text", func(c *Config, v string) error {
		if v != "json" && v != "text" {
			return errors.New("must be json or text")
		}
		c.LogFormat = v
		return nil
	}},
}

// loadConfig reads defaults, then the environment, then the flags in args,
// and returns the configuration and the arguments that are not flags. A bad
// value is an error naming the variable.
func loadConfig(getenv func(string) string, fs *flag.FlagSet, args []string) (*Config, []string, error) {
	c := &Config{}
	for _, s := range settings {
		if err := s.set(c, s.def); err != nil {
			return nil, nil, fmt.Errorf("default of %s: %w", s.env, err)
		}
		if v, ok := lookup(getenv, s.env); ok {
			if err := s.set(c, v); err != nil {
				return nil, nil, fmt.Errorf("%s=%q: %w", s.env, v, err)
			}
		}
		s := s
		fs.Func(s.flag, s.usage+" ("+s.env+")", func(v string) error {
			if err := s.set(c, v); err != nil {
				return fmt.Errorf("%s (%s): %w", s.env, s.flag, err)
			}
			return nil
		})
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if err := c.resolveURIFile(); err != nil {
		return nil, nil, err
	}
	return c, rest, nil
}

// maxTrustedProxies bounds HEARD_TRUSTED_PROXIES: a few proxies or ranges.
const maxTrustedProxies = 32

// parseProxies reads a comma-separated list of IP addresses and CIDR
// ranges.
func parseProxies(v string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return nil, fmt.Errorf("%q is neither an IP address nor a CIDR range such as 10.0.0.0/8", p)
			}
		}
		out = append(out, p)
	}
	if len(out) > maxTrustedProxies {
		return nil, fmt.Errorf("lists %d proxies; the most is %d", len(out), maxTrustedProxies)
	}
	return out, nil
}

func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

// resolveURIFile reads MONGODB_URI from MONGODB_URI_FILE when that is set.
func (c *Config) resolveURIFile() error {
	if c.MongoURIFile == "" {
		return nil
	}
	if c.MongoURI != "" {
		return errors.New("MONGODB_URI and MONGODB_URI_FILE are both set; set one")
	}
	b, err := os.ReadFile(c.MongoURIFile)
	if err != nil {
		return fmt.Errorf("MONGODB_URI_FILE: %w", err)
	}
	for _, s := range settings {
		if s.env == "MONGODB_URI" {
			if err := s.set(c, strings.TrimSpace(string(b))); err != nil {
				return fmt.Errorf("MONGODB_URI_FILE %s: %w", c.MongoURIFile, err)
			}
		}
	}
	return nil
}

// parseInterspersed parses flags wherever they are among the arguments
// ("survey import FILE --open"), returning the others in order.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// printSettings writes the table of settings with their defaults.
func printSettings(w io.Writer) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  VARIABLE\tFLAG\tDEFAULT\tMEANING")
	for _, s := range settings {
		def := s.def
		if def == "" {
			def = "(unset)"
		}
		fmt.Fprintf(tw, "  %s\t--%s\t%s\t%s\n", s.env, s.flag, def, s.usage)
	}
	_ = tw.Flush()
}
