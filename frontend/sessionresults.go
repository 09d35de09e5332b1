package frontend

import (
	"context"
	"fmt"
	"slices"

	"github.com/heard-app/heard/surveys"
)

// Results of MADE sessions on "you said, we did": once a session has
// ended, the facilitator may publish some of its activities' results.
// They are the same suppressed figures the projector showed, and only the
// ideas the room could see.

// sessionCard is one session's published results.
type sessionCard struct {
	ID         string
	Title      localText // staff write it in English
	Day        string
	Activities []sessionResult
}

// sessionResult is one published activity's results.
type sessionResult struct {
	Prompt     localText
	Answered   string
	Bars       []presentBar
	Statements []sessionStatement
	Ideas      []string // young people's own words, in their language
	Words      []string
}

type sessionStatement struct {
	Text  localText
	Faces []presentBar // "Really happy: 7", saddest first
}

// english marks a text staff wrote, in English, for a page in another
// language.
func english(l *locale, text string) localText {
	lt := localText{Text: text}
	if l.Lang != surveys.DefaultLanguage {
		lt.Lang = surveys.DefaultLanguage
	}
	return lt
}

// sessionCards gathers the published results of ended sessions, newest
// first; with a theme, only activities linked to it.
func (p *Pages) sessionCards(ctx context.Context, l *locale, theme string, threshold int) ([]sessionCard, error) {
	if !p.liveOn() {
		return nil, nil
	}
	all, err := p.cfg.Live.Sessions.FindLiveSessions(ctx)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	var out []sessionCard
	for _, s := range all {
		if s.Status != surveys.LiveEnded || len(s.Published) == 0 {
			continue
		}
		room, err := p.cfg.Rooms.Room(ctx, s.ID)
		if err != nil {
			return nil, fmt.Errorf("open session %s: %w", s.ID, err)
		}
		card := sessionCard{ID: s.ID, Title: english(l, s.Title), Day: l.Date(s.Date)}
		published := s.Published // the room's copy of the session is as it was when it started
		room.View(func(s *surveys.LiveSession, st *surveys.RoomState) {
			for _, a := range s.Activities {
				if slices.Contains(published, a.ID) && (theme == "" || slices.Contains(a.Themes, theme)) {
					card.Activities = append(card.Activities, sessionResultOf(l, st.Results(s, a.ID, threshold), threshold))
				}
			}
		})
		if len(card.Activities) > 0 {
			out = append(out, card)
		}
	}
	return out, nil
}

func sessionResultOf(l *locale, r *surveys.LiveResults, threshold int) sessionResult {
	out := sessionResult{Prompt: english(l, r.Activity.Prompt)}
	// Ideas and words are what the room saw; figures only from enough
	// young people.
	for _, idea := range r.Ideas {
		out.Ideas = append(out.Ideas, idea.Text)
	}
	for _, w := range r.Words {
		out.Words = append(out.Words, w.Word)
	}
	if r.Few {
		out.Answered = l.T("present.answered_few", "n", threshold)
		return out
	}
	out.Answered = l.T("present.answered", "n", r.Answered)
	out.Bars = bars(l, r.Options, threshold)
	for _, st := range r.Statements {
		ss := sessionStatement{Text: english(l, st.Text)}
		if !st.Few {
			counts := make([]surveys.LiveCount, len(st.Faces))
			for f, c := range st.Faces {
				c.Label = l.T(fmt.Sprintf("live.face%d", f+1))
				counts[f] = c
			}
			ss.Faces = bars(l, counts, threshold)
		}
		out.Statements = append(out.Statements, ss)
	}
	return out
}
