package surveys

import (
	"cmp"
	"slices"
	"strconv"
)

// What a running session shows: results for the projector and the
// console, and an activity as one phone sees it. Every figure is
// suppressed as a survey's are (suppress.go): a room of young people is
// small, and a count from fewer than the threshold is shown as "fewer than
// N" on every screen, the projector's and the facilitator's too. Texts
// (ideas, answers, words) are shown only once moderated, and never the
// ones held or hidden.

// LiveCount is one figure of live results: the votes of an option, the
// dots of an idea, the people who chose a face.
type LiveCount struct {
	Key    string // an option's index or an idea's id
	Label  string
	N      int  // 0 when Hidden
	Hidden bool // fewer than the threshold, or hidden so that it cannot be worked out
}

// LiveStatement is the faces one statement was given.
type LiveStatement struct {
	Text     string
	Answered int
	Few      bool        // fewer than the threshold rated it: no faces shown
	Faces    []LiveCount // Faces of them, saddest first
}

// LiveIdea is a post the room may see, with its likes.
type LiveIdea struct {
	ID          string
	Text        string
	Column      int
	Likes       int // 0 when LikesHidden
	LikesHidden bool
	Merged      int // duplicates merged into it
}

// LiveWord is a word of a word cloud, with its size: 1 for words given by
// fewer people than the threshold, up to 5 for the most given.
type LiveWord struct {
	Word   string
	Size   int
	N      int // 0 when under the threshold
	Hidden bool
}

// LiveResults are an activity's results as they stand.
type LiveResults struct {
	Activity   *Activity
	Answered   int  // young people who answered; 0 when Few
	Few        bool // fewer than the threshold answered
	Options    []LiveCount
	Statements []LiveStatement
	Ideas      []LiveIdea
	Words      []LiveWord
}

// Results works out an activity's results, suppressed at threshold.
func (st *RoomState) Results(s *LiveSession, id string, threshold int) *LiveResults {
	act := s.Activity(id)
	if act == nil {
		return nil
	}
	a := st.Act(id)
	r := &LiveResults{Activity: act}
	switch act.Kind {
	case ActivityPoll:
		r.Answered = len(a.Votes)
		r.Options = pollCounts(act, a, threshold)
	case ActivityRating:
		r.Answered = len(a.Votes)
		r.Statements = ratingCounts(act, a, threshold)
	case ActivityDots:
		r.Answered = len(a.Dots)
		r.Options = st.dotCounts(act, a, threshold)
	case ActivityIdeas, ActivityQuestion:
		r.Answered = authors(a.Posts)
		r.Ideas = a.Ideas(threshold)
	case ActivityWords:
		r.Answered = authors(a.Posts)
		r.Words = wordCloud(a.Posts, threshold)
	}
	if r.Answered < threshold {
		r.Answered, r.Few = 0, true
	}
	return r
}

// authors counts the young people who posted.
func authors(posts []*LivePost) int {
	seen := map[string]bool{}
	for _, p := range posts {
		seen[p.By] = true
	}
	return len(seen)
}

// pollCounts counts a poll's votes. A poll of one choice adds up to the
// people who answered, so its cells are protected against subtraction; a
// poll of several does not.
func pollCounts(act *Activity, a *ActivityState, threshold int) []LiveCount {
	counts := make([]int, len(act.Options))
	for _, choices := range a.Votes {
		for _, c := range choices {
			counts[c]++
		}
	}
	hidden := hideCells(counts, len(a.Votes), threshold, !act.Multiple)
	out := make([]LiveCount, len(counts))
	for i, n := range counts {
		out[i] = liveCount(strconv.Itoa(i), act.Options[i], n, hidden[i])
	}
	return out
}

func liveCount(key, label string, n int, hidden bool) LiveCount {
	if hidden {
		n = 0
	}
	return LiveCount{Key: key, Label: label, N: n, Hidden: hidden}
}

// ratingCounts counts the faces each statement was given.
func ratingCounts(act *Activity, a *ActivityState, threshold int) []LiveStatement {
	out := make([]LiveStatement, len(act.Statements))
	for i, text := range act.Statements {
		counts := make([]int, Faces)
		answered := 0
		for _, faces := range a.Votes {
			if f := faces[i]; f > 0 {
				counts[f-1]++
				answered++
			}
		}
		ls := LiveStatement{Text: text, Answered: answered}
		if answered < threshold {
			ls.Answered, ls.Few = 0, true
		} else {
			hidden := hideCells(counts, answered, threshold, true)
			for f, n := range counts {
				ls.Faces = append(ls.Faces, liveCount(strconv.Itoa(f+1), "", n, hidden[f]))
			}
		}
		out[i] = ls
	}
	return out
}

