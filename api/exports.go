package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

// Downloads of a survey's data: its results, suppressed and safe to
// publish, as CSV and JSON; and, for admins and analysts, its individual
// responses as CSV with a data dictionary.

const (
	// exportBatch is how many responses the export reads and writes at a
	// time: the memory it needs, and how many rows at a time lose the
	// order in which they arrived (exports.WriteResponses).
	exportBatch = 2000
	// exportTimeout bounds an export of responses, which goes on after its
	// handler returns.
	exportTimeout = 10 * time.Minute
	// streamIdle is how long a download sent as it is made may go without
	// writing before the connection is given up. It replaces the server's
	// write timeout, which bounds a whole response: 100,000 responses take
	// 25 to 45 s to send from the embedded database on a busy 2-core
	// machine, and more would not fit.
	streamIdle = 30 * time.Second
)

// Content types of the downloads.
const (
	csvType  = "text/csv; charset=utf-8"
	jsonType = "application/json; charset=utf-8"
)

// resultsCSV sends the survey's results for all versions and each version,
// one figure a row, with every small number suppressed.
func (s *Server) resultsCSV(c fiber.Ctx) error {
	p, err := s.publishedResults(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteResultsCSV(&buf, p); err != nil {
		return err
	}
	return download(c, csvType, p.Survey+"-results.csv", buf.Bytes())
}

// resultsJSON sends the same rows as resultsCSV, as JSON.
func (s *Server) resultsJSON(c fiber.Ctx) error {
	p, err := s.publishedResults(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteResultsJSON(&buf, p); err != nil {
		return err
	}
	return download(c, jsonType, p.Survey+"-results.json", buf.Bytes())
}

func (s *Server) publishedResults(c fiber.Ctx) (*exports.PublishedResults, error) {
	ctx := c.Context()
	sv, err := s.cfg.Surveys.FindSurvey(ctx, c.Params("slug"))
	if err != nil {
		return nil, err
	}
	tallies, err := s.cfg.Tallies.FindTallies(ctx, sv)
	if err != nil {
		return nil, err
	}
	st, err := s.cfg.Settings.Current(ctx)
	if err != nil {
		return nil, err
	}
	return exports.PublishResults(sv, tallies, st.Threshold, s.cfg.Now())
}

// dictionaryCSV sends what each column and key of the responses export
// means.
func (s *Server) dictionaryCSV(c fiber.Ctx) error {
	sv, err := s.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exports.WriteDictionary(&buf, sv); err != nil {
		return err
	}
	return download(c, csvType, sv.Slug+"-dictionary.csv", buf.Bytes())
}

// responsesCSV sends the survey's individual responses, a row each, read
// and written a batch at a time. Free text comes only with ?text=1, and
// then as written for admins and as its approved, redacted quote for
// anyone else (empty without one). Every export is in the audit log,
// recorded before the first row is sent: one that cannot be recorded is
// not made.
func (s *Server) responsesCSV(c fiber.Ctx) error {
	withText, err := textParam(c.Query("text"))
	if err != nil {
		return err
	}
	ctx := c.Context()
	sv, err := s.cfg.Surveys.FindSurvey(ctx, c.Params("slug"))
	if err != nil {
		return err
	}
	name := sv.Slug + "-responses.csv"
	if c.Method() == fiber.MethodHead {
		attachment(c, csvType, name)
		return nil // no rows are read or sent, so nothing is exported
	}
	var text exports.TextCell
	detail := "without free text"
	if withText {
		if text, detail, err = s.textCells(ctx, sv, currentUser(c)); err != nil {
			return err
		}
	}
	if err := s.cfg.Audit.Record(ctx, surveys.AuditResponsesExport, sv.Slug, detail); err != nil {
		return err
	}
	attachment(c, csvType, name)
	return s.stream(c, func(ctx context.Context, w io.Writer) error {
		return exports.WriteResponses(w, sv, text, func(each func([]*surveys.Response) error) error {
			return s.cfg.Responses.ReadResponses(ctx, sv, exportBatch, each)
		})
	})
}

// textParam reads ?text=: 1 to include free text; 0 or nothing not to.
func textParam(v string) (bool, error) {
	switch v {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, surveys.FieldsError("Add text=1 to include young people's words, or leave it out.",
		map[string]string{"text": "must be 1 or 0"})
}

// textCells decides what a text answer's cell holds for u: an admin gets
// the words as written; anyone else only a quote of them that an analyst
// made and approved, with its redactions, found by its voice's id, which
// VoicesOf derives from the response's id and the question's key.
func (s *Server) textCells(ctx context.Context, sv *surveys.Survey, u *surveys.User) (exports.TextCell, string, error) {
	if u != nil && u.Role == surveys.RoleAdmin {
		return func(_ *surveys.Response, _ *surveys.Question, a surveys.Answer) string { return a.Text },
			"with free text as written", nil
	}
	quotes, err := s.approvedQuotes(ctx, sv)
	if err != nil {
		return nil, "", err
	}
	return func(r *surveys.Response, q *surveys.Question, _ surveys.Answer) string {
		return quotes[surveys.VoiceID(surveys.ChannelSurvey, r.ID, q.Key)]
	}, "with free text as approved quotes only", nil
}

// approvedQuotes returns the text of the approved quote of each of sv's
// comments that has one, by voice id. Quotes are few (a person makes each),
// so rather than read every comment, which on the embedded database
// decodes every voice (about 20 s for 100,000), it reads the voices'
// digests since the survey was made, which say which have an approved
// quote, and then reads each of those voices by id.
func (s *Server) approvedQuotes(ctx context.Context, sv *surveys.Survey) (map[string]string, error) {
	to := s.cfg.Now().UTC().Format(time.DateOnly)
	from := min(sv.Created.UTC().Format(time.DateOnly), to)
	var quoted []string
	err := s.cfg.Voices.Store.EachVoiceDigest(ctx, from, to, func(d *surveys.VoiceDigest) error {
		if d.Quoted && d.Survey == sv.Slug && d.Channel == surveys.ChannelSurvey {
			quoted = append(quoted, d.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find the quotes of %q: %w", sv.Slug, err)
	}
	quotes := make(map[string]string, len(quoted))
	for _, id := range quoted {
		v, err := s.cfg.Voices.Store.FindVoice(ctx, id)
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("read a quote of %q: %w", sv.Slug, err)
		}
		if v.Quote != nil && v.Quote.Status == surveys.QuoteApproved {
			quotes[v.ID] = v.Quote.Text
		}
	}
	return quotes, nil
}

// download sends a file made in memory as an attachment.
func download(c fiber.Ctx, contentType, name string, body []byte) error {
	attachment(c, contentType, name)
	return c.Send(body)
}

// attachment marks the response as a file to save, named name (made of a
// survey's slug, which has no quotes in it). Set only once nothing can
// fail, so that an error's JSON is not saved as the file.
func attachment(c fiber.Ctx, contentType, name string) {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
}

// streamsBody reports whether a request is for a download sent as it is
// made, or a live session's event stream. Fiber's compress middleware reads a streamed body whole before
// compressing it (and would turn a failure part way into the body's
// text), so these skip it.
func streamsBody(c fiber.Ctx) bool {
	return strings.HasSuffix(c.Path(), "/responses.csv") || strings.HasSuffix(c.Path(), "/stream")
}

// stream sends what write writes as the response body, while it writes
// it. write runs once the body is first read, after the handler has
// returned, so it gets a context of its own (with the request's values).
// A failure part way is logged and breaks the connection before the
// body's end, so that the client sees the download fail rather than a
// file cut short.
func (s *Server) stream(c fiber.Ctx, write func(ctx context.Context, w io.Writer) error) error {
	ctx := context.WithoutCancel(c.Context())
	route := routePattern(c)
	conn := c.RequestCtx().Conn()
	return c.SendStream(newLazyPipe(func(pw *io.PipeWriter) {
		ctx, cancel := context.WithTimeout(ctx, exportTimeout)
		defer cancel()
		// The app's recover middleware has returned by now: a panic here
		// must not take the server down with it.
		defer func() {
			if r := recover(); r != nil {
				s.cfg.Log.ErrorContext(ctx, "download failed part way", "route", route, "panic", fmt.Sprint(r))
				_ = pw.CloseWithError(errors.New("the download failed"))
			}
		}()
		cw := &clientWriter{w: pw, conn: conn}
		err := write(ctx, cw)
		switch {
		case err != nil && cw.err != nil:
			s.cfg.Log.InfoContext(ctx, "download stopped: the client went away", "route", route)
		case err != nil:
			s.cfg.Log.ErrorContext(ctx, "download failed part way", "route", route, "err", err)
		}
		_ = pw.CloseWithError(err)
	}))
}

// clientWriter moves the connection's write deadline on as it writes, so
// that a download that keeps moving is not cut off, and remembers whether
// writing to the client failed, to tell a client that went away from a
// failure of Heard's.
type clientWriter struct {
	w    io.Writer
	conn net.Conn // nil: no deadline to move
	err  error
}

func (cw *clientWriter) Write(p []byte) (int, error) {
	if cw.conn != nil {
		// fasthttp sets the next response's deadline itself, and this
		// goroutine ends before the response does.
		_ = cw.conn.SetWriteDeadline(time.Now().Add(streamIdle))
	}
	n, err := cw.w.Write(p)
	if err != nil && cw.err == nil {
		cw.err = err
	}
	return n, err
}

// lazyPipe is a body that a goroutine writes as it is read. The goroutine
// starts at the first read, so a body never read (a client gone before
// it) costs nothing; fasthttp closes the body when done with it, which
// stops the goroutine at its next write.
type lazyPipe struct {
	once  sync.Once
	start func(*io.PipeWriter)
	r     *io.PipeReader
	w     *io.PipeWriter
}

func newLazyPipe(start func(*io.PipeWriter)) *lazyPipe {
	r, w := io.Pipe()
	return &lazyPipe{start: start, r: r, w: w}
}

func (p *lazyPipe) Read(b []byte) (int, error) {
	p.once.Do(func() { go p.start(p.w) })
	return p.r.Read(b)
}

// Close closes the body; its writer, if it started, fails at its next
// write.
func (p *lazyPipe) Close() error { return p.CloseWithError(nil) }

// CloseWithError is how fasthttp closes the body, with the error that
// stopped it writing, if any.
func (p *lazyPipe) CloseWithError(err error) error {
	p.once.Do(func() {}) // never start after this
	if err == nil {
		err = errBodyClosed
	}
	return p.r.CloseWithError(err)
}

var errBodyClosed = errors.New("the response body was closed")
