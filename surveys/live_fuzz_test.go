package surveys_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// FuzzApplyLive reads the fuzz input as a log of events over roomSession,
// of every kind, mostly fitting the session, with few ids, participants
// and targets so that events often meet, and applies it. Whatever the log,
// Apply must not panic, and:
//   - an event CheckEvent refuses changes nothing, and nothing but
//     AppliedOK changes anything;
//   - Apply leaves Seq (the caller's) alone;
//   - two states fed the same log are the same, and a log of every event
//     twice comes to the same state and results as the log once;
//   - a post taken once is never taken again, however late it comes back;
//   - the state keeps its own rules (one activity open, the live one;
//     posts and votes within their limits; a flagged post never shown;
//     merges one level deep), and the results show no count below the
//     threshold and no post the room may not see.
func FuzzApplyLive(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{11, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0})
	for seed := range uint64(6) {
		r := rand.New(rand.NewPCG(seed, 11))
		b := make([]byte, 64+r.IntN(600))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := roomSession()
		log := fuzzLog(data)

		once := surveys.NewRoomState(s.ID)
		once.Seq = 7
		outcomes := make([]surveys.Applied, len(log))
		for i := range log {
			ev := log[i]
			refused := surveys.CheckEvent(s, &ev) != nil
			raw := mustJSON(t, once)
			got := once.Apply(s, &ev)
			outcomes[i] = got
			after := mustJSON(t, once)
			switch {
			case !slices.Contains([]surveys.Applied{surveys.AppliedOK, surveys.AppliedAgain, surveys.AppliedClosed, surveys.AppliedInvalid, surveys.AppliedLimit}, got):
				t.Fatalf("event %d (%+v): Apply = %q", i, ev, got)
			case refused && got == surveys.AppliedOK:
				t.Fatalf("event %d (%+v): CheckEvent refuses it, and Apply took it", i, ev)
			case refused && after != raw:
				t.Fatalf("event %d (%+v): CheckEvent refuses it, and Apply changed the state", i, ev)
			case got != surveys.AppliedOK && after != raw && normalJSON(t, after) != normalJSON(t, raw):
				t.Fatalf("event %d (%+v): Apply = %q, and changed the state", i, ev, got)
			case once.Seq != 7:
				t.Fatalf("event %d (%+v): Apply changed Seq to %d", i, ev, once.Seq)
			case !reflect.DeepEqual(ev, log[i]):
				t.Fatalf("event %d: Apply changed the event: %+v, was %+v", i, ev, log[i])
			}
			checkRoom(t, s, once, i%8 == 7 || i == len(log)-1)
		}

		again := surveys.NewRoomState(s.ID)
		again.Seq = 7
		if out := applyAll(s, again, log); !slices.Equal(out, outcomes) {
			t.Fatalf("the same log, applied again: %v; first %v", out, outcomes)
		}
		if a, b := mustJSON(t, once), mustJSON(t, again); a != b {
			t.Fatalf("the same log came to two states:\n%s\n%s", a, b)
		}

		twice := surveys.NewRoomState(s.ID)
		twice.Seq = 7
		for i := range log {
			first, second := log[i], log[i]
			if got := twice.Apply(s, &first); got != outcomes[i] {
				t.Fatalf("event %d (%+v) in the log of every event twice = %q; in the log once %q", i, log[i], got, outcomes[i])
			}
			before := mustJSON(t, twice)
			if twice.Apply(s, &second); mustJSON(t, twice) != before && stateJSON(t, twice) != normalJSON(t, before) {
				t.Fatalf("event %d (%+v), applied twice, changed the state the second time", i, log[i])
			}
		}
		if a, b := stateJSON(t, once), stateJSON(t, twice); a != b {
			t.Fatalf("every event twice came to\n%s\nand once to\n%s", b, a)
		}
		for _, act := range s.Activities {
			for _, th := range []int{surveys.MinThreshold, surveys.DefaultThreshold} {
				if a, b := once.Results(s, act.ID, th), twice.Results(s, act.ID, th); !reflect.DeepEqual(a, b) {
					t.Fatalf("results of %s: every event twice %+v; once %+v", act.ID, b, a)
				}
			}
		}

		var back surveys.RoomState
		if err := json.Unmarshal([]byte(mustJSON(t, once)), &back); err != nil {
			t.Fatalf("read the snapshot back: %v", err)
		}
		for _, act := range s.Activities {
			if a, b := once.Results(s, act.ID, surveys.MinThreshold), back.Results(s, act.ID, surveys.MinThreshold); !reflect.DeepEqual(a, b) {
				t.Fatalf("results of %s read back from the snapshot %+v; kept %+v", act.ID, b, a)
			}
		}

		for i, ev := range log { // posts and words that come back late
			if outcomes[i] == surveys.AppliedOK && (ev.Kind == surveys.EventPost || ev.Kind == surveys.EventWords) {
				if got := once.Apply(s, &ev); got == surveys.AppliedOK {
					t.Fatalf("event %d (%+v), sent again at the end, was taken twice", i, ev)
				}
			}
		}
	})
}

