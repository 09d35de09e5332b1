package staff

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/frontend/follow"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/rooms"
)

// The facilitator's console of a MADE session, /staff/sessions/{id}:
// before the session, what it holds and a button to start it; while it
// runs, the activities (open, close, reveal), the join code and the
// projector's link, how many phones follow it, the results, and every post
// of the live activity to approve, hide, merge or theme; what was said on
// paper, and attendance; and after it, the summary. Every button is a
// form, so the console works without JavaScript; console.js keeps its live
// part up to date.

// consoleView is the console page.
type consoleView struct {
	page
	S          *surveys.LiveSession
	Status     string
	Badge      string
	Code       string
	JoinURL    string
	PresentURL string
	Live       consoleLive
	Bands      []bandInput
	PaperToken string
	Publish    []adminOption
	Problem    string
}

type bandInput struct {
	Band  string
	ID    string
	Value string
}

// consoleLive is the part of the console that changes as the session
// runs.
type consoleLive struct {
	CSRF       string
	Action     string // where its forms post
	Seq        int
	Running    bool
	Joined     string
	Connected  int
	Activities []consoleActivity
	Current    *consoleActivity
	Results    *surveys.LiveResults
	Fewer      string
	Posts      []consolePost
	Targets    []adminOption // the posts another can be merged into
	Themes     []adminOption
	Summary    []consoleResults // every activity's, once the session has ended
}

// consoleResults are one activity's results, as the console shows them.
type consoleResults struct {
	Number  int
	Prompt  string
	Results *surveys.LiveResults
	Ideas   []surveys.LiveIdea
	Fewer   string
}

type consoleActivity struct {
	Number   int
	ID       string
	Kind     string
	Prompt   string
	Live     bool
	Open     bool
	Opened   bool
	Revealed bool
	Answered string
}

type consolePost struct {
	ID       string
	Text     string
	Status   string
	Flagged  bool
	Held     bool
	Hidden   bool
	Merged   bool
	Likes    string
	Themes   []adminOption
	Reviewed bool
}

// sessionRoom is the session of the address and its room; a draft has no
// room.
func (p *Pages) sessionRoom(c fiber.Ctx) (*surveys.LiveSession, *rooms.Room, error) {
	if p.cfg.Sessions == nil || p.cfg.Live == nil || p.cfg.Rooms == nil {
		return nil, nil, errSessionsOff
	}
	s, err := p.cfg.Sessions.Find(c.Context(), c.Params("id"))
	if err != nil || s.Status == surveys.LiveDraft {
		return s, nil, err
	}
	room, err := p.cfg.Rooms.Room(c.Context(), s.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("open session %s: %w", s.ID, err)
	}
	return s, room, nil
}

// SessionConsole serves GET /staff/sessions/{id}.
func (p *Pages) SessionConsole(c fiber.Ctx) error {
	s, room, err := p.sessionRoom(c)
	if err != nil {
		return err
	}
	return p.renderConsole(c, http.StatusOK, s, room, "")
}

func (p *Pages) renderConsole(c fiber.Ctx, status int, s *surveys.LiveSession, room *rooms.Room, problem string) error {
	title := s.Title
	pg := p.page(c, title)
	if room != nil {
		pg.Script = p.cfg.Assets.AssetURL("console.js")
	}
	v := consoleView{page: pg, S: s, Status: liveStatusNames[s.Status], Badge: liveBadges[s.Status],
		Problem: problem, PaperToken: randomToken()}
	if s.Code != "" {
		base := strings.TrimRight(p.cfg.PublicURL, "/")
		v.Code = s.Code
		v.JoinURL = base + "/join?code=" + url.QueryEscape(s.Code)
		v.PresentURL = base + "/present/" + url.PathEscape(s.Code) + "?k=" + url.QueryEscape(s.PresentKey)
	}
	for i, band := range surveys.AttendanceBands {
		b := bandInput{Band: band, ID: "band-" + strconv.Itoa(i)}
		if n, ok := s.Attendance[band]; ok {
			b.Value = strconv.Itoa(n)
		}
		v.Bands = append(v.Bands, b)
	}
	for _, a := range s.Activities {
		v.Publish = append(v.Publish, adminOption{Value: a.ID, Text: a.Prompt, Selected: slices.Contains(s.Published, a.ID)})
	}
	if room != nil {
		v.Live = p.consoleState(c, room, v.CSRF)
	}
	return p.render(c, status, "session-console", v)
}

