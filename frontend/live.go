package frontend

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/surveys"
)

// The phone's side of a MADE session: /join takes the code the room sees
// on the projector, and /live/{code} shows the live activity, takes votes,
// ratings, ideas, likes and dots, and follows the session as it moves on.
// Every page works without JavaScript (a form per action, and a link to
// look again); live.js makes it follow the session by itself and keeps
// what could not be sent until the phone is back online.

// participantCookie holds the phone's anonymous token for one session.
// Its path is the session's, so a phone's tokens for two sessions are two
// cookies, and the token is all that is kept on the phone.
const participantCookie = "heard_live"

// participantLifetime is how long a phone keeps its token: a session is a
// day's work.
const participantLifetime = 24 * time.Hour

// joinView is the join page.
type joinView struct {
	page
	Code    string
	Problem string
}

// JoinPage serves GET /join: a box for the code. A QR code's link carries
// the code (/join?code=...), which takes the phone straight in.
func (p *Pages) JoinPage(c fiber.Ctx) error {
	if !p.liveOn() {
		return p.notFound(c)
	}
	if code := c.Query("code"); code != "" {
		return p.join(c, code)
	}
	pg := p.page(c, c.Query("lang"))
	pg.Title, pg.Script, pg.Preload = pg.L.T("join.title"), "", nil
	return p.render(c, fiber.StatusOK, "join", joinView{page: pg})
}

// Join serves POST /join.
func (p *Pages) Join(c fiber.Ctx) error {
	if !p.liveOn() {
		return p.notFound(c)
	}
	return p.join(c, c.FormValue("code"))
}

func (p *Pages) join(c fiber.Ctx, typed string) error {
	pg := p.page(c, c.Query("lang", c.FormValue("lang")))
	pg.Title, pg.Script, pg.Preload = pg.L.T("join.title"), "", nil
	v := joinView{page: pg, Code: typed}
	if wait, blocked := p.cfg.JoinAttempts.Blocked(forwarded.ClientIP(c)); blocked {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		v.Error, v.Problem = true, pg.L.T("code.blocked", "n", int(math.Ceil(wait.Minutes())))
		return p.render(c, fiber.StatusTooManyRequests, "join", v)
	}
	s, err := p.cfg.Live.Join(c.Context(), typed)
	switch surveys.ErrorCode(err) {
	case "":
	case surveys.EINVALID:
		v.Error, v.Problem = true, pg.L.T("join.bad_code")
		return p.render(c, fiber.StatusUnprocessableEntity, "join", v)
	case surveys.ENOTFOUND:
		p.cfg.JoinAttempts.Fail(forwarded.ClientIP(c))
		v.Error, v.Problem = true, pg.L.T("join.unknown")
		return p.render(c, fiber.StatusNotFound, "join", v)
	default:
		return fmt.Errorf("join a session: %w", err)
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(pg.Link("/live/" + s.Code))
}

// liveOn says whether MADE sessions are set up.
func (p *Pages) liveOn() bool { return p.cfg.Live != nil && p.cfg.Rooms != nil }

// liveSession finds the session of the code in the address, or answers
// for it: not found, or not started.
func (p *Pages) liveSession(c fiber.Ctx) (*surveys.LiveSession, error) {
	if !p.liveOn() {
		return nil, p.notFound(c)
	}
	s, err := p.cfg.Live.Join(c.Context(), c.Params("code"))
	if surveys.ErrorCode(err) == surveys.ENOTFOUND || surveys.ErrorCode(err) == surveys.EINVALID ||
		(err == nil && s.Status == surveys.LiveDraft) {
		return nil, p.notFound(c)
	}
	if err != nil {
		return nil, fmt.Errorf("find live session: %w", err)
	}
	return s, nil
}

// participant returns the phone's key for the session, giving the phone a
// token first if it has none.
func participant(c fiber.Ctx, s *surveys.LiveSession) string {
	token := c.Cookies(participantCookie)
	if len(token) != 32 || strings.Trim(token, "0123456789abcdef") != "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		token = hex.EncodeToString(b)
		c.Cookie(&fiber.Cookie{Name: participantCookie, Value: token, Path: "/live/" + s.Code,
			MaxAge: int(participantLifetime.Seconds()), HTTPOnly: true, Secure: forwarded.Secure(c), SameSite: fiber.CookieSameSiteLaxMode})
	}
	return surveys.ParticipantKey(s.ID, token)
}

// threshold is the suppression threshold in force.
func (p *Pages) threshold(c fiber.Ctx) int {
	if p.cfg.Settings != nil {
		if st, err := p.cfg.Settings.Current(c.Context()); err == nil && st.Threshold > 0 {
			return st.Threshold
		}
	}
	return surveys.DefaultThreshold
}

// LivePage serves GET /live/{code}: the live activity on a phone.
func (p *Pages) LivePage(c fiber.Ctx) error {
	s, err := p.liveSession(c)
	if s == nil {
		return err
	}
	// A young person is counted once they send something, not when a
	// page is loaded: loads without a cookie would otherwise fill the
	// room (MaxRoomPeople) and shut everyone else out.
	key := participant(c, s)
	pg := p.page(c, c.Query("lang"))
	return p.renderLive(c, s, key, pg, fiber.StatusOK, c.Query("sent"), "")
}