// fuzzReader hands out the fuzz input a byte at a time, and zeros once it
// runs out.
type fuzzReader struct{ b []byte }

func (r *fuzzReader) next() int {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return int(c)
}

// pick is a number from 0 to n-1.
func (r *fuzzReader) pick(n int) int { return r.next() % n }

// Material for fuzzed events: kinds, texts and words of every sort a
// phone might send, mostly ones that fit.
var (
	fuzzPhoneKinds = []surveys.LiveEventKind{surveys.EventJoin, surveys.EventVote, surveys.EventRate, surveys.EventPost,
		surveys.EventWords, surveys.EventLike, surveys.EventDots}
	fuzzStaffKinds = []surveys.LiveEventKind{surveys.EventOpen, surveys.EventOpen, surveys.EventClose, surveys.EventReveal,
		surveys.EventApprove, surveys.EventHide, surveys.EventMerge, surveys.EventTheme, surveys.EventEnd, "shout"}
	fuzzTexts    = []string{"Hi", "More say", "more say", "Less moving", "a"}
	fuzzBadTexts = []string{"", "  ", "\xff", strings.Repeat("x", surveys.MaxAnswerLength+1)}
	fuzzWords    = []string{"safe", "warm", "home", "loud", "", " ", strings.Repeat("w", surveys.MaxLiveWord+1), "\xfe"}
	fuzzHolds    = []surveys.HoldReason{surveys.HoldPremoderate, surveys.HoldProfanity, surveys.HoldSafeguarding}
	fuzzKeys     = []string{"0", "1", "2", "3", "01", "-1", ""}
	// fuzzNatural is what the room does in an activity of each kind.
	fuzzNatural = map[surveys.ActivityKind][]surveys.LiveEventKind{
		surveys.ActivityPoll: {surveys.EventVote}, surveys.ActivityRating: {surveys.EventRate},
		surveys.ActivityIdeas: {surveys.EventPost, surveys.EventLike}, surveys.ActivityDots: {surveys.EventDots},
		surveys.ActivityWords: {surveys.EventWords}, surveys.ActivityQuestion: {surveys.EventPost},
	}
)

// fuzzLog decodes a log of at most 200 events. It keeps a state of its
// own as it goes, so that the room mostly answers the live activity, as
// a real room does, and the events meet.
func fuzzLog(data []byte) []surveys.LiveEvent {
	s := roomSession()
	st := surveys.NewRoomState(s.ID)
	r := &fuzzReader{b: data}
	var out []surveys.LiveEvent
	for len(r.b) > 0 && len(out) < 200 {
		ev := fuzzEvent(r, s, st)
		out = append(out, ev)
		st.Apply(s, &ev)
	}
	return out
}