// dotCounts adds up the dots on each option, or on each idea of the board
// voted on (a merged idea's dots go to the one it was merged into). A
// total is hidden when fewer young people than the threshold put dots on
// it: the dots are theirs.
func (st *RoomState) dotCounts(act *Activity, a *ActivityState, threshold int) []LiveCount {
	type target struct{ key, label string }
	var targets []target
	into := map[string]string{}
	if act.FromIdeas == "" {
		for i, o := range act.Options {
			targets = append(targets, target{strconv.Itoa(i), o})
		}
	} else {
		for _, p := range st.Act(act.FromIdeas).Posts {
			switch {
			case p.Visible():
				targets = append(targets, target{p.ID, p.Text})
			case p.Into != "":
				into[p.ID] = p.Into
			}
		}
	}
	index := map[string]int{}
	for i, t := range targets {
		index[t.key] = i
	}
	dots, people := make([]int, len(targets)), make([]int, len(targets))
	for _, given := range a.Dots {
		gave := map[int]bool{}
		for key, n := range given {
			if k, ok := into[key]; ok {
				key = k
			}
			if i, ok := index[key]; ok {
				dots[i] += n
				gave[i] = true
			}
		}
		for i := range gave {
			people[i]++
		}
	}
	hidden := hideCells(people, len(a.Dots), threshold, false)
	out := make([]LiveCount, len(targets))
	for i, t := range targets {
		out[i] = liveCount(t.key, t.label, dots[i], hidden[i])
	}
	slices.SortStableFunc(out, func(x, y LiveCount) int { return cmp.Compare(y.N, x.N) })
	return out
}

// Ideas lists the posts the room may see, in the order they came, each
// with its likes (those of the duplicates merged into it included, each
// young person once).
func (a *ActivityState) Ideas(threshold int) []LiveIdea {
	likes := map[string]map[string]bool{}
	merged := map[string]int{}
	for _, p := range a.Posts {
		root := p.ID
		if p.Into != "" {
			root = p.Into
			merged[root]++
		}
		if likes[root] == nil {
			likes[root] = map[string]bool{}
		}
		for who := range p.Likes {
			likes[root][who] = true
		}
	}
	var out []LiveIdea
	for _, p := range a.Posts {
		if !p.Visible() {
			continue
		}
		n := len(likes[p.ID])
		idea := LiveIdea{ID: p.ID, Text: p.Text, Column: p.Column, Likes: n, Merged: merged[p.ID]}
		if n < threshold {
			idea.Likes, idea.LikesHidden = 0, n > 0
		}
		out = append(out, idea)
	}
	return out
}

// wordCloud counts the words the room may see, most given first.
func wordCloud(posts []*LivePost, threshold int) []LiveWord {
	people := map[string]map[string]bool{}
	var order []string
	for _, p := range posts {
		if !p.Visible() {
			continue
		}
		if people[p.Text] == nil {
			people[p.Text] = map[string]bool{}
			order = append(order, p.Text)
		}
		people[p.Text][p.By] = true
	}
	most := 0
	for _, w := range order {
		most = max(most, len(people[w]))
	}
	out := make([]LiveWord, 0, len(order))
	for _, w := range order {
		n := len(people[w])
		lw := LiveWord{Word: w, N: n, Size: 1}
		if n < threshold {
			lw.N, lw.Hidden = 0, true
		} else {
			lw.Size = 1 + (4*n+most-1)/most // 2 to 5, the most given largest
			lw.Size = min(lw.Size, 5)
		}
		out = append(out, lw)
	}
	slices.SortStableFunc(out, func(x, y LiveWord) int { return cmp.Compare(y.Size, x.Size) })
	return out
}

// Joined is how many young people have joined, or 0 and false while fewer
// than the threshold have.
func (st *RoomState) Joined(threshold int) (int, bool) {
	if n := len(st.People); n >= threshold {
		return n, true
	}
	return 0, false
}

// Held lists the posts of an activity waiting for the facilitator, those
// the safeguarding detector flagged first.
func (a *ActivityState) Held() []*LivePost {
	var out []*LivePost
	for _, p := range a.Posts {
		if p.Status == PostHeld {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(x, y *LivePost) int {
		return cmp.Compare(holdRank(x.Hold), holdRank(y.Hold))
	})
	return out
}

func holdRank(h HoldReason) int {
	if h == HoldSafeguarding {
		return 0
	}
	return 1
}

// PhoneView is the live activity as one young person's phone shows it:
// what the activity asks, what they gave already, and the ideas they may
// like or put dots on.
type PhoneView struct {
	Activity *Activity // nil while no activity is live
	Open     bool
	Ended    bool
	Choices  []int          // their vote, or faces
	Posts    []*LivePost    // what they posted to it, with its status
	Dots     map[string]int // their dots
	Likes    map[string]bool
	Ideas    []LiveIdea // ideas to like, or to put dots on
}

// Phone returns the live activity as the participant with the key sees it.
func (st *RoomState) Phone(s *LiveSession, key string, threshold int) *PhoneView {
	v := &PhoneView{Ended: st.Ended, Likes: map[string]bool{}}
	act := s.Activity(st.Live)
	if act == nil || st.Ended {
		return v
	}
	a := st.Act(act.ID)
	v.Activity, v.Open = act, a.Open
	v.Choices = a.Votes[key]
	v.Dots = a.Dots[key]
	for _, p := range a.Posts {
		if p.By == key {
			v.Posts = append(v.Posts, p)
		}
		if p.Likes[key] {
			v.Likes[p.ID] = true
		}
	}
	switch {
	case act.Kind == ActivityIdeas:
		v.Ideas = a.Ideas(threshold)
	case act.Kind == ActivityDots && act.FromIdeas != "":
		v.Ideas = st.Act(act.FromIdeas).Ideas(threshold)
	}
	return v
}