// consoleState works out the live part of the console.
func (p *Pages) consoleState(c fiber.Ctx, room *rooms.Room, csrf string) consoleLive {
	threshold := surveys.DefaultThreshold
	if st, err := p.cfg.Settings.Current(c.Context()); err == nil && st.Threshold > 0 {
		threshold = st.Threshold
	}
	connected, err := room.Connected(c.Context())
	if err != nil {
		p.cfg.Log.Warn("live session: count connected", "err", err)
	}
	var themes []adminOption
	if cb := p.cfg.Themes.Codebook(); cb != nil {
		for _, t := range cb.Themes {
			themes = append(themes, adminOption{Value: t.Key, Text: t.Name})
		}
	}
	var v consoleLive
	room.View(func(s *surveys.LiveSession, st *surveys.RoomState) {
		v = consoleLive{CSRF: csrf, Action: "/staff/sessions/" + url.PathEscape(s.ID), Seq: st.Seq, Running: !st.Ended,
			Connected: connected, Fewer: fmt.Sprintf("fewer than %d", threshold)}
		if n, ok := st.Joined(threshold); ok {
			v.Joined = strconv.Itoa(n)
		} else {
			v.Joined = v.Fewer
		}
		for i, a := range s.Activities {
			as := st.Act(a.ID)
			ca := consoleActivity{Number: i + 1, ID: a.ID, Kind: a.Kind.Name(), Prompt: a.Prompt,
				Live: st.Live == a.ID, Open: as.Open, Opened: as.Opened, Revealed: as.Revealed}
			r := st.Results(s, a.ID, threshold)
			ca.Answered = strconv.Itoa(r.Answered)
			if r.Few {
				ca.Answered = v.Fewer
			}
			v.Activities = append(v.Activities, ca)
			if st.Ended {
				v.Summary = append(v.Summary, consoleResults{Number: i + 1, Prompt: a.Prompt, Results: r, Ideas: r.Ideas, Fewer: v.Fewer})
			}
			if ca.Live {
				v.Current = &v.Activities[len(v.Activities)-1]
				v.Results = r
				v.Posts, v.Targets = consolePosts(as, themes, threshold)
			}
		}
		v.Themes = themes
	})
	return v
}

// consolePosts lists the live activity's posts for moderation: held ones
// first, those the safeguarding detector flagged before them.
func consolePosts(a *surveys.ActivityState, themes []adminOption, threshold int) ([]consolePost, []adminOption) {
	var posts []consolePost
	var targets []adminOption
	order := append(a.Held(), slices.DeleteFunc(slices.Clone(a.Posts), func(p *surveys.LivePost) bool { return p.Status == surveys.PostHeld })...)
	for _, p := range order {
		cp := consolePost{ID: p.ID, Text: p.Text, Flagged: p.Hold == surveys.HoldSafeguarding, Held: p.Status == surveys.PostHeld,
			Hidden: p.Status == surveys.PostHidden, Merged: p.Into != "", Reviewed: p.Reviewed}
		switch {
		case cp.Flagged:
			cp.Status = "Held: it may be a worry"
		case cp.Held && p.Hold == surveys.HoldProfanity:
			cp.Status = "Held: a word on the profanity list"
		case cp.Held:
			cp.Status = "Waiting for approval"
		case cp.Hidden:
			cp.Status = "Hidden"
		case cp.Merged:
			cp.Status = "Merged into a similar idea"
		default:
			cp.Status = "On the screen"
			targets = append(targets, adminOption{Value: p.ID, Text: p.Text})
		}
		if n := len(p.Likes); n >= threshold {
			cp.Likes = strconv.Itoa(n) + " likes"
		}
		for _, t := range themes {
			cp.Themes = append(cp.Themes, adminOption{Value: t.Value, Text: t.Text, Selected: slices.Contains(p.Themes, t.Value)})
		}
		posts = append(posts, cp)
	}
	return posts, targets
}

// SessionLive serves GET /staff/sessions/{id}/live?after=N: the console's
// live part, once it has changed, for console.js.
func (p *Pages) SessionLive(c fiber.Ctx) error {
	s, room, err := p.sessionRoom(c)
	if err != nil {
		return err
	}
	if room == nil {
		return surveys.Errorf(surveys.ENOTFOUND, "The session has not started.")
	}
	csrf := p.page(c, s.Title).CSRF
	return follow.Poll(c, room, func(room *rooms.Room) (int, []byte, error) {
		v := p.consoleState(c, room, csrf)
		var buf bytes.Buffer
		if err := p.pages.ExecutePart(&buf, "session-console", "console-live", v); err != nil {
			return 0, nil, err
		}
		data, err := follow.Part(buf.Bytes())
		return v.Seq, data, err
	})
}

// StartSession serves POST /staff/sessions/{id}/start.
func (p *Pages) StartSession(c fiber.Ctx) error {
	if p.cfg.Live == nil {
		return errSessionsOff
	}
	st, err := p.cfg.Settings.Current(c.Context())
	if err != nil {
		return err
	}
	s, err := p.cfg.Live.Start(c.Context(), c.Params("id"), st.Groups)
	if err != nil {
		return err
	}
	return redirectDone(c, "/staff/sessions/"+url.PathEscape(s.ID), "started")
}

// consoleActions are the console's buttons, as the events they send.
var consoleActions = map[string]surveys.LiveEventKind{
	"open": surveys.EventOpen, "close": surveys.EventClose, "reveal": surveys.EventReveal, "conceal": surveys.EventReveal,
	"approve": surveys.EventApprove, "hide": surveys.EventHide, "merge": surveys.EventMerge, "themes": surveys.EventTheme,
}