// fuzzEvent decodes one event: who sends it (the facilitator, or one of
// six young people), to which activity (mostly the live one), of which
// kind (mostly one that fits), then each field.
func fuzzEvent(r *fuzzReader, s *surveys.LiveSession, st *surveys.RoomState) surveys.LiveEvent {
	ev := surveys.LiveEvent{ID: fuzzID(r)}
	who, where, what := r.next(), r.next(), r.next()
	act := s.Activity(st.Live)
	switch {
	case where%4 != 0 && act != nil:
	case where%16 == 1:
		act = &surveys.Activity{ID: "nope"}
	default:
		act = &s.Activities[where%len(s.Activities)]
	}
	ev.Activity = act.ID
	switch kinds := fuzzNatural[act.Kind]; {
	case who%3 == 0: // the facilitator
		ev.Kind = fuzzStaffKinds[what%len(fuzzStaffKinds)]
		if ev.Kind == surveys.EventEnd && what%16 != 0 { // an end ends all: rarely
			ev.Kind = surveys.EventOpen
		}
	case what%8 != 0 && len(kinds) > 0:
		ev.Kind = kinds[what%len(kinds)]
	default:
		ev.Kind = fuzzPhoneKinds[what%len(fuzzPhoneKinds)]
	}
	if who%3 != 0 || who%32 == 3 { // now and then, a phone sends the facilitator's
		ev.By = person(who % 6)
	}
	if ev.Kind == surveys.EventJoin || ev.Kind == surveys.EventEnd {
		ev.Activity = ""
	}
	// Targets are mostly posts there are: the activity's, or the ideas
	// of the board a dot vote is on.
	var posts []string
	for _, p := range slices.Concat(st.Act(act.ID).Posts, st.Act(act.FromIdeas).Posts) {
		posts = append(posts, p.ID)
	}
	fuzzFields(r, &ev, act.FromIdeas != "", posts)
	return ev
}

// fuzzFields decodes the fields of an event: mostly within range, now and
// then not.
func fuzzFields(r *fuzzReader, ev *surveys.LiveEvent, amongIdeas bool, posts []string) {
	for range [8]int{0, 1, 1, 1, 1, 2, 2, 3}[r.pick(8)] {
		x := r.next()
		if x < 224 {
			ev.Choices = append(ev.Choices, x%3)
		} else {
			ev.Choices = append(ev.Choices, x%8-1)
		}
	}
	if ev.Kind == surveys.EventRate && r.pick(8) != 0 {
		ev.Choices = []int{r.next() % (surveys.Faces + 1), r.next() % (surveys.Faces + 1)}
	}
	if x := r.next(); x < 224 {
		ev.Text = fuzzTexts[x%len(fuzzTexts)]
	} else {
		ev.Text = fuzzBadTexts[x%len(fuzzBadTexts)]
	}
	switch x := r.next(); {
	case x < 128:
	case x < 224:
		ev.Column = 1
	default:
		ev.Column = x%4 - 1
	}
	for range 1 + r.pick(4) {
		ev.Words = append(ev.Words, fuzzWords[r.pick(len(fuzzWords))])
	}
	ev.Target, ev.Into = fuzzTarget(r, posts), fuzzTarget(r, posts)
	for range [4]int{0, 1, 1, 2}[r.pick(4)] + r.pick(2) {
		if ev.Dots == nil {
			ev.Dots = map[string]int{}
		}
		key := fuzzTarget(r, posts)
		if k := r.next(); !amongIdeas && k < 224 {
			key = fmt.Sprint(k % 3)
		} else if !amongIdeas || k >= 248 {
			key = fuzzKeys[k%len(fuzzKeys)]
		}
		if x := r.next(); x < 224 {
			ev.Dots[key] = 1 + x%2
		} else {
			ev.Dots[key] = x%5 - 1
		}
	}
	ev.On = r.next()%4 != 0
	if x := r.next(); x >= 160 {
		ev.Hold = fuzzHolds[x%len(fuzzHolds)]
	}
	for i := range r.pick(5) {
		ev.Themes = append(ev.Themes, fmt.Sprint("t", i))
	}
}

// fuzzID is one of a dozen ids, or now and then one CheckEvent refuses.
func fuzzID(r *fuzzReader) string {
	switch x := r.next(); x {
	case 255:
		return ""
	case 254:
		return "a/b"
	case 253:
		return strings.Repeat("i", surveys.MaxEventID+1)
	default:
		return fmt.Sprint("e", x%24)
	}
}

// fuzzTarget is mostly one of posts, else the id of a post (or of a word,
// "e3/1") that may be there.
func fuzzTarget(r *fuzzReader, posts []string) string {
	x := r.next()
	if x < 192 && len(posts) > 0 {
		return posts[x%len(posts)]
	}
	id := fmt.Sprint("e", x%24)
	if x >= 192 {
		id += fmt.Sprint("/", x%2)
	}
	return id
}

