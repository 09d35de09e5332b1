package frontend

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/frontend/follow"
	"github.com/heard-app/heard/frontend/qrsvg"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/rooms"
)

// The projector's view of a running session, /present/{code}?k=...: the
// join code and its QR code, the live activity, and its results once the
// facilitator reveals them, large enough to read from the back of a room.
// The link's key is the only way in (the console gives it), and the view
// shows nothing personal and nothing unmoderated: only the figures of
// surveys.Results, suppressed, and posts the room may see.

// presentView is the projector's page; Live is the part that changes.
type presentView struct {
	page
	Session  *surveys.LiveSession
	Code     string // the join code, spaced for reading: "K7P 2QM"
	JoinURL  string
	JoinHost string // where to type the code: the public address without "https://"
	QR       template.HTML
	Key      string
	Live     presentLive
}

// presentLive is the live part of the projector's page.
type presentLive struct {
	L           *locale
	Seq         int
	Joined      string
	Ended       bool
	Activity    *surveys.Activity
	Open        bool
	Revealed    bool
	Answered    string
	Results     *surveys.LiveResults
	Bars        []presentBar // a poll's or a dot vote's
	Columns     []presentColumn
	Faces       [surveys.Faces]string
	FaceNumbers [surveys.Faces]int
	Few         string // why no figures are shown yet
	Fewer       string // what a hidden figure says
	Threshold   int
}

// presentBar is one bar of a chart: Width is its length in percent of the
// longest, drawn as an SVG rectangle (the page's CSP allows no inline
// styles).
type presentBar struct {
	Label string
	Value string
	Width int
}

type presentColumn struct {
	Title string
	Ideas []surveys.LiveIdea
}

// presentSession finds the session of the address and checks the key.
func (p *Pages) presentSession(c fiber.Ctx) (*surveys.LiveSession, error) {
	s, err := p.liveSession(c)
	if s == nil {
		return nil, err
	}
	key := c.Query("k")
	if s.PresentKey == "" || subtle.ConstantTimeCompare([]byte(key), []byte(s.PresentKey)) != 1 {
		return nil, p.notFound(c)
	}
	return s, nil
}

// presentRoom finds the session of the address, checks the key, and opens
// its room; with no room, err says what to answer.
func (p *Pages) presentRoom(c fiber.Ctx) (*surveys.LiveSession, *rooms.Room, error) {
	s, err := p.presentSession(c)
	if s == nil {
		return nil, nil, err
	}
	room, err := p.cfg.Rooms.Room(c.Context(), s.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("open live session: %w", err)
	}
	return s, room, nil
}

// PresentPage serves GET /present/{code}?k=KEY.
func (p *Pages) PresentPage(c fiber.Ctx) error {
	s, room, err := p.presentRoom(c)
	if room == nil {
		return err
	}
	pg := p.page(c, c.Query("lang"))
	pg.Title, pg.Script, pg.Preload = s.Title, p.AssetURL(presentScript), nil
	joinURL := strings.TrimRight(p.cfg.PublicURL, "/") + "/join?code=" + url.QueryEscape(s.Code)
	qr, err := qrsvg.SVG(joinURL, pg.L.T("present.qr", "code", s.Code))
	if err != nil {
		return fmt.Errorf("QR code of the join link: %w", err)
	}
	host := strings.TrimRight(p.cfg.PublicURL, "/")
	host = strings.TrimPrefix(strings.TrimPrefix(host, "https://"), "http://")
	v := presentView{page: pg, Session: s, Code: spacedCode(s.Code), JoinURL: joinURL, JoinHost: host, QR: qr, Key: s.PresentKey}
	room.View(func(s *surveys.LiveSession, st *surveys.RoomState) {
		v.Live = presentState(pg.L, s, st, p.threshold(c))
	})
	return p.render(c, fiber.StatusOK, "present", v)
}

// spacedCode splits a join code in two, easier to read across a room.
func spacedCode(code string) string {
	if len(code) != surveys.JoinCodeLength {
		return code
	}
	return code[:3] + " " + code[3:]
}

