// Package forwarded works out who sent a request, and whether it came over
// HTTPS, when Heard runs behind a reverse proxy that ends TLS.
//
// Behind a proxy every request arrives from the proxy's address over plain
// HTTP. Rate limits keyed on that address would put every young person in
// one bucket, and cookies would lose their Secure flag. A proxy says who it
// forwarded for in X-Forwarded-For and how in X-Forwarded-Proto, but any
// client can send those headers too; so they are believed only from the
// proxies an operator lists (HEARD_TRUSTED_PROXIES), and X-Forwarded-For is
// read from the right, where the trusted proxies appended, to the first
// address that is not a trusted proxy. The leftmost entry, which a client
// can write, is never taken on trust.
//
// The address is used for rate limits in memory and is never stored or
// logged.
package forwarded

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v3"
)

// MaxHops bounds how many X-Forwarded-For entries are read: a chain of
// proxies is a few long, and a client could send thousands.
const MaxHops = 16

// Locals keys, private to this package.
type localKey int

const (
	clientKey localKey = iota
	secureKey
	viaProxyKey
)

// Proxies is the set of trusted proxies.
type Proxies struct {
	prefixes []netip.Prefix
	// alwaysSecure marks every request secure, for a deployment whose
	// public address is https: cookies then carry Secure even when the
	// proxy does not say how the request came.
	alwaysSecure bool
}

// New trusts the proxies in list (IP addresses or CIDR ranges). With
// alwaysSecure, every request counts as HTTPS.
func New(list []string, alwaysSecure bool) (*Proxies, error) {
	p := &Proxies{alwaysSecure: alwaysSecure}
	for _, s := range list {
		prefix, err := parsePrefix(s)
		if err != nil {
			return nil, err
		}
		p.prefixes = append(p.prefixes, prefix)
	}
	return p, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		prefix, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("trusted proxy %q: %w", s, err)
		}
		return prefix.Masked(), nil
	}
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("trusted proxy %q: %w", s, err)
	}
	addr = addr.Unmap()
	return netip.PrefixFrom(addr, addr.BitLen()), nil
}

// trusted reports whether addr is one of the proxies.
func (p *Proxies) trusted(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, prefix := range p.prefixes {
		if prefix.Contains(addr) {
			return true
		}
	}
	return false
}

// Handler records the request's client address and scheme for ClientIP and
// Secure. It goes before every route.
func (p *Proxies) Handler(c fiber.Ctx) error {
	remote := remoteAddr(c)
	client, secure := p.resolve(remote, c.RequestCtx().IsTLS(), c.Get(fiber.HeaderXForwardedFor), c.Get(fiber.HeaderXForwardedProto))
	c.Locals(clientKey, client)
	c.Locals(secureKey, secure || p.alwaysSecure)
	c.Locals(viaProxyKey, remote.IsValid() && p.trusted(remote))
	return c.Next()
}

// ViaProxy reports whether the request came from a trusted proxy, whose
// other headers (such as X-Request-Id) may then be believed.
func ViaProxy(c fiber.Ctx) bool {
	v, _ := c.Locals(viaProxyKey).(bool)
	return v
}

// resolve works out the client's address and whether the request was
// HTTPS from the connection's address and the proxy headers.
func (p *Proxies) resolve(remote netip.Addr, tls bool, forwardedFor, forwardedProto string) (string, bool) {
	if !remote.IsValid() || !p.trusted(remote) {
		return addrString(remote), tls
	}
	client := remote
	hops := strings.Split(forwardedFor, ",")
	for i := len(hops) - 1; i >= 0 && i >= len(hops)-MaxHops; i-- {
		addr, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled entry: nothing to its left can be believed
		}
		client = addr.Unmap()
		if !p.trusted(client) {
			break
		}
	}
	// The proxy nearest the client knows how the request came: the first
	// value of a list.
	proto, _, _ := strings.Cut(forwardedProto, ",")
	secure := tls || strings.EqualFold(strings.TrimSpace(proto), "https")
	return addrString(client), secure
}

func remoteAddr(c fiber.Ctx) netip.Addr {
	ip := c.RequestCtx().RemoteIP()
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return netip.Addr{}
	}
	return addr.Unmap()
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// ClientIP returns the address of the client that sent the request, past
// any trusted proxies; without Handler, the connection's address.
func ClientIP(c fiber.Ctx) string {
	if v, ok := c.Locals(clientKey).(string); ok {
		return v
	}
	return addrString(remoteAddr(c))
}

// Secure reports whether the client reached Heard over HTTPS (directly, or
// through a trusted proxy that ended TLS), so that cookies set now carry
// the Secure flag.
func Secure(c fiber.Ctx) bool {
	if v, ok := c.Locals(secureKey).(bool); ok {
		return v
	}
	return c.RequestCtx().IsTLS()
}