// checkRoom checks the state's own rules, and, if shows, what it shows.
func checkRoom(t *testing.T, s *surveys.LiveSession, st *surveys.RoomState, shows bool) {
	t.Helper()
	if len(st.People) > surveys.MaxRoomPeople {
		t.Fatalf("%d people in the room", len(st.People))
	}
	var open []string
	for id, a := range st.Acts {
		act := s.Activity(id)
		if act == nil {
			t.Fatalf("state of an activity the session has not: %q", id)
		}
		if a.Open {
			open = append(open, id)
		}
		if a.Open && !a.Opened {
			t.Fatalf("%s is open, never opened", id)
		}
		checkAnswers(t, s, act, a)
		checkPosts(t, act, a)
	}
	switch {
	case len(open) > 1:
		t.Fatalf("several activities open: %q", open)
	case len(open) == 1 && open[0] != st.Live:
		t.Fatalf("%s is open, %q live", open[0], st.Live)
	case st.Ended && (st.Live != "" || len(open) > 0):
		t.Fatalf("ended, with %q live and %q open", st.Live, open)
	case !shows:
		return
	}
	for _, th := range []int{1, surveys.MinThreshold, surveys.DefaultThreshold} {
		for _, act := range s.Activities {
			checkResults(t, st, st.Results(s, act.ID, th), th)
		}
		for i := range 6 {
			checkPhone(t, s, st, person(i), th)
		}
	}
}

// checkAnswers checks that every vote, set of faces and dots kept is one
// CheckEvent would take, as kept.
func checkAnswers(t *testing.T, s *surveys.LiveSession, act *surveys.Activity, a *surveys.ActivityState) {
	t.Helper()
	kind := map[surveys.ActivityKind]surveys.LiveEventKind{surveys.ActivityPoll: surveys.EventVote, surveys.ActivityRating: surveys.EventRate}[act.Kind]
	for by, v := range a.Votes {
		if err := surveys.CheckEvent(s, &surveys.LiveEvent{ID: "x", Kind: kind, By: by, Activity: act.ID, Choices: v}); err != nil {
			t.Fatalf("%s's vote in %s, %v: %v", by, act.ID, v, err)
		}
	}
	for by, d := range a.Dots {
		if err := surveys.CheckEvent(s, &surveys.LiveEvent{ID: "x", Kind: surveys.EventDots, By: by, Activity: act.ID, Dots: d}); err != nil {
			t.Fatalf("%s's dots in %s, %v: %v", by, act.ID, d, err)
		}
		for k, n := range d {
			if n <= 0 {
				t.Fatalf("%s's dots in %s keep %d on %q", by, act.ID, n, k)
			}
		}
	}
}

// checkPosts checks an activity's posts: ids once, each author within the
// limit, a flagged post never shown, merges one level deep, no one liking
// their own.
func checkPosts(t *testing.T, act *surveys.Activity, a *surveys.ActivityState) {
	t.Helper()
	ids, by := map[string]bool{}, map[string]int{}
	for _, p := range a.Posts {
		switch {
		case ids[p.ID]:
			t.Fatalf("post %s of %s twice", p.ID, act.ID)
		case p.Hold == surveys.HoldSafeguarding && p.Status == surveys.PostShown:
			t.Fatalf("flagged post %s of %s shown", p.ID, act.ID)
		case p.Status != surveys.PostShown && p.Status != surveys.PostHeld && p.Status != surveys.PostHidden:
			t.Fatalf("post %s of %s is %q", p.ID, act.ID, p.Status)
		case p.Likes[p.By]:
			t.Fatalf("post %s of %s liked by its author", p.ID, act.ID)
		case p.Reviewed && len(p.Themes) > surveys.MaxCodedThemes: // the coder's are the server's, not checked here
			t.Fatalf("post %s of %s has %d themes from the facilitator", p.ID, act.ID, len(p.Themes))
		}
		ids[p.ID] = true
		if by[p.By]++; by[p.By] > surveys.MaxLivePosts {
			t.Fatalf("%s posted %d to %s", p.By, by[p.By], act.ID)
		}
		if p.Into != "" {
			into := a.Post(p.Into)
			if into == nil || into == p || into.Into != "" {
				t.Fatalf("post %s of %s merged into %q: %+v", p.ID, act.ID, p.Into, into)
			}
		}
		if len(p.Likes) > 0 && act.Kind != surveys.ActivityIdeas {
			t.Fatalf("post %s of %s, a %s, has likes", p.ID, act.ID, act.Kind)
		}
	}
	held := a.Held()
	for i, p := range held {
		if p.Status != surveys.PostHeld || (i > 0 && p.Hold == surveys.HoldSafeguarding && held[i-1].Hold != surveys.HoldSafeguarding) {
			t.Fatalf("held posts of %s: %+v", act.ID, held)
		}
	}
}