// presentState works out the live part of the projector's page.
func presentState(l *locale, s *surveys.LiveSession, st *surveys.RoomState, threshold int) presentLive {
	v := presentLive{L: l, Seq: st.Seq, Threshold: threshold, Fewer: l.T("present.fewer", "n", threshold), Ended: st.Ended, Faces: faceMouths, FaceNumbers: [surveys.Faces]int{1, 2, 3, 4, 5}}
	if n, ok := st.Joined(threshold); ok {
		v.Joined = l.T("present.joined", "n", n)
	} else {
		v.Joined = l.T("present.joined_few", "n", threshold)
	}
	act := s.Activity(st.Live)
	if act == nil || st.Ended {
		return v
	}
	a := st.Act(act.ID)
	v.Activity, v.Open, v.Revealed = act, a.Open, a.Revealed
	r := st.Results(s, act.ID, threshold)
	if r.Few {
		v.Answered = l.T("present.answered_few", "n", threshold)
	} else {
		v.Answered = l.T("present.answered", "n", r.Answered)
	}
	if a.Revealed {
		v.Results = r
		v.Columns = columns(act, r.Ideas)
		v.Bars = bars(l, r.Options, threshold)
		v.Few = l.T("present.few", "n", threshold)
	}
	return v
}

// bars draws counts as bars, a hidden count as none, with its words.
func bars(l *locale, counts []surveys.LiveCount, threshold int) []presentBar {
	most := 1
	for _, c := range counts {
		most = max(most, c.N)
	}
	out := make([]presentBar, len(counts))
	for i, c := range counts {
		out[i] = presentBar{Label: c.Label, Value: strconv.Itoa(c.N), Width: 100 * c.N / most}
		if c.Hidden {
			out[i].Value, out[i].Width = l.T("present.fewer", "n", threshold), 0
		}
	}
	return out
}

// columns puts an idea board's ideas in its columns; a board with no
// columns has one, untitled.
func columns(act *surveys.Activity, ideas []surveys.LiveIdea) []presentColumn {
	if act.Kind != surveys.ActivityIdeas && act.Kind != surveys.ActivityQuestion {
		return nil
	}
	n := max(len(act.Columns), 1)
	out := make([]presentColumn, n)
	for i, title := range act.Columns {
		out[i].Title = title
	}
	for _, idea := range ideas {
		c := min(max(idea.Column, 0), n-1)
		out[c].Ideas = append(out[c].Ideas, idea)
	}
	return out
}

// presentRender makes the projector's live part, as HTML for the script
// to put in place.
func (p *Pages) presentRender(l *locale, threshold int) follow.Render {
	return func(room *rooms.Room) (int, []byte, error) {
		var v presentLive
		room.View(func(s *surveys.LiveSession, st *surveys.RoomState) { v = presentState(l, s, st, threshold) })
		var buf bytes.Buffer
		if err := p.pages.ExecutePart(&buf, "present", "present-live", v); err != nil {
			return 0, nil, err
		}
		data, err := follow.Part(buf.Bytes())
		return v.Seq, data, err
	}
}

// PresentStream serves GET /present/{code}/stream?k=KEY.
func (p *Pages) PresentStream(c fiber.Ctx) error {
	return p.followPresent(c, func(c fiber.Ctx, room *rooms.Room, draw follow.Render) error {
		return follow.Stream(c, room, follow.Every, draw, p.cfg.Log)
	})
}

// PresentState serves GET /present/{code}/state?k=KEY&after=N.
func (p *Pages) PresentState(c fiber.Ctx) error {
	return p.followPresent(c, follow.Poll)
}

func (p *Pages) followPresent(c fiber.Ctx, send func(fiber.Ctx, *rooms.Room, follow.Render) error) error {
	_, room, err := p.presentRoom(c)
	if room == nil {
		return err
	}
	pg := p.page(c, c.Query("lang"))
	return send(c, room, p.presentRender(pg.L, p.threshold(c)))
}
