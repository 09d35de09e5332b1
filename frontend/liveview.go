package frontend

import (
	"encoding/json"
	"strconv"

	"github.com/heard-app/heard/surveys"
)

// liveView is a phone's page in a running session.
type liveView struct {
	page
	Session  *surveys.LiveSession
	Seq      int // the state shown, for the script to follow on from
	Activity *surveys.Activity
	Open     bool
	Ended    bool
	EventID  string // the form's event id: the same form sent twice counts once

	Options    []liveOption    // a poll's options, or what a dot vote shares dots among
	Statements []liveStatement // a rating's
	Columns    []liveOption    // an idea board's
	Words      []int           // a word cloud's boxes, numbered from 1
	Ideas      []liveIdea      // an idea board's ideas, to like
	Posts      []livePost      // what this phone posted to the activity
	Answered   bool            // this phone has voted, rated or given dots

	ScriptText string // what live.js says, in the page's language, as JSON

	Sent    string // how the last thing sent went: "ok", "held" or "help"
	Problem string
	Help    helpView
}

type liveOption struct {
	Key     string
	Label   string
	Checked bool
	Value   int // dots given to it
}

type liveStatement struct {
	Index int
	Text  string
	Faces []liveFace
}

// liveFace is one face of a rating, drawn as the survey's faces are;
// Label is shown under the face.
type liveFace struct {
	Value   int
	Mouth   string
	Label   string
	Checked bool
}

type liveIdea struct {
	ID     string
	Text   string
	Column string
	Likes  string // "12 likes", "fewer than 5 likes" or ""
	Liked  bool
	Mine   bool
	LikeID string // the event id of the like button's form
}

type livePost struct {
	Text   string
	Status string // in words
}

// faceMouths are the mouths of a rating's faces, saddest first.
var faceMouths = func() (out [surveys.Faces]string) {
	for f := range out {
		out[f] = mouth(surveys.Faces-1-f, surveys.Faces)
	}
	return out
}()

func newLiveView(pg page, s *surveys.LiveSession, ph *surveys.PhoneView, seq, threshold int, newID func() string) *liveView {
	v := &liveView{page: pg, Session: s, Seq: seq, Activity: ph.Activity, Open: ph.Open, Ended: ph.Ended, EventID: newID()}
	script, _ := json.Marshal(map[string]string{"offline": pg.L.T("live.offline"), "sent": pg.L.T("live.sent"),
		"next": pg.L.T("live.next"), "go_next": pg.L.T("live.go_next")})
	v.ScriptText = string(script)
	act := ph.Activity
	if act == nil {
		return v
	}
	chosen := map[int]bool{}
	for _, c := range ph.Choices {
		chosen[c] = true
	}
	v.Answered = len(ph.Choices) > 0 || len(ph.Dots) > 0
	switch act.Kind {
	case surveys.ActivityPoll:
		for i, o := range act.Options {
			v.Options = append(v.Options, liveOption{Key: strconv.Itoa(i), Label: o, Checked: chosen[i]})
		}
	case surveys.ActivityRating:
		for i, text := range act.Statements {
			st := liveStatement{Index: i, Text: text}
			for f := 1; f <= surveys.Faces; f++ {
				st.Faces = append(st.Faces, liveFace{Value: f, Mouth: faceMouths[f-1], Label: pg.L.T("live.face" + strconv.Itoa(f)),
					Checked: i < len(ph.Choices) && ph.Choices[i] == f})
			}
			v.Statements = append(v.Statements, st)
		}
	case surveys.ActivityIdeas:
		for i, c := range act.Columns {
			v.Columns = append(v.Columns, liveOption{Key: strconv.Itoa(i), Label: c})
		}
		v.Ideas = liveIdeas(pg, act, ph, threshold, newID)
	case surveys.ActivityWords:
		for i := range act.Words {
			v.Words = append(v.Words, i+1)
		}
	case surveys.ActivityDots:
		if act.FromIdeas == "" {
			for i, o := range act.Options {
				key := strconv.Itoa(i)
				v.Options = append(v.Options, liveOption{Key: key, Label: o, Value: ph.Dots[key]})
			}
		} else {
			for _, idea := range ph.Ideas {
				v.Options = append(v.Options, liveOption{Key: idea.ID, Label: idea.Text, Value: ph.Dots[idea.ID]})
			}
		}
	}
	for _, p := range ph.Posts {
		v.Posts = append(v.Posts, livePost{Text: p.Text, Status: postStatus(pg, p)})
	}
	return v
}

// liveIdeas lists an idea board's ideas for liking.
func liveIdeas(pg page, act *surveys.Activity, ph *surveys.PhoneView, threshold int, newID func() string) []liveIdea {
	mine := map[string]bool{}
	for _, p := range ph.Posts {
		mine[p.ID] = true
	}
	var out []liveIdea
	for _, idea := range newest(ph.Ideas) {
		out = append(out, liveIdea{ID: idea.ID, Text: idea.Text, Liked: ph.Likes[idea.ID], Mine: mine[idea.ID], LikeID: newID(),
			Column: columnOf(act, idea), Likes: likesOf(pg.L, idea, threshold)})
	}
	return out
}

// postStatus says where a young person's post is.
func postStatus(pg page, p *surveys.LivePost) string {
	switch {
	case p.Status == surveys.PostHidden:
		return pg.L.T("live.post_hidden")
	case p.Status == surveys.PostHeld:
		return pg.L.T("live.post_held")
	case p.Into != "":
		return pg.L.T("live.post_merged")
	}
	return pg.L.T("live.post_shown")
}

// columnOf is the title of an idea's column, or "" on a board without.
func columnOf(act *surveys.Activity, idea surveys.LiveIdea) string {
	if idea.Column >= 0 && idea.Column < len(act.Columns) {
		return act.Columns[idea.Column]
	}
	return ""
}

// likesOf says an idea's likes: "Likes: 12", "Likes: fewer than 5", or ""
// for none.
func likesOf(l *locale, idea surveys.LiveIdea, threshold int) string {
	switch {
	case idea.LikesHidden:
		return l.T("live.likes_few", "n", threshold)
	case idea.Likes > 0:
		return l.T("live.likes", "n", idea.Likes)
	}
	return ""
}