// SessionAct serves POST /staff/sessions/{id}/act: a button of the
// console.
func (p *Pages) SessionAct(c fiber.Ctx) error {
	s, room, err := p.sessionRoom(c)
	if err != nil {
		return err
	}
	do := c.FormValue("do")
	kind, ok := consoleActions[do]
	if !ok || room == nil {
		return surveys.Errorf(surveys.EINVALID, "The console sent a button Heard does not know.")
	}
	args := c.Request().PostArgs()
	ev := surveys.LiveEvent{Kind: kind, Activity: c.FormValue("activity"), Target: c.FormValue("target"),
		Into: c.FormValue("into"), On: do == "reveal"}
	if kind == surveys.EventTheme {
		for _, t := range args.PeekMulti("theme") {
			ev.Themes = append(ev.Themes, string(t))
		}
	}
	if _, err := p.cfg.Live.Facilitate(c.Context(), s, ev); err != nil {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			return p.renderConsole(c, http.StatusUnprocessableEntity, s, room, err.(*surveys.Error).Message)
		}
		return err
	}
	if strings.Contains(c.Get(fiber.HeaderAccept), "application/json") {
		return c.JSON(fiber.Map{"ok": true})
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/staff/sessions/" + url.PathEscape(s.ID) + "#live")
}

// EndSession serves POST /staff/sessions/{id}/end.
func (p *Pages) EndSession(c fiber.Ctx) error {
	if p.cfg.Live == nil {
		return errSessionsOff
	}
	u := currentSession(c)
	s, err := p.cfg.Live.End(c.Context(), c.Params("id"), u.user.Email)
	if err != nil {
		return err
	}
	return redirectDone(c, "/staff/sessions/"+url.PathEscape(s.ID), "ended")
}

// SessionPaper serves POST /staff/sessions/{id}/paper: notes typed in
// from flip charts and post-its, one note per paragraph (a blank line
// between two).
func (p *Pages) SessionPaper(c fiber.Ctx) error {
	s, room, err := p.sessionRoom(c)
	if err != nil {
		return err
	}
	var notes []string
	for note := range strings.SplitSeq(strings.ReplaceAll(c.FormValue("notes"), "\r\n", "\n"), "\n\n") {
		if n := strings.TrimSpace(note); n != "" {
			notes = append(notes, n)
		}
	}
	token := c.FormValue("token")
	if len(token) != 32 || strings.Trim(token, "0123456789abcdef") != "" {
		return surveys.Errorf(surveys.EINVALID, "The form is not one Heard sent. Load the page again.")
	}
	if _, err := p.cfg.Live.AddPaper(c.Context(), s.ID, token, notes); err != nil {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			return p.renderConsole(c, http.StatusUnprocessableEntity, s, room, fieldsText(err))
		}
		return err
	}
	return redirectDone(c, "/staff/sessions/"+url.PathEscape(s.ID), "paper")
}

// SessionAttendance serves POST /staff/sessions/{id}/attendance.
func (p *Pages) SessionAttendance(c fiber.Ctx) error {
	s, room, err := p.sessionRoom(c)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, band := range surveys.AttendanceBands {
		raw := strings.TrimSpace(c.FormValue("band." + band))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			return p.renderConsole(c, http.StatusUnprocessableEntity, s, room, "Attendance is whole numbers: "+band+" is not.")
		}
		counts[band] = n
	}
	revision, _ := strconv.Atoi(c.FormValue("revision"))
	if _, err := p.cfg.Live.SetAttendance(c.Context(), s.ID, revision, counts); err != nil {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			return p.renderConsole(c, http.StatusUnprocessableEntity, s, room, fieldsText(err))
		}
		return err
	}
	return redirectDone(c, "/staff/sessions/"+url.PathEscape(s.ID), "attendance")
}

// SessionPublish serves POST /staff/sessions/{id}/publish.
func (p *Pages) SessionPublish(c fiber.Ctx) error {
	s, room, err := p.sessionRoom(c)
	if err != nil {
		return err
	}
	var chosen []string
	for _, a := range c.Request().PostArgs().PeekMulti("publish") {
		chosen = append(chosen, string(a))
	}
	revision, _ := strconv.Atoi(c.FormValue("revision"))
	if _, err := p.cfg.Live.SetPublished(c.Context(), s.ID, revision, chosen); err != nil {
		if surveys.ErrorCode(err) == surveys.EINVALID {
			return p.renderConsole(c, http.StatusUnprocessableEntity, s, room, fieldsText(err))
		}
		return err
	}
	return redirectDone(c, "/staff/sessions/"+url.PathEscape(s.ID), "published")
}

// fieldsText puts a domain error's messages in one line.
func fieldsText(err error) string {
	e, ok := err.(*surveys.Error)
	if !ok {
		return err.Error()
	}
	parts := []string{e.Message}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return strings.Join(parts, " ")
}

// randomToken makes a form's own token: 128 random bits in hex.
func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