// visibleTexts are the texts of the posts of an activity the room may see.
func visibleTexts(a *surveys.ActivityState) map[string]string {
	out := map[string]string{}
	for _, p := range a.Posts {
		if p.Visible() {
			out[p.ID] = p.Text
		}
	}
	return out
}

// checkResults checks that no figure below the threshold is shown, and
// that every text shown is of a post the room may see.
func checkResults(t *testing.T, st *surveys.RoomState, r *surveys.LiveResults, th int) {
	t.Helper()
	act := r.Activity
	if r.Few != (r.Answered == 0) || (!r.Few && r.Answered < th) {
		t.Fatalf("%s at %d: answered %d, few %t", act.ID, th, r.Answered, r.Few)
	}
	checkCount := func(c surveys.LiveCount) {
		t.Helper()
		if (c.Hidden && c.N != 0) || (!c.Hidden && c.N < th) {
			t.Fatalf("%s at %d: count %+v", act.ID, th, c)
		}
	}
	for _, c := range r.Options {
		checkCount(c)
	}
	if act.FromIdeas != "" {
		visible := visibleTexts(st.Act(act.FromIdeas))
		for _, c := range r.Options {
			if text, ok := visible[c.Key]; !ok || text != c.Label {
				t.Fatalf("%s at %d: dots on %+v, not an idea the room may see", act.ID, th, c)
			}
		}
	}
	for _, ls := range r.Statements {
		if ls.Few != (ls.Faces == nil) || ls.Few != (ls.Answered == 0) || (!ls.Few && ls.Answered < th) {
			t.Fatalf("%s at %d: statement %+v", act.ID, th, ls)
		}
		for _, c := range ls.Faces {
			checkCount(c)
		}
	}
	checkIdeas(t, act.ID, visibleTexts(st.Act(act.ID)), r.Ideas, th)
	words := map[string]bool{}
	for _, text := range visibleTexts(st.Act(act.ID)) {
		words[text] = true
	}
	for _, w := range r.Words {
		if !words[w.Word] || w.Size < 1 || w.Size > 5 || (w.Hidden != (w.N == 0)) || (w.Hidden && w.Size != 1) || (!w.Hidden && (w.N < th || w.Size < 2)) {
			t.Fatalf("%s at %d: word %+v", act.ID, th, w)
		}
	}
}

// checkIdeas checks ideas shown: each a post the room may see, once, with
// no likes shown below the threshold.
func checkIdeas(t *testing.T, act string, visible map[string]string, ideas []surveys.LiveIdea, th int) {
	t.Helper()
	seen := map[string]bool{}
	for _, idea := range ideas {
		if text, ok := visible[idea.ID]; !ok || text != idea.Text || seen[idea.ID] {
			t.Fatalf("%s at %d: idea %+v is not one the room may see, once", act, th, idea)
		}
		seen[idea.ID] = true
		if idea.Likes < 0 || (idea.Likes > 0 && idea.Likes < th) || (idea.LikesHidden && idea.Likes != 0) || idea.Merged < 0 {
			t.Fatalf("%s at %d: idea %+v", act, th, idea)
		}
	}
}

// checkPhone checks what a phone sees: its own posts, and ideas the room
// may see.
func checkPhone(t *testing.T, s *surveys.LiveSession, st *surveys.RoomState, who string, th int) {
	t.Helper()
	v := st.Phone(s, who, th)
	if v.Ended != st.Ended || (v.Activity == nil) != (st.Ended || st.Live == "") {
		t.Fatalf("%s's phone: %+v, with %q live, ended %t", who, v, st.Live, st.Ended)
	}
	for _, p := range v.Posts {
		if p.By != who {
			t.Fatalf("%s's phone shows %s's post %s", who, p.By, p.ID)
		}
	}
	if v.Activity != nil {
		board := v.Activity.ID
		if v.Activity.FromIdeas != "" {
			board = v.Activity.FromIdeas
		}
		checkIdeas(t, board, visibleTexts(st.Act(board)), v.Ideas, th)
	}
}
