// Package smtptest is a small SMTP server on loopback for tests: it takes
// mail as a real server does (EHLO, MAIL, RCPT, DATA) and keeps each
// message, or refuses recipients when asked to.
package smtptest

import (
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
)

// Message is one message received.
type Message struct {
	From string
	To   []string
	Data string
}

// Server is a running test server.
type Server struct {
	Addr string // host:port on loopback

	ln       net.Listener
	mu       sync.Mutex
	messages []Message
	refuse   bool
	wg       sync.WaitGroup
}

// Start listens on a loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		s.wg.Wait()
	})
	return s
}

// Refuse makes the server refuse (or take again) every recipient.
func (s *Server) Refuse(refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = refuse
}

// Messages returns what was received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			s.session(textproto.NewConn(conn))
		}()
	}
}

func (s *Server) session(c *textproto.Conn) {
	reply := func(format string, args ...any) bool { return c.PrintfLine(format, args...) == nil }
	if !reply("220 smtptest ready") {
		return
	}
	var m Message
	for {
		line, err := c.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			reply("250 smtptest")
		case "MAIL":
			m = Message{From: address(arg)}
			reply("250 ok")
		case "RCPT":
			s.mu.Lock()
			refuse := s.refuse
			s.mu.Unlock()
			if refuse {
				reply("550 no such mailbox here")
				continue
			}
			m.To = append(m.To, address(arg))
			reply("250 ok")
		case "DATA":
			if !reply("354 go ahead") {
				return
			}
			data, err := c.ReadDotBytes()
			if err != nil {
				return
			}
			m.Data = string(data)
			s.mu.Lock()
			s.messages = append(s.messages, m)
			s.mu.Unlock()
			reply("250 queued")
		case "RSET", "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 %s not implemented", verb)
		}
	}
}

// address takes the address out of "FROM:<a@b>" or "TO:<a@b>".
func address(arg string) string {
	_, after, _ := strings.Cut(arg, ":")
	return strings.Trim(strings.TrimSpace(after), "<>")
}
