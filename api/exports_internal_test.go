package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"
)

// lockedBuffer is a log sink the stream's goroutine and the test share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestStreamFailsLoudly checks that a download that fails part way breaks
// off rather than ending as if complete, so that no one takes a file cut
// short for the whole export; and that a panic there is logged, not the
// end of the server.
func TestStreamFailsLoudly(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		write func(ctx context.Context, w io.Writer) error
		body  string // the whole body, when the download succeeds
		log   string // what the log says, when it fails
	}{
		{"complete", func(_ context.Context, w io.Writer) error {
			_, err := io.WriteString(w, "response_id\nabc\n")
			return err
		}, "response_id\nabc\n", ""},
		{"fails part way", func(_ context.Context, w io.Writer) error {
			if _, err := io.WriteString(w, strings.Repeat("row\n", 10000)); err != nil {
				return err
			}
			return errors.New("the database went away")
		}, "", "download failed part way"},
		{"panics part way", func(_ context.Context, w io.Writer) error {
			if _, err := io.WriteString(w, "row\n"); err != nil {
				return err
			}
			panic("a bug")
		}, "", "download failed part way"},
		{"outlives its handler's context", func(ctx context.Context, w io.Writer) error {
			time.Sleep(50 * time.Millisecond) // the handler has long returned
			if err := ctx.Err(); err != nil {
				return err
			}
			_, err := io.WriteString(w, "still here\n")
			return err
		}, "still here\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			logs := &lockedBuffer{}
			s := &Server{cfg: Config{Log: slog.New(slog.NewJSONHandler(logs, nil))}}
			app := fiber.New()
			app.Use(deadline(10 * time.Millisecond))
			app.Get("/export.csv", func(c fiber.Ctx) error { return s.stream(c, tc.write) })
			res, err := app.Test(httptest.NewRequest("GET", "/export.csv", nil), fiber.TestConfig{Timeout: 10 * time.Second})
			var body []byte
			if err == nil {
				defer res.Body.Close()
				body, err = io.ReadAll(res.Body)
			}
			if tc.log == "" {
				if err != nil || string(body) != tc.body {
					t.Fatalf("body %q (%v), want %q", body, err, tc.body)
				}
				return
			}
			// The connection breaks before the body's end: the client
			// sees an error, not a shorter file.
			if err == nil {
				t.Errorf("the body of a failed download read to its end (%d bytes), as if complete", len(body))
			}
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(logs.String(), tc.log) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if !strings.Contains(logs.String(), tc.log) {
				t.Errorf("log %q lacks %q", logs.String(), tc.log)
			}
		})
	}
}

// TestStreamOutlastsTheWriteTimeout sends a download that takes longer
// than the server's write timeout, over a real connection: it must arrive
// whole, because it keeps moving.
func TestStreamOutlastsTheWriteTimeout(t *testing.T) {
	t.Parallel()
	s := &Server{cfg: Config{Log: slog.New(slog.DiscardHandler)}}
	app := fiber.New(fiber.Config{WriteTimeout: 200 * time.Millisecond})
	app.Get("/export.csv", func(c fiber.Ctx) error {
		return s.stream(c, func(_ context.Context, w io.Writer) error {
			for i := range 8 {
				time.Sleep(100 * time.Millisecond)
				if _, err := fmt.Fprintf(w, "row %d\n", i); err != nil {
					return err
				}
			}
			return nil
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	res, err := http.Get("http://" + ln.Addr().String() + "/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || strings.Count(string(body), "\n") != 8 {
		t.Errorf("body %q (%v), want 8 rows", body, err)
	}
}