// renderLive shows the phone's page; sent says how the last thing sent
// went, and problem what was wrong with it.
func (p *Pages) renderLive(c fiber.Ctx, s *surveys.LiveSession, key string, pg page, status int, sent, problem string) error {
	f, err := p.cfg.Rooms.Room(c.Context(), s.ID)
	if err != nil {
		return fmt.Errorf("open live session: %w", err)
	}
	var v *liveView
	threshold := p.threshold(c)
	f.View(func(s *surveys.LiveSession, st *surveys.RoomState) {
		v = newLiveView(pg, s, st.Phone(s, key, threshold), st.Seq, threshold, p.cfg.NewID)
	})
	v.Title, v.Script, v.Preload = s.Title, p.AssetURL(liveScript), nil
	v.Sent, v.Problem = sent, problem
	v.Help = help(pg.line, pg.L)
	if problem != "" {
		v.Error = true
	}
	return p.render(c, status, "live", v)
}

// SendLive serves POST /live/{code}: a vote, rating, idea, like or dots
// from a phone's form, without JavaScript; the script sends the same
// fields and asks for JSON back.
func (p *Pages) SendLive(c fiber.Ctx) error {
	s, err := p.liveSession(c)
	if s == nil {
		return err
	}
	key := participant(c, s)
	ev, err := decodeLiveForm(c.Request().PostArgs().Peek, c.Request().PostArgs().PeekMulti)
	var sent surveys.Sent
	if err == nil {
		sent, err = p.cfg.Live.Send(c.Context(), s, key, ev)
	}
	json := strings.Contains(c.Get(fiber.HeaderAccept), "application/json")
	pg := p.page(c, c.FormValue("lang"))
	problem, status := liveProblem(pg, err)
	if status == fiber.StatusInternalServerError {
		return fmt.Errorf("send to live session: %w", err)
	}
	word := sentWord(sent)
	if problem != "" {
		word = ""
	}
	if json {
		return c.Status(status).JSON(fiber.Map{"sent": word, "problem": problem})
	}
	if problem != "" {
		return p.renderLive(c, s, key, pg, status, "", problem)
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(pg.Link("/live/"+s.Code) + sepFor(pg.Link("/live/"+s.Code)) + "sent=" + url.QueryEscape(word))
}

func sepFor(link string) string {
	if strings.Contains(link, "?") {
		return "&"
	}
	return "?"
}

// sentWord is how a sent event went, as a word for the address and the
// script: "help" when the phone should show where to get help.
func sentWord(s surveys.Sent) string {
	switch {
	case s.Flagged:
		return "help"
	case s.Held:
		return "held"
	}
	return "ok"
}

// liveProblem puts an error from the session in the young person's words,
// with the status to send.
func liveProblem(pg page, err error) (string, int) {
	switch surveys.ErrorCode(err) {
	case "":
		return "", fiber.StatusOK
	case surveys.EINVALID:
		return err.(*surveys.Error).Message, fiber.StatusUnprocessableEntity
	case surveys.ECONFLICT:
		return pg.L.T("live.closed"), fiber.StatusConflict
	case surveys.EUNAVAILABLE:
		return pg.L.T("live.busy"), fiber.StatusServiceUnavailable
	}
	return "", fiber.StatusInternalServerError
}

// Limits on a phone's form.
const maxLiveFormFields = 40

// decodeLiveForm reads an event from a phone's form fields: kind,
// activity, id, and the kind's own fields (choice, face.N, text, column,
// word, target, on, dots.KEY).
func decodeLiveForm(get func(string) []byte, multi func(string) [][]byte) (surveys.LiveEvent, error) {
	ev := surveys.LiveEvent{
		ID:       string(get("id")),
		Kind:     surveys.LiveEventKind(get("kind")),
		Activity: string(get("activity")),
		Text:     string(get("text")),
		Target:   string(get("target")),
		On:       string(get("on")) == "1",
	}
	bad := surveys.Errorf(surveys.EINVALID, "The form is not one Heard sent.")
	if col := get("column"); len(col) > 0 {
		n, err := strconv.Atoi(string(col))
		if err != nil {
			return ev, bad
		}
		ev.Column = n
	}
	choices := multi("choice")
	if len(choices) > maxLiveFormFields {
		return ev, bad
	}
	for _, b := range choices {
		n, err := strconv.Atoi(string(b))
		if err != nil {
			return ev, bad
		}
		ev.Choices = append(ev.Choices, n)
	}
	if ev.Kind == surveys.EventRate {
		n, err := strconv.Atoi(string(get("statements")))
		if err != nil || n < 1 || n > surveys.MaxStatements {
			return ev, bad
		}
		for i := range n {
			f, _ := strconv.Atoi(string(get("face." + strconv.Itoa(i))))
			ev.Choices = append(ev.Choices, f)
		}
	}
	for _, w := range multi("word") {
		if strings.TrimSpace(string(w)) != "" {
			ev.Words = append(ev.Words, string(w))
		}
	}
	if len(ev.Words) > maxLiveFormFields {
		return ev, bad
	}
	for _, k := range multi("dots_key") {
		if len(ev.Dots) >= maxLiveFormFields {
			return ev, bad
		}
		raw := strings.TrimSpace(string(get("dots." + string(k))))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			return ev, surveys.Errorf(surveys.EINVALID, "Dots are whole numbers.")
		}
		if ev.Dots == nil {
			ev.Dots = map[string]int{}
		}
		if n != 0 {
			ev.Dots[string(k)] = n
		}
	}
	return ev, nil
}
