// Package notify tells safeguarding leads that a new flag, or a new request
// to talk, is waiting: by email through the council's SMTP server, and by
// an optional webhook (a Teams or Slack channel, or the council's own
// system). A message says only that there is something new and where to
// read it, never what a young person wrote, nor their name.
package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/heard-app/heard/surveys"
)

// Timeout bounds one delivery: an unreachable server is a failure to retry,
// not a stuck alert loop.
const Timeout = 20 * time.Second

// Subjects of the emails: of a flag, and of a request to talk.
const (
	Subject        = "New safeguarding flag in Heard"
	ContactSubject = "A young person asked for someone to talk to them"
)

// body is the words of both messages.
func body(a surveys.FlagAlert) string {
	if a.Kind == surveys.AlertContact {
		return fmt.Sprintf("A young person has asked, in Heard, for someone to talk to them (%d requests waiting in all).\n\n"+
			"Open it here: %s\n\nThis message does not include their name or how to reach them; sign in to read it.\n",
			a.Unreviewed, a.Link)
	}
	return fmt.Sprintf("There is a new safeguarding flag in Heard to review (%d waiting in all).\n\n"+
		"Open it here: %s\n\nThis message does not include what the young person wrote; sign in to read it.\n",
		a.Unreviewed, a.Link)
}

// subject is the email's subject for an alert.
func subject(a surveys.FlagAlert) string {
	if a.Kind == surveys.AlertContact {
		return ContactSubject
	}
	return Subject
}

// event is the webhook's event for an alert.
func event(a surveys.FlagAlert) string {
	if a.Kind == surveys.AlertContact {
		return "safeguarding.contact"
	}
	return "safeguarding.flag"
}

// Mail sends alerts through an SMTP server.
type Mail struct {
	addr     string // host:port
	host     string
	implicit bool // smtps://: TLS from the first byte
	auth     smtp.Auth
	from     string
	// TLS is used for STARTTLS and smtps; nil verifies the server's name
	// against the system's roots.
	TLS *tls.Config
}

// NewMail reads HEARD_SMTP_URL: smtp://[user:password@]host[:port]?from=address
// (STARTTLS whenever the server offers it; port 587 by default) or
// smtps://... (TLS at once; port 465 by default). It fails, saying why,
// on anything else.
func NewMail(raw string) (*Mail, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Not wrapped: the parser's message quotes the URL, password and all.
		return nil, errors.New("HEARD_SMTP_URL is not a URL")
	}
	m := &Mail{host: u.Hostname()}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		port = cmpOr(port, "587")
	case "smtps":
		port, m.implicit = cmpOr(port, "465"), true
	default:
		return nil, fmt.Errorf("HEARD_SMTP_URL must start smtp:// or smtps://, not %q", u.Scheme)
	}
	if m.host == "" {
		return nil, errors.New("HEARD_SMTP_URL has no host")
	}
	m.addr = net.JoinHostPort(m.host, port)
	from, err := mail.ParseAddress(u.Query().Get("from"))
	if err != nil {
		return nil, fmt.Errorf("HEARD_SMTP_URL needs ?from= with the address alerts come from: %w", err)
	}
	m.from = from.Address
	if u.User != nil {
		pass, _ := u.User.Password()
		// PlainAuth sends the password only over TLS (or to localhost).
		m.auth = smtp.PlainAuth("", u.User.Username(), pass, m.host)
	}
	return m, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Name says what the sender is, for the queue page.
func (m *Mail) Name() string { return "email" }

// Send emails the alert to each address.
func (m *Mail) Send(ctx context.Context, to []string, a surveys.FlagAlert) error {
	if len(to) == 0 {
		return errors.New("no safeguarding lead has an account to email")
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	conn, err := m.dial(ctx)
	if err != nil {
		return fmt.Errorf("connect to the mail server: %w", err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("greet the mail server: %w", err)
	}
	defer c.Close()
	if err := m.session(c, to, a); err != nil {
		return err
	}
	return c.Quit()
}

func (m *Mail) dial(ctx context.Context) (net.Conn, error) {
	d := &net.Dialer{}
	if m.implicit {
		return (&tls.Dialer{NetDialer: d, Config: m.tlsConfig()}).DialContext(ctx, "tcp", m.addr)
	}
	return d.DialContext(ctx, "tcp", m.addr)
}

func (m *Mail) tlsConfig() *tls.Config {
	if m.TLS != nil {
		return m.TLS
	}
	return &tls.Config{ServerName: m.host, MinVersion: tls.VersionTLS12}
}

func (m *Mail) session(c *smtp.Client, to []string, a surveys.FlagAlert) error {
	if ok, _ := c.Extension("STARTTLS"); ok && !m.implicit {
		if err := c.StartTLS(m.tlsConfig()); err != nil {
			return fmt.Errorf("start TLS with the mail server: %w", err)
		}
	}
	if m.auth != nil {
		if err := c.Auth(m.auth); err != nil {
			return fmt.Errorf("sign in to the mail server: %w", err)
		}
	}
	if err := c.Mail(m.from); err != nil {
		return fmt.Errorf("mail server refused the sender: %w", err)
	}
	for _, addr := range to {
		if err := c.Rcpt(addr); err != nil {
			return fmt.Errorf("mail server refused a recipient: %w", err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail server refused the message: %w", err)
	}
	if _, err := w.Write(m.message(to, a)); err != nil {
		return fmt.Errorf("send the message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail server refused the message: %w", err)
	}
	return nil
}

func (m *Mail) message(to []string, a surveys.FlagAlert) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Heard <%s>\r\n", m.from)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(to, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", subject(a)))
	fmt.Fprintf(&b, "Date: %s\r\n", a.At.UTC().Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(body(a), "\n", "\r\n"))
	return b.Bytes()
}

// Webhook posts alerts as JSON to a URL.
type Webhook struct {
	url    string
	Client *http.Client
}

// NewWebhook reads HEARD_SAFEGUARDING_WEBHOOK, which must be an https://
// URL (or http:// to a loopback address, for testing).
func NewWebhook(raw string) (*Webhook, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, errors.New("HEARD_SAFEGUARDING_WEBHOOK must be a full URL such as https://example.org/hook")
	}
	loopback := false
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsLoopback() || u.Hostname() == "localhost" {
		loopback = true
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback) {
		return nil, errors.New("HEARD_SAFEGUARDING_WEBHOOK must use https://")
	}
	return &Webhook{url: u.String(), Client: &http.Client{Timeout: Timeout}}, nil
}

// Name says what the sender is, for the queue page.
func (w *Webhook) Name() string { return "webhook" }

// webhookBody is what the webhook receives. "text" is what Teams and Slack
// incoming webhooks show.
type webhookBody struct {
	Event      string `json:"event"`
	Text       string `json:"text"`
	Link       string `json:"link"`
	Unreviewed int    `json:"unreviewed"`
}

// Send posts the alert; any status but 2xx is a failure to retry.
func (w *Webhook) Send(ctx context.Context, _ []string, a surveys.FlagAlert) error {
	b, err := json.Marshal(webhookBody{Event: event(a), Text: body(a), Link: a.Link, Unreviewed: a.Unreviewed})
	if err != nil {
		return fmt.Errorf("encode webhook: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := w.Client.Do(req)
	if err != nil {
		return fmt.Errorf("post to the webhook: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("the webhook answered %s", res.Status)
	}
	return nil
}
