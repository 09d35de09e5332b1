package forwarded

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	p, err := New([]string{"10.0.0.5", "192.168.0.0/16", "::1"}, false)
	if err != nil {
		t.Fatal(err)
	}
	many := strings.Repeat("10.0.0.5,", 40) + "10.0.0.5"
	cases := []struct {
		name, remote, xff, proto string
		tls                      bool
		wantIP                   string
		wantSecure               bool
	}{
		{"no proxy: the connection's address", "203.0.113.9", "", "", false, "203.0.113.9", false},
		{"an untrusted sender's headers are ignored", "203.0.113.9", "198.51.100.1", "https", false, "203.0.113.9", false},
		{"a trusted proxy names the client", "10.0.0.5", "198.51.100.1", "https", false, "198.51.100.1", true},
		{"a forged left entry is passed over", "10.0.0.5", "1.2.3.4, 198.51.100.1", "https", false, "198.51.100.1", true},
		{"a chain of trusted proxies", "10.0.0.5", "198.51.100.1, 192.168.4.4", "http", false, "198.51.100.1", false},
		{"IPv6 proxy and client", "::1", "2001:db8::7", "HTTPS", false, "2001:db8::7", true},
		{"garbled entry stops the walk", "10.0.0.5", "198.51.100.1, not-an-ip, 192.168.1.1", "", false, "192.168.1.1", false},
		{"no header from a trusted proxy", "10.0.0.5", "", "", false, "10.0.0.5", false},
		{"proto list: the first value", "10.0.0.5", "198.51.100.1", "https, http", false, "198.51.100.1", true},
		{"TLS to Heard itself", "203.0.113.9", "", "", true, "203.0.113.9", true},
		{"only MaxHops entries are read", "10.0.0.5", "198.51.100.1," + many, "", false, "10.0.0.5", false},
		{"IPv4-mapped IPv6 client", "10.0.0.5", "::ffff:198.51.100.1", "", false, "198.51.100.1", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ip, secure := p.resolve(netip.MustParseAddr(tc.remote), tc.tls, tc.xff, tc.proto)
			if ip != tc.wantIP || secure != tc.wantSecure {
				t.Errorf("resolve = %s, %v; want %s, %v", ip, secure, tc.wantIP, tc.wantSecure)
			}
		})
	}
}

func TestNewRefusesBadProxies(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"proxy.council", "10.0.0.0/33", "10.0.0"} {
		if _, err := New([]string{bad}, false); err == nil {
			t.Errorf("New(%q) accepted it", bad)
		}
	}
}

// TestOverHTTP sends real requests from loopback to an app that trusts, or
// does not trust, loopback as its proxy.
func TestOverHTTP(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		proxies      []string
		alwaysSecure bool
		want         string
	}{
		{"loopback trusted", []string{"127.0.0.1"}, false, "198.51.100.1 true"},
		{"loopback not trusted", []string{"10.0.0.1"}, false, "127.0.0.1 false"},
		{"public address is https", nil, true, "127.0.0.1 true"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := New(tc.proxies, tc.alwaysSecure)
			if err != nil {
				t.Fatal(err)
			}
			app := fiber.New()
			app.Use(p.Handler)
			app.Get("/", func(c fiber.Ctx) error { return c.SendString(fmt.Sprintf("%s %v", ClientIP(c), Secure(c))) })
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go func() { _ = app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
			t.Cleanup(func() { _ = app.Shutdown() })
			req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/", nil)
			req.Header.Set("X-Forwarded-For", "198.51.100.1")
			req.Header.Set("X-Forwarded-Proto", "https")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if string(body) != tc.want {
				t.Errorf("got %q, want %q", body, tc.want)
			}
		})
	}
}

// FuzzResolve feeds the proxy headers anything a client could send: the
// client found is always the connection's address, a trusted proxy's, or
// an address the header held, never anything else.
func FuzzResolve(f *testing.F) {
	f.Add("198.51.100.1, 10.0.0.5", "https")
	f.Add("::ffff:1.2.3.4,,, garbage", "HTTP, https")
	f.Add(strings.Repeat("10.0.0.5,", 100), "")
	p, err := New([]string{"10.0.0.0/8", "::1"}, false)
	if err != nil {
		f.Fatal(err)
	}
	remote := netip.MustParseAddr("10.0.0.5")
	f.Fuzz(func(t *testing.T, xff, proto string) {
		ip, _ := p.resolve(remote, false, xff, proto)
		if ip == remote.String() {
			return
		}
		for _, hop := range strings.Split(xff, ",") {
			if addr, err := netip.ParseAddr(strings.TrimSpace(hop)); err == nil && addr.Unmap().String() == ip {
				return
			}
		}
		t.Fatalf("client %q from X-Forwarded-For %q", ip, xff)
	})
}
