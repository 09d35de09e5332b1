package frontend

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/frontend/follow"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/rooms"
)

// MaxPhoneIdeas is how many of an idea board's ideas a phone is shown to
// like: the newest. A board of hundreds would otherwise be sent whole to
// every phone at every change (measured: 300 KB a state at 3,000 ideas,
// 150 MB/s to 200 phones), and a phone's page would be megabytes.
const MaxPhoneIdeas = 50

// newest returns the newest MaxPhoneIdeas ideas.
func newest(ideas []surveys.LiveIdea) []surveys.LiveIdea {
	return ideas[max(0, len(ideas)-MaxPhoneIdeas):]
}

// phoneState is what every phone in a session is sent: which activity is
// live, and the ideas of a board to like. What is a phone's own (its
// vote, its posts) is on its page.
type phoneState struct {
	Live  string      `json:"live"`
	Open  bool        `json:"open"`
	Ended bool        `json:"ended"`
	Ideas []phoneIdea `json:"ideas"`
}

type phoneIdea struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Column string `json:"column,omitempty"` // the board's column, as the page names it
	Likes  string `json:"likes"`
}

// phoneStates keeps the last state made for each session's phones, so
// that 200 phones following one session share one.
type phoneStates struct {
	mu   sync.Mutex
	last map[string]cachedState
}

type cachedState struct {
	seq  int
	lang string
	data []byte
}

func (ps *phoneStates) get(session, lang string, seq int) ([]byte, bool) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	c, ok := ps.last[session]
	return c.data, ok && c.seq == seq && c.lang == lang
}

func (ps *phoneStates) put(session, lang string, seq int, data []byte) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.last == nil {
		ps.last = map[string]cachedState{}
	}
	ps.last[session] = cachedState{seq: seq, lang: lang, data: data}
}

// phoneRender makes the phones' state of a session.
func (p *Pages) phoneRender(pg page, threshold int) follow.Render {
	return func(room *rooms.Room) (int, []byte, error) {
		var seq int
		var data []byte
		var err error
		room.View(func(s *surveys.LiveSession, st *surveys.RoomState) {
			seq = st.Seq
			if cached, ok := p.phones.get(s.ID, pg.L.Lang, seq); ok {
				data = cached
				return
			}
			out := phoneState{Live: st.Live, Open: st.Act(st.Live).Open, Ended: st.Ended, Ideas: []phoneIdea{}}
			if act := s.Activity(st.Live); act != nil && act.Kind == surveys.ActivityIdeas {
				for _, idea := range newest(st.Act(act.ID).Ideas(threshold)) {
					out.Ideas = append(out.Ideas, phoneIdea{ID: idea.ID, Text: idea.Text, Column: columnOf(act, idea), Likes: likesOf(pg.L, idea, threshold)})
				}
			}
			if data, err = json.Marshal(out); err == nil {
				p.phones.put(s.ID, pg.L.Lang, seq, data)
			}
		})
		return seq, data, err
	}
}

// stream sends states as server-sent events.
func (p *Pages) stream(c fiber.Ctx, room *rooms.Room, draw follow.Render) error {
	return follow.Stream(c, room, follow.PhoneEvery, draw, p.cfg.Log)
}

// LiveStream serves GET /live/{code}/stream: the phones' state as
// server-sent events.
func (p *Pages) LiveStream(c fiber.Ctx) error {
	return p.followLive(c, p.stream)
}

// LiveState serves GET /live/{code}/state?after=N: the phones' state by
// long polling.
func (p *Pages) LiveState(c fiber.Ctx) error {
	return p.followLive(c, follow.Poll)
}

func (p *Pages) followLive(c fiber.Ctx, send func(fiber.Ctx, *rooms.Room, follow.Render) error) error {
	s, err := p.liveSession(c)
	if s == nil {
		return err
	}
	room, err := p.cfg.Rooms.Room(c.Context(), s.ID)
	if err != nil {
		return fmt.Errorf("open live session: %w", err)
	}
	return send(c, room, p.phoneRender(p.page(c, c.Query("lang")), p.threshold(c)))
}
