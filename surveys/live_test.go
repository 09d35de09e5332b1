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

// roomSession is the running session the tests of live.go and liveview.go
// use: an activity of every kind, with the variants events depend on (a
// poll of one choice and one of several, dots among options and among an
// earlier board's ideas).
func roomSession() *surveys.LiveSession {
	return &surveys.LiveSession{ID: "s1", Title: "MADE North, November", Date: "2026-11-23", Status: surveys.LiveRunning,
		Activities: []surveys.Activity{
			{ID: "poll", Kind: surveys.ActivityPoll, Prompt: "Where should we meet?", Options: []string{"Library", "Youth centre"}},
			{ID: "multi", Kind: surveys.ActivityPoll, Prompt: "What should we do?", Options: []string{"Games", "Food", "Trips"}, Multiple: true},
			{ID: "rate", Kind: surveys.ActivityRating, Prompt: "How well do we keep our promises?",
				Statements: []string{"We help you have a say.", "You have a worker you can trust."}},
			{ID: "ideas", Kind: surveys.ActivityIdeas, Prompt: "Tell us about being in care", Columns: []string{"What's good", "What should change"}},
			{ID: "pick", Kind: surveys.ActivityDots, Prompt: "Which ideas matter most?", Dots: 3, FromIdeas: "ideas"},
			{ID: "dots", Kind: surveys.ActivityDots, Prompt: "What should we spend on?", Dots: 5, Options: []string{"Trips", "Food", "Laptops"}},
			{ID: "words", Kind: surveys.ActivityWords, Prompt: "Three words for your home", Words: 3},
			{ID: "q", Kind: surveys.ActivityQuestion, Prompt: "What would make reviews better?"},
		}}
}

// Events, tersely. Phone events carry the participant key in by; the
// facilitator's carry none.

func evJoin(by string) surveys.LiveEvent {
	return surveys.LiveEvent{ID: "join", Kind: surveys.EventJoin, By: by}
}

func evVote(id, by, act string, choices ...int) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: surveys.EventVote, By: by, Activity: act, Choices: choices}
}

func evRate(id, by string, faces ...int) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: surveys.EventRate, By: by, Activity: "rate", Choices: faces}
}

func evPost(id, by, act, text string) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: surveys.EventPost, By: by, Activity: act, Text: text}
}

// evHeld is a post held for the facilitator, for the reason given.
func evHeld(id, by, act, text string, hold surveys.HoldReason) surveys.LiveEvent {
	ev := evPost(id, by, act, text)
	ev.Hold = hold
	return ev
}

func evWords(id, by string, words ...string) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: surveys.EventWords, By: by, Activity: "words", Words: words}
}

func evLike(id, by, target string, on bool) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: surveys.EventLike, By: by, Activity: "ideas", Target: target, On: on}
}

func evDots(id, by, act string, dots map[string]int) surveys.LiveEvent {
	return surveys.LiveEvent{ID: id, Kind: surveys.EventDots, By: by, Activity: act, Dots: dots}
}

// evStaff is one of the facilitator's events on an activity.
func evStaff(kind surveys.LiveEventKind, act string) surveys.LiveEvent {
	return surveys.LiveEvent{ID: string(kind) + "-" + act, Kind: kind, Activity: act}
}

// evModerate is the facilitator's decision on the post target.
func evModerate(kind surveys.LiveEventKind, act, target string) surveys.LiveEvent {
	id := string(kind) + "-" + strings.ReplaceAll(target, "/", "-") // an event's id has no slash
	return surveys.LiveEvent{ID: id, Kind: kind, Activity: act, Target: target}
}

func evMerge(act, target, into string) surveys.LiveEvent {
	id := "merge-" + strings.ReplaceAll(target, "/", "-")
	return surveys.LiveEvent{ID: id, Kind: surveys.EventMerge, Activity: act, Target: target, Into: into}
}

func evReveal(act string, on bool) surveys.LiveEvent {
	return surveys.LiveEvent{ID: fmt.Sprintf("reveal-%s-%t", act, on), Kind: surveys.EventReveal, Activity: act, On: on}
}

func evEnd() surveys.LiveEvent { return surveys.LiveEvent{ID: "end", Kind: surveys.EventEnd} }

// person is the participant key of the nth young person of a test.
func person(n int) string { return fmt.Sprintf("p%03d", n) }

// mustApply applies events that must each be taken: the scene a test
// starts from.
func mustApply(t testing.TB, s *surveys.LiveSession, st *surveys.RoomState, events ...surveys.LiveEvent) {
	t.Helper()
	for i := range events {
		if got := st.Apply(s, &events[i]); got != surveys.AppliedOK {
			t.Fatalf("Apply(%s %+v) = %q; want %q", events[i].String(), events[i], got, surveys.AppliedOK)
		}
	}
}

// stateJSON is the state as its snapshot would store it, leaving out the
// empty state of an activity nothing happened to: Apply may make one when
// it looks at an activity, and it means the same as none.
func stateJSON(t testing.TB, st *surveys.RoomState) string {
	t.Helper()
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatalf("marshal state: %v", err)
	}
	return normalJSON(t, string(raw))
}

// normalJSON is stateJSON of a state as JSON.
func normalJSON(t testing.TB, raw string) string {
	t.Helper()
	var clean surveys.RoomState
	if err := json.Unmarshal([]byte(raw), &clean); err != nil {
		t.Fatalf("unmarshal state: %v", err)
	}
	for id, a := range clean.Acts {
		if reflect.DeepEqual(*a, surveys.ActivityState{}) {
			delete(clean.Acts, id)
		}
	}
	out, err := json.Marshal(&clean)
	if err != nil {
		t.Fatalf("marshal state: %v", err)
	}
	return string(out)
}

func TestRoomSessionIsValid(t *testing.T) {
	t.Parallel()
	if err := roomSession().Validate(nil); err != nil {
		t.Fatalf("Validate: %v %v", err, surveys.ErrorFields(err))
	}
}

// applyCase is one event applied to a state made by given.
type applyCase struct {
	name  string
	given []surveys.LiveEvent // each must be taken (AppliedOK)
	event surveys.LiveEvent
	want  surveys.Applied
	check func(t *testing.T, st *surveys.RoomState)
}

// runApplyCases runs cases. Whatever is not AppliedOK must leave the state
// as it was.
func runApplyCases(t *testing.T, cases []applyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := roomSession()
			st := surveys.NewRoomState(s.ID)
			mustApply(t, s, st, tc.given...)
			before := stateJSON(t, st)
			ev := tc.event
			if got := st.Apply(s, &ev); got != tc.want {
				t.Fatalf("Apply = %q; want %q", got, tc.want)
			}
			if after := stateJSON(t, st); tc.want != surveys.AppliedOK && after != before {
				t.Errorf("Apply %q changed the state:\n%s\nwas:\n%s", tc.want, after, before)
			}
			if tc.check != nil {
				tc.check(t, st)
			}
		})
	}
}

// evList is a list of events.
func evList(evs ...surveys.LiveEvent) []surveys.LiveEvent { return evs }

// fullRoom is MaxRoomPeople young people joining.
func fullRoom() []surveys.LiveEvent {
	out := make([]surveys.LiveEvent, surveys.MaxRoomPeople)
	for i := range out {
		out[i] = evJoin(person(i))
	}
	return out
}

func wantPeople(n int) func(*testing.T, *surveys.RoomState) {
	return func(t *testing.T, st *surveys.RoomState) {
		t.Helper()
		if len(st.People) != n {
			t.Errorf("%d people; want %d", len(st.People), n)
		}
	}
}

func TestApplyJoin(t *testing.T) {
	t.Parallel()
	runApplyCases(t, []applyCase{
		{name: "a young person joins", event: evJoin("amy"), want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
			if !st.People["amy"] || len(st.People) != 1 {
				t.Errorf("people = %v; want amy", st.People)
			}
		}},
		{name: "joining again counts once", given: evList(evJoin("amy")), event: evJoin("amy"), want: surveys.AppliedAgain, check: wantPeople(1)},
		{name: "joining before anything is live", given: evList(evStaff(surveys.EventOpen, "poll"), evStaff(surveys.EventClose, "poll")),
			event: evJoin("amy"), want: surveys.AppliedOK, check: wantPeople(1)},
		{name: "a full room takes no one more", given: fullRoom(), event: evJoin("late"), want: surveys.AppliedClosed,
			check: wantPeople(surveys.MaxRoomPeople)},
		{name: "one of a full room joins again", given: fullRoom(), event: evJoin(person(7)), want: surveys.AppliedAgain,
			check: wantPeople(surveys.MaxRoomPeople)},
		{name: "an answer from a phone a full room turned away", given: slices.Concat(fullRoom(), evList(evStaff(surveys.EventOpen, "poll"))),
			event: evVote("v", "late", "poll", 0), want: surveys.AppliedClosed, check: wantPeople(surveys.MaxRoomPeople)},
		{name: "a phone whose join was lost is counted by its answer", given: evList(evStaff(surveys.EventOpen, "poll")),
			event: evVote("v", "amy", "poll", 0), want: surveys.AppliedOK, check: wantPeople(1)},
	})
}

// wantVote checks the vote or faces by has in act.
func wantVote(act, by string, want ...int) func(*testing.T, *surveys.RoomState) {
	return func(t *testing.T, st *surveys.RoomState) {
		t.Helper()
		if got := st.Act(act).Votes[by]; !slices.Equal(got, want) {
			t.Errorf("%s's vote in %s = %v; want %v", by, act, got, want)
		}
	}
}

func TestApplyVote(t *testing.T) {
	t.Parallel()
	openPoll, openMulti, openRate := evStaff(surveys.EventOpen, "poll"), evStaff(surveys.EventOpen, "multi"), evStaff(surveys.EventOpen, "rate")
	runApplyCases(t, []applyCase{
		{name: "one choice", given: evList(openPoll), event: evVote("v1", "amy", "poll", 1), want: surveys.AppliedOK, check: wantVote("poll", "amy", 1)},
		{name: "a vote replaced", given: evList(openPoll, evVote("v1", "amy", "poll", 1)), event: evVote("v2", "amy", "poll", 0),
			want: surveys.AppliedOK, check: wantVote("poll", "amy", 0)},
		{name: "the same vote again, sent again", given: evList(openPoll, evVote("v1", "amy", "poll", 1)), event: evVote("v1", "amy", "poll", 1),
			want: surveys.AppliedAgain, check: wantVote("poll", "amy", 1)},
		{name: "the same vote again, chosen again", given: evList(openPoll, evVote("v1", "amy", "poll", 1)), event: evVote("v2", "amy", "poll", 1),
			want: surveys.AppliedAgain, check: wantVote("poll", "amy", 1)},
		{name: "two people, two votes", given: evList(openPoll, evVote("v1", "amy", "poll", 1)), event: evVote("v1", "ben", "poll", 1),
			want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
				if n := len(st.Act("poll").Votes); n != 2 {
					t.Errorf("%d votes; want 2", n)
				}
			}},
		{name: "several choices where several may be chosen", given: evList(openMulti), event: evVote("v1", "amy", "multi", 0, 2),
			want: surveys.AppliedOK, check: wantVote("multi", "amy", 0, 2)},
		{name: "several choices replaced by one", given: evList(openMulti, evVote("v1", "amy", "multi", 0, 2)), event: evVote("v2", "amy", "multi", 1),
			want: surveys.AppliedOK, check: wantVote("multi", "amy", 1)},
		{name: "several choices where one may be chosen", given: evList(openPoll), event: evVote("v1", "amy", "poll", 0, 1), want: surveys.AppliedInvalid},
		{name: "a choice out of range", given: evList(openPoll), event: evVote("v1", "amy", "poll", 2), want: surveys.AppliedInvalid},
		{name: "a poll never opened", event: evVote("v1", "amy", "poll", 0), want: surveys.AppliedClosed},
		{name: "a poll closed", given: evList(openPoll, evVote("v1", "amy", "poll", 0), evStaff(surveys.EventClose, "poll")),
			event: evVote("v2", "amy", "poll", 1), want: surveys.AppliedClosed, check: wantVote("poll", "amy", 0)},
		{name: "a poll no longer live", given: evList(openPoll, openMulti), event: evVote("v1", "amy", "poll", 0), want: surveys.AppliedClosed},
		{name: "a poll opened again", given: evList(openPoll, openMulti, openPoll), event: evVote("v1", "amy", "poll", 0), want: surveys.AppliedOK},
		{name: "a vote on a rating", given: evList(openRate), event: evVote("v1", "amy", "rate", 0), want: surveys.AppliedInvalid},
		{name: "a vote on an activity the session has not", given: evList(openPoll), event: evVote("v1", "amy", "nope", 0), want: surveys.AppliedInvalid},
		{name: "faces on a poll", given: evList(openPoll), event: surveys.LiveEvent{ID: "r", Kind: surveys.EventRate, By: "amy", Activity: "poll", Choices: []int{1}},
			want: surveys.AppliedInvalid},
		{name: "faces for each statement", given: evList(openRate), event: evRate("r1", "amy", 5, 2), want: surveys.AppliedOK, check: wantVote("rate", "amy", 5, 2)},
		{name: "a statement left unrated", given: evList(openRate), event: evRate("r1", "amy", 0, 1), want: surveys.AppliedOK, check: wantVote("rate", "amy", 0, 1)},
		{name: "faces replaced", given: evList(openRate, evRate("r1", "amy", 5, 2)), event: evRate("r2", "amy", 4, 0),
			want: surveys.AppliedOK, check: wantVote("rate", "amy", 4, 0)},
		{name: "the same faces again", given: evList(openRate, evRate("r1", "amy", 5, 2)), event: evRate("r1", "amy", 5, 2),
			want: surveys.AppliedAgain, check: wantVote("rate", "amy", 5, 2)},
		{name: "no face at all", given: evList(openRate), event: evRate("r1", "amy", 0, 0), want: surveys.AppliedInvalid},
		{name: "a face for one statement of two", given: evList(openRate), event: evRate("r1", "amy", 3), want: surveys.AppliedInvalid},
		{name: "a rating closed", given: evList(openRate, evStaff(surveys.EventClose, "rate")), event: evRate("r1", "amy", 3, 3), want: surveys.AppliedClosed},
	})
}

// wantPosts checks the posts of act: their ids, in order.
func wantPosts(act string, ids ...string) func(*testing.T, *surveys.RoomState) {
	return func(t *testing.T, st *surveys.RoomState) {
		t.Helper()
		var got []string
		for _, p := range st.Act(act).Posts {
			got = append(got, p.ID)
		}
		if !slices.Equal(got, ids) {
			t.Errorf("posts of %s = %q; want %q", act, got, ids)
		}
	}
}

// manyPosts are n ideas by by, as far as the limit allows.
func manyPosts(by, act string, n int) []surveys.LiveEvent {
	out := make([]surveys.LiveEvent, n)
	for i := range out {
		out[i] = evPost(fmt.Sprintf("%s-%d", by, i), by, act, fmt.Sprintf("idea %d", i))
	}
	return out
}

// manyWords are n words by by, given one event of one word at a time.
func manyWords(by string, n int) []surveys.LiveEvent {
	out := make([]surveys.LiveEvent, n)
	for i := range out {
		out[i] = evWords(fmt.Sprintf("%s-w%d", by, i), by, fmt.Sprintf("word%d", i))
	}
	return out
}

func TestApplyPost(t *testing.T) {
	t.Parallel()
	openIdeas, openQ, openWords := evStaff(surveys.EventOpen, "ideas"), evStaff(surveys.EventOpen, "q"), evStaff(surveys.EventOpen, "words")
	idea := evPost("i1", "amy", "ideas", "More say in reviews")
	idea.Column, idea.Themes = 1, []string{"voice"}
	runApplyCases(t, []applyCase{
		{name: "an idea in a column", given: evList(openIdeas), event: idea, want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
			want := &surveys.LivePost{ID: "i1", By: "amy", Text: "More say in reviews", Column: 1, Status: surveys.PostShown, Themes: []string{"voice"}}
			if got := st.Act("ideas").Post("i1"); !reflect.DeepEqual(got, want) {
				t.Errorf("post = %+v; want %+v", got, want)
			}
			if !st.People["amy"] {
				t.Error("the author is not counted as in the room")
			}
		}},
		{name: "the same idea sent again", given: evList(openIdeas, idea), event: idea, want: surveys.AppliedAgain, check: wantPosts("ideas", "i1")},
		{name: "the same idea sent again once the board closed", given: evList(openIdeas, idea, evStaff(surveys.EventClose, "ideas")),
			event: idea, want: surveys.AppliedAgain, check: wantPosts("ideas", "i1")},
		{name: "the same idea sent again with other words", given: evList(openIdeas, idea), event: evPost("i1", "amy", "ideas", "Other words"),
			want: surveys.AppliedAgain, check: wantPosts("ideas", "i1")},
		{name: "a second idea", given: evList(openIdeas, idea), event: evPost("i2", "amy", "ideas", "Less moving"),
			want: surveys.AppliedOK, check: wantPosts("ideas", "i1", "i2")},
		{name: "an idea held for its words", given: evList(openIdeas), event: evHeld("i1", "amy", "ideas", "rude", surveys.HoldProfanity),
			want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
				p := st.Act("ideas").Post("i1")
				if p.Status != surveys.PostHeld || p.Hold != surveys.HoldProfanity || p.Visible() {
					t.Errorf("post = %+v; want held for profanity", p)
				}
			}},
		{name: "an answer to an open question", given: evList(openQ), event: evPost("a1", "amy", "q", "Ask me first"), want: surveys.AppliedOK,
			check: wantPosts("q", "a1")},
		{name: "a column on an open question", given: evList(openQ),
			event: surveys.LiveEvent{ID: "a1", Kind: surveys.EventPost, By: "amy", Activity: "q", Text: "Hi", Column: 1}, want: surveys.AppliedInvalid},
		{name: "a column the board has not", given: evList(openIdeas),
			event: surveys.LiveEvent{ID: "a1", Kind: surveys.EventPost, By: "amy", Activity: "ideas", Text: "Hi", Column: 2}, want: surveys.AppliedInvalid},
		{name: "a post to a board not open", given: evList(openQ), event: evPost("i1", "amy", "ideas", "Hi"), want: surveys.AppliedClosed},
		{name: "a post to a poll", given: evList(evStaff(surveys.EventOpen, "poll")), event: evPost("i1", "amy", "poll", "Hi"), want: surveys.AppliedInvalid},
		{name: "a post to a word cloud", given: evList(openWords), event: evPost("i1", "amy", "words", "Hi"), want: surveys.AppliedInvalid},
		{name: "the last post one person may make", given: slices.Concat(evList(openIdeas), manyPosts("amy", "ideas", surveys.MaxLivePosts-1)),
			event: evPost("last", "amy", "ideas", "last"), want: surveys.AppliedOK},
		{name: "one post more than one person may make", given: slices.Concat(evList(openIdeas), manyPosts("amy", "ideas", surveys.MaxLivePosts)),
			event: evPost("more", "amy", "ideas", "more"), want: surveys.AppliedLimit},
		{name: "another person's post once one has made them all", given: slices.Concat(evList(openIdeas), manyPosts("amy", "ideas", surveys.MaxLivePosts)),
			event: evPost("ben", "ben", "ideas", "mine"), want: surveys.AppliedOK},
		{name: "words", given: evList(openWords), event: evWords("w1", "amy", "safe", "warm"), want: surveys.AppliedOK,
			check: func(t *testing.T, st *surveys.RoomState) {
				wantPosts("words", "w1/0", "w1/1")(t, st)
				if p := st.Act("words").Post("w1/1"); p.Text != "warm" || p.By != "amy" || !p.Visible() {
					t.Errorf("second word = %+v", p)
				}
			}},
		{name: "words sent again", given: evList(openWords, evWords("w1", "amy", "safe", "warm")), event: evWords("w1", "amy", "safe", "warm"),
			want: surveys.AppliedAgain, check: wantPosts("words", "w1/0", "w1/1")},
		{name: "more words from the same person", given: evList(openWords, evWords("w1", "amy", "safe")), event: evWords("w2", "amy", "warm"),
			want: surveys.AppliedOK, check: wantPosts("words", "w1/0", "w2/0")},
		{name: "words held", given: evList(openWords), event: surveys.LiveEvent{ID: "w1", Kind: surveys.EventWords, By: "amy", Activity: "words",
			Words: []string{"rude"}, Hold: surveys.HoldProfanity}, want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
			if p := st.Act("words").Post("w1/0"); p.Status != surveys.PostHeld {
				t.Errorf("word = %+v; want held", p)
			}
		}},
		{name: "more words than the cloud takes", given: evList(openWords), event: evWords("w1", "amy", "a", "b", "c", "d"), want: surveys.AppliedInvalid},
		{name: "words to a cloud not open", event: evWords("w1", "amy", "safe"), want: surveys.AppliedClosed},
		{name: "words on a board", given: evList(openIdeas),
			event: surveys.LiveEvent{ID: "w1", Kind: surveys.EventWords, By: "amy", Activity: "ideas", Words: []string{"safe"}}, want: surveys.AppliedInvalid},
		{name: "words up to the limit of posts", given: slices.Concat(evList(openWords), manyWords("amy", surveys.MaxLivePosts-1)),
			event: evWords("w", "amy", "x", "y", "z"), want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
				if st.Act("words").Post("w/0") == nil || st.Act("words").Post("w/1") != nil || len(st.Act("words").Posts) != surveys.MaxLivePosts {
					t.Errorf("want only the first word taken, up to %d", surveys.MaxLivePosts)
				}
			}},
		{name: "words past the limit of posts", given: slices.Concat(evList(openWords), manyWords("amy", surveys.MaxLivePosts)),
			event: evWords("w", "amy", "x"), want: surveys.AppliedLimit},
	})
}

// boardScene is an idea board where ben posted an idea and cat one held
// for premoderation, one for safeguarding, one hidden and one merged into
// ben's.
func boardScene() []surveys.LiveEvent {
	return evList(
		evStaff(surveys.EventOpen, "ideas"),
		evPost("ben1", "ben", "ideas", "More say in reviews"),
		evPost("amy1", "amy", "ideas", "Less moving"),
		evHeld("cat1", "cat", "ideas", "Waiting", surveys.HoldPremoderate),
		evHeld("cat2", "cat", "ideas", "Worried", surveys.HoldSafeguarding),
		evPost("cat3", "cat", "ideas", "Hidden"),
		evModerate(surveys.EventHide, "ideas", "cat3"),
		evPost("cat4", "cat", "ideas", "A say in reviews"),
		evMerge("ideas", "cat4", "ben1"),
	)
}

// wantLikes checks who likes the post id of the board.
func wantLikes(id string, who ...string) func(*testing.T, *surveys.RoomState) {
	return func(t *testing.T, st *surveys.RoomState) {
		t.Helper()
		var got []string
		for k, on := range st.Act("ideas").Post(id).Likes {
			if on {
				got = append(got, k)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, who) {
			t.Errorf("likes of %s = %q; want %q", id, got, who)
		}
	}
}

func TestApplyLike(t *testing.T) {
	t.Parallel()
	scene := boardScene()
	liked := slices.Concat(scene, evList(evLike("l1", "amy", "ben1", true)))
	runApplyCases(t, []applyCase{
		{name: "a like", given: scene, event: evLike("l1", "amy", "ben1", true), want: surveys.AppliedOK, check: wantLikes("ben1", "amy")},
		{name: "a like sent again", given: liked, event: evLike("l1", "amy", "ben1", true), want: surveys.AppliedAgain, check: wantLikes("ben1", "amy")},
		{name: "a like given again", given: liked, event: evLike("l2", "amy", "ben1", true), want: surveys.AppliedAgain, check: wantLikes("ben1", "amy")},
		{name: "another's like", given: liked, event: evLike("l1", "cat", "ben1", true), want: surveys.AppliedOK, check: wantLikes("ben1", "amy", "cat")},
		{name: "a like taken back", given: liked, event: evLike("l2", "amy", "ben1", false), want: surveys.AppliedOK, check: wantLikes("ben1")},
		{name: "a like taken back twice", given: slices.Concat(liked, evList(evLike("l2", "amy", "ben1", false))), event: evLike("l2", "amy", "ben1", false),
			want: surveys.AppliedAgain, check: wantLikes("ben1")},
		{name: "taking back a like never given", given: scene, event: evLike("l1", "amy", "ben1", false), want: surveys.AppliedAgain},
		{name: "one's own idea", given: scene, event: evLike("l1", "ben", "ben1", true), want: surveys.AppliedInvalid},
		{name: "an idea held", given: scene, event: evLike("l1", "amy", "cat1", true), want: surveys.AppliedInvalid},
		{name: "an idea flagged", given: scene, event: evLike("l1", "amy", "cat2", true), want: surveys.AppliedInvalid},
		{name: "an idea hidden", given: scene, event: evLike("l1", "amy", "cat3", true), want: surveys.AppliedInvalid},
		{name: "an idea merged", given: scene, event: evLike("l1", "amy", "cat4", true), want: surveys.AppliedInvalid},
		{name: "an idea there is not", given: scene, event: evLike("l1", "amy", "nope", true), want: surveys.AppliedInvalid},
		{name: "a like from a newcomer for an idea there is not", given: scene, event: evLike("l1", "dan", "nope", true),
			want: surveys.AppliedInvalid, check: func(t *testing.T, st *surveys.RoomState) {
				if st.People["dan"] {
					t.Error("an event that was not taken counted its sender as in the room")
				}
			}},
		{name: "a like once the board closed", given: slices.Concat(scene, evList(evStaff(surveys.EventClose, "ideas"))),
			event: evLike("l1", "amy", "ben1", true), want: surveys.AppliedClosed},
		{name: "a like of no idea", given: scene, event: evLike("l1", "amy", "", true), want: surveys.AppliedInvalid},
		{name: "a like on an open question", given: evList(evStaff(surveys.EventOpen, "q"), evPost("a1", "ben", "q", "Hi")),
			event: surveys.LiveEvent{ID: "l1", Kind: surveys.EventLike, By: "amy", Activity: "q", Target: "a1", On: true}, want: surveys.AppliedInvalid},
	})
}

// wantDots checks the dots by gave in act.
func wantDots(act, by string, want map[string]int) func(*testing.T, *surveys.RoomState) {
	return func(t *testing.T, st *surveys.RoomState) {
		t.Helper()
		if got := st.Act(act).Dots[by]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s's dots in %s = %v; want %v", by, act, got, want)
		}
	}
}

func TestApplyDots(t *testing.T) {
	t.Parallel()
	openDots, openPick := evStaff(surveys.EventOpen, "dots"), evStaff(surveys.EventOpen, "pick")
	given := evList(openDots, evDots("d1", "amy", "dots", map[string]int{"0": 2, "2": 3}))
	board := slices.Concat(boardScene(), evList(openPick))
	runApplyCases(t, []applyCase{
		{name: "dots among options", given: evList(openDots), event: evDots("d1", "amy", "dots", map[string]int{"0": 2, "2": 3}),
			want: surveys.AppliedOK, check: wantDots("dots", "amy", map[string]int{"0": 2, "2": 3})},
		{name: "fewer dots than one has", given: evList(openDots), event: evDots("d1", "amy", "dots", map[string]int{"1": 1}),
			want: surveys.AppliedOK, check: wantDots("dots", "amy", map[string]int{"1": 1})},
		{name: "dots replaced", given: given, event: evDots("d2", "amy", "dots", map[string]int{"1": 5}),
			want: surveys.AppliedOK, check: wantDots("dots", "amy", map[string]int{"1": 5})},
		{name: "the same dots again", given: given, event: evDots("d1", "amy", "dots", map[string]int{"0": 2, "2": 3}),
			want: surveys.AppliedAgain, check: wantDots("dots", "amy", map[string]int{"0": 2, "2": 3})},
		{name: "the same dots again, with none on an option", given: given, event: evDots("d2", "amy", "dots", map[string]int{"0": 2, "1": 0, "2": 3}),
			want: surveys.AppliedAgain, check: wantDots("dots", "amy", map[string]int{"0": 2, "2": 3})},
		{name: "none on an option is not kept", given: evList(openDots), event: evDots("d1", "amy", "dots", map[string]int{"0": 0, "1": 4}),
			want: surveys.AppliedOK, check: wantDots("dots", "amy", map[string]int{"1": 4})},
		{name: "more dots than one has", given: given, event: evDots("d2", "amy", "dots", map[string]int{"0": 3, "1": 3}),
			want: surveys.AppliedInvalid, check: wantDots("dots", "amy", map[string]int{"0": 2, "2": 3})},
		{name: "an option there is not", given: evList(openDots), event: evDots("d1", "amy", "dots", map[string]int{"3": 1}), want: surveys.AppliedInvalid},
		{name: "a dot vote not open", event: evDots("d1", "amy", "dots", map[string]int{"0": 1}), want: surveys.AppliedClosed},
		{name: "dots on a poll", given: evList(evStaff(surveys.EventOpen, "poll")), event: evDots("d1", "amy", "poll", map[string]int{"0": 1}),
			want: surveys.AppliedInvalid},
		{name: "dots on an earlier board's ideas", given: board, event: evDots("d1", "amy", "pick", map[string]int{"ben1": 2, "amy1": 1}),
			want: surveys.AppliedOK, check: wantDots("pick", "amy", map[string]int{"ben1": 2, "amy1": 1})},
		{name: "dots on one's own idea", given: board, event: evDots("d1", "amy", "pick", map[string]int{"amy1": 3}),
			want: surveys.AppliedOK, check: wantDots("pick", "amy", map[string]int{"amy1": 3})},
		{name: "dots on an idea held", given: board, event: evDots("d1", "amy", "pick", map[string]int{"cat1": 1}), want: surveys.AppliedInvalid},
		{name: "dots on an idea flagged", given: board, event: evDots("d1", "amy", "pick", map[string]int{"cat2": 1}), want: surveys.AppliedInvalid},
		{name: "dots on an idea hidden", given: board, event: evDots("d1", "amy", "pick", map[string]int{"ben1": 1, "cat3": 1}), want: surveys.AppliedInvalid},
		{name: "dots on an idea merged", given: board, event: evDots("d1", "amy", "pick", map[string]int{"cat4": 1}), want: surveys.AppliedInvalid},
		{name: "dots on an idea there is not", given: board, event: evDots("d1", "amy", "pick", map[string]int{"nope": 1}), want: surveys.AppliedInvalid},
		{name: "dots on an option of a vote among ideas", given: board, event: evDots("d1", "amy", "pick", map[string]int{"0": 1}), want: surveys.AppliedInvalid},
		{name: "more dots than a vote among ideas gives", given: board, event: evDots("d1", "amy", "pick", map[string]int{"ben1": 2, "amy1": 2}),
			want: surveys.AppliedInvalid},
	})
}

// wantPost checks a post of act.
func wantPost(act, id string, status surveys.PostStatus, into string) func(*testing.T, *surveys.RoomState) {
	return func(t *testing.T, st *surveys.RoomState) {
		t.Helper()
		p := st.Act(act).Post(id)
		if p == nil || p.Status != status || p.Into != into {
			t.Errorf("post %s = %+v; want status %q, into %q", id, p, status, into)
		}
	}
}

// wantLive checks which activity is live, and which are open.
func wantLive(live string, open ...string) func(*testing.T, *surveys.RoomState) {
	return func(t *testing.T, st *surveys.RoomState) {
		t.Helper()
		var got []string
		for id, a := range st.Acts {
			if a.Open {
				got = append(got, id)
			}
		}
		slices.Sort(got)
		if st.Live != live || !slices.Equal(got, open) {
			t.Errorf("live %q, open %q; want live %q, open %q", st.Live, got, live, open)
		}
	}
}

func TestApplyStaff(t *testing.T) {
	t.Parallel()
	openPoll, openQ := evStaff(surveys.EventOpen, "poll"), evStaff(surveys.EventOpen, "q")
	scene := boardScene()
	themes := surveys.LiveEvent{ID: "th", Kind: surveys.EventTheme, Activity: "ideas", Target: "amy1", Themes: []string{"home", "moves"}}
	runApplyCases(t, []applyCase{
		{name: "open", event: openPoll, want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
			wantLive("poll", "poll")(t, st)
			if a := st.Act("poll"); !a.Opened || a.Revealed {
				t.Errorf("poll = %+v; want opened, not revealed", a)
			}
		}},
		{name: "open again", given: evList(openPoll), event: openPoll, want: surveys.AppliedAgain, check: wantLive("poll", "poll")},
		{name: "open another closes the first", given: evList(openPoll), event: openQ, want: surveys.AppliedOK, check: wantLive("q", "q")},
		{name: "open again once closed", given: evList(openPoll, evStaff(surveys.EventClose, "poll")), event: openPoll, want: surveys.AppliedOK,
			check: wantLive("poll", "poll")},
		{name: "close", given: evList(openPoll), event: evStaff(surveys.EventClose, "poll"), want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
			wantLive("poll")(t, st) // still on the projector, taking nothing
			if !st.Act("poll").Opened {
				t.Error("a closed poll forgot it was opened")
			}
		}},
		{name: "close again", given: evList(openPoll, evStaff(surveys.EventClose, "poll")), event: evStaff(surveys.EventClose, "poll"), want: surveys.AppliedAgain},
		{name: "close one never opened", event: evStaff(surveys.EventClose, "poll"), want: surveys.AppliedAgain},
		{name: "open one the session has not", event: evStaff(surveys.EventOpen, "nope"), want: surveys.AppliedInvalid},
		{name: "reveal", given: evList(openPoll), event: evReveal("poll", true), want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
			if !st.Act("poll").Revealed {
				t.Error("not revealed")
			}
		}},
		{name: "reveal again", given: evList(openPoll, evReveal("poll", true)), event: evReveal("poll", true), want: surveys.AppliedAgain},
		{name: "reveal no more", given: evList(openPoll, evReveal("poll", true)), event: evReveal("poll", false), want: surveys.AppliedOK,
			check: func(t *testing.T, st *surveys.RoomState) {
				if st.Act("poll").Revealed {
					t.Error("still revealed")
				}
			}},
		{name: "reveal no more what was never revealed", event: evReveal("poll", false), want: surveys.AppliedAgain},
		{name: "approve a post held for approval", given: scene, event: evModerate(surveys.EventApprove, "ideas", "cat1"), want: surveys.AppliedOK,
			check: wantPost("ideas", "cat1", surveys.PostShown, "")},
		{name: "approve a post held for its words", given: evList(evStaff(surveys.EventOpen, "ideas"), evHeld("x", "amy", "ideas", "rude", surveys.HoldProfanity)),
			event: evModerate(surveys.EventApprove, "ideas", "x"), want: surveys.AppliedOK, check: wantPost("ideas", "x", surveys.PostShown, "")},
		{name: "never approve a post flagged for safeguarding", given: scene, event: evModerate(surveys.EventApprove, "ideas", "cat2"),
			want: surveys.AppliedInvalid, check: wantPost("ideas", "cat2", surveys.PostHeld, "")},
		{name: "never approve a flagged post once hidden", given: slices.Concat(scene, evList(evModerate(surveys.EventHide, "ideas", "cat2"))),
			event: evModerate(surveys.EventApprove, "ideas", "cat2"), want: surveys.AppliedInvalid, check: wantPost("ideas", "cat2", surveys.PostHidden, "")},
		{name: "approve a post there is not", given: scene, event: evModerate(surveys.EventApprove, "ideas", "nope"), want: surveys.AppliedInvalid},
		{name: "approve a post of another activity", given: scene, event: evModerate(surveys.EventApprove, "q", "cat1"), want: surveys.AppliedInvalid},
		{name: "hide a post shown", given: scene, event: evModerate(surveys.EventHide, "ideas", "amy1"), want: surveys.AppliedOK,
			check: wantPost("ideas", "amy1", surveys.PostHidden, "")},
		{name: "hide a post held", given: scene, event: evModerate(surveys.EventHide, "ideas", "cat2"), want: surveys.AppliedOK,
			check: wantPost("ideas", "cat2", surveys.PostHidden, "")},
		{name: "hide a word", given: evList(evStaff(surveys.EventOpen, "words"), evWords("w", "amy", "safe", "warm")),
			event: evModerate(surveys.EventHide, "words", "w/1"), want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
				wantPost("words", "w/0", surveys.PostShown, "")(t, st)
				wantPost("words", "w/1", surveys.PostHidden, "")(t, st)
			}},
		{name: "hide a post there is not", given: scene, event: evModerate(surveys.EventHide, "ideas", "nope"), want: surveys.AppliedInvalid},
		{name: "merge", given: scene, event: evMerge("ideas", "amy1", "ben1"), want: surveys.AppliedOK,
			check: wantPost("ideas", "amy1", surveys.PostShown, "ben1")},
		{name: "merge moves what was merged before", given: scene, event: evMerge("ideas", "ben1", "amy1"), want: surveys.AppliedOK,
			check: func(t *testing.T, st *surveys.RoomState) {
				wantPost("ideas", "ben1", surveys.PostShown, "amy1")(t, st)
				wantPost("ideas", "cat4", surveys.PostShown, "amy1")(t, st) // merged into ben1 first
			}},
		{name: "merge a held post into a shown one", given: scene, event: evMerge("ideas", "cat1", "amy1"), want: surveys.AppliedOK,
			check: wantPost("ideas", "cat1", surveys.PostHeld, "amy1")},
		{name: "merge into itself", given: scene, event: evMerge("ideas", "amy1", "amy1"), want: surveys.AppliedInvalid},
		{name: "merge into one merged", given: scene, event: evMerge("ideas", "amy1", "cat4"), want: surveys.AppliedInvalid},
		{name: "merge into one held", given: scene, event: evMerge("ideas", "amy1", "cat1"), want: surveys.AppliedInvalid},
		{name: "merge into one hidden", given: scene, event: evMerge("ideas", "amy1", "cat3"), want: surveys.AppliedInvalid},
		{name: "merge into one there is not", given: scene, event: evMerge("ideas", "amy1", "nope"), want: surveys.AppliedInvalid},
		{name: "merge one there is not", given: scene, event: evMerge("ideas", "nope", "amy1"), want: surveys.AppliedInvalid},
		{name: "merge into what was merged into it", given: scene, event: evMerge("ideas", "ben1", "cat4"), want: surveys.AppliedInvalid},
		{name: "themes", given: scene, event: themes, want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
			p := st.Act("ideas").Post("amy1")
			if !slices.Equal(p.Themes, []string{"home", "moves"}) || !p.Reviewed {
				t.Errorf("post = %+v; want the facilitator's themes", p)
			}
		}},
		{name: "no themes", given: scene, event: surveys.LiveEvent{ID: "th", Kind: surveys.EventTheme, Activity: "ideas", Target: "amy1"},
			want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
				if p := st.Act("ideas").Post("amy1"); len(p.Themes) != 0 || !p.Reviewed {
					t.Errorf("post = %+v; want reviewed with no themes", p)
				}
			}},
		{name: "too many themes", given: scene, event: surveys.LiveEvent{ID: "th", Kind: surveys.EventTheme, Activity: "ideas", Target: "amy1",
			Themes: []string{"a", "b", "c", "d"}}, want: surveys.AppliedInvalid},
		{name: "a facilitator's event of a phone's kind", given: evList(openPoll), event: surveys.LiveEvent{ID: "v", Kind: surveys.EventVote, Activity: "poll", Choices: []int{0}},
			want: surveys.AppliedInvalid},
		{name: "an event of no kind", given: evList(openPoll), event: surveys.LiveEvent{ID: "x", Kind: "shout", Activity: "poll"}, want: surveys.AppliedInvalid},
		{name: "a facilitator's event without an id", event: surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "poll"}, want: surveys.AppliedInvalid},
		{name: "a phone opening an activity", event: surveys.LiveEvent{ID: "o", Kind: surveys.EventOpen, By: "amy", Activity: "poll"}, want: surveys.AppliedInvalid},
		{name: "a phone hiding a post", given: scene, event: surveys.LiveEvent{ID: "h", Kind: surveys.EventHide, By: "amy", Activity: "ideas", Target: "ben1"},
			want: surveys.AppliedInvalid},
		{name: "a phone ending the session", given: evList(openPoll), event: surveys.LiveEvent{ID: "end", Kind: surveys.EventEnd, By: "amy", Activity: "poll"},
			want: surveys.AppliedInvalid, check: func(t *testing.T, st *surveys.RoomState) {
				if st.Ended || len(st.People) != 0 {
					t.Errorf("a phone's end changed the room: ended %t, people %v", st.Ended, st.People)
				}
			}},
		{name: "end", given: slices.Concat(scene, evList(openPoll)), event: evEnd(), want: surveys.AppliedOK, check: func(t *testing.T, st *surveys.RoomState) {
			wantLive("")(t, st)
			if !st.Ended {
				t.Error("not ended")
			}
		}},
		{name: "end again", given: evList(evEnd()), event: evEnd(), want: surveys.AppliedClosed},
	})
}

// TestApplyAfterEnd shows that once the session ends nothing changes it:
// every event, of the room's or the facilitator's, is closed.
func TestApplyAfterEnd(t *testing.T) {
	t.Parallel()
	s := roomSession()
	scene := slices.Concat(boardScene(), evList(evStaff(surveys.EventOpen, "poll"), evVote("v", "amy", "poll", 0), evEnd()))
	for _, ev := range []surveys.LiveEvent{
		evJoin("new"), evJoin("amy"),
		evVote("v2", "amy", "poll", 1), evRate("r", "amy", 1, 1),
		evPost("p", "amy", "ideas", "late"), evPost("a", "amy", "q", "late"), evWords("w", "amy", "late"),
		evLike("l", "amy", "ben1", true), evDots("d", "amy", "dots", map[string]int{"0": 1}),
		evStaff(surveys.EventOpen, "poll"), evStaff(surveys.EventOpen, "q"), evStaff(surveys.EventClose, "poll"), evReveal("poll", true),
		evModerate(surveys.EventApprove, "ideas", "cat1"), evModerate(surveys.EventHide, "ideas", "ben1"), evMerge("ideas", "amy1", "ben1"),
		{ID: "th", Kind: surveys.EventTheme, Activity: "ideas", Target: "amy1", Themes: []string{"home"}},
		evEnd(), {ID: "x", Kind: "shout"}, {},
	} {
		t.Run(string(ev.Kind)+" "+ev.ID, func(t *testing.T) {
			t.Parallel()
			st := surveys.NewRoomState(s.ID)
			mustApply(t, s, st, scene...)
			before := stateJSON(t, st)
			if got := st.Apply(s, &ev); got != surveys.AppliedClosed {
				t.Errorf("Apply after the end = %q; want %q", got, surveys.AppliedClosed)
			}
			if after := stateJSON(t, st); after != before {
				t.Errorf("Apply after the end changed the state:\n%s\nwas:\n%s", after, before)
			}
		})
	}
}

func TestCheckEvent(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", surveys.MaxAnswerLength)
	word := strings.Repeat("w", surveys.MaxLiveWord)
	for _, tc := range []struct {
		name string
		ev   surveys.LiveEvent
		want string // part of the error's message; "" for none
	}{
		{"a join", evJoin("amy"), ""},
		{"a join without an id", surveys.LiveEvent{Kind: surveys.EventJoin, By: "amy"}, "needs an id"},
		{"an id of the longest", evVote(strings.Repeat("i", surveys.MaxEventID), "amy", "poll", 0), ""},
		{"an id too long", evVote(strings.Repeat("i", surveys.MaxEventID+1), "amy", "poll", 0), "needs an id of at most 64 characters"},
		{"an id with a slash", evPost("a/0", "amy", "ideas", "Hi"), "without slashes"},
		{"an id with a zero byte", evPost("a\x00", "amy", "ideas", "Hi"), "without slashes"},
		{"an activity the session has not", evVote("v", "amy", "nope", 0), "no such activity"},
		{"an activity of none", evVote("v", "amy", "", 0), "no such activity"},
		{"an event of no kind", surveys.LiveEvent{ID: "x", Kind: "shout", By: "amy", Activity: "poll"}, "does not fit"},

		{"a vote", evVote("v", "amy", "poll", 1), ""},
		{"no choice", evVote("v", "amy", "poll"), "Choose an answer"},
		{"a choice below range", evVote("v", "amy", "poll", -1), "not one of the answers"},
		{"a choice above range", evVote("v", "amy", "poll", 2), "not one of the answers"},
		{"two choices on a poll of one", evVote("v", "amy", "poll", 0, 1), "Choose one answer"},
		{"several choices", evVote("v", "amy", "multi", 0, 1, 2), ""},
		{"a choice twice", evVote("v", "amy", "multi", 1, 1), "not one of the answers"},
		{"a choice above range of several", evVote("v", "amy", "multi", 0, 3), "not one of the answers"},
		{"a vote on a rating", evVote("v", "amy", "rate", 0), "does not fit"},
		{"a vote on a board", evVote("v", "amy", "ideas", 0), "does not fit"},

		{"faces", evRate("r", "amy", 1, 5), ""},
		{"a face for one statement", evRate("r", "amy", 0, 3), ""},
		{"no face", evRate("r", "amy", 0, 0), "at least one statement"},
		{"a face below range", evRate("r", "amy", -1, 3), "one of the faces"},
		{"a face above range", evRate("r", "amy", surveys.Faces+1, 3), "one of the faces"},
		{"too few faces", evRate("r", "amy", 3), "a face for each statement"},
		{"too many faces", evRate("r", "amy", 3, 3, 3), "a face for each statement"},
		{"faces on a poll", surveys.LiveEvent{ID: "r", Kind: surveys.EventRate, By: "amy", Activity: "poll", Choices: []int{1}}, "does not fit"},

		{"an idea", evPost("p", "amy", "ideas", "Hi"), ""},
		{"an answer", evPost("p", "amy", "q", "Hi"), ""},
		{"an answer of the longest", evPost("p", "amy", "q", long), ""},
		{"an answer of the longest, with spaces round it", evPost("p", "amy", "q", "  "+long+"\n"), ""},
		{"an answer too long", evPost("p", "amy", "q", long+"é"), "at most 500 characters"},
		{"an answer of spaces", evPost("p", "amy", "q", " \t\n"), "Write something"},
		{"an empty answer", evPost("p", "amy", "q", ""), "Write something"},
		{"an answer not UTF-8", evPost("p", "amy", "q", "Hi \xff"), "at most 500 characters"},
		{"an idea in the last column", surveys.LiveEvent{ID: "p", Kind: surveys.EventPost, By: "amy", Activity: "ideas", Text: "Hi", Column: 1}, ""},
		{"an idea in a column the board has not", surveys.LiveEvent{ID: "p", Kind: surveys.EventPost, By: "amy", Activity: "ideas", Text: "Hi", Column: 2}, "one of the columns"},
		{"an idea in a column below range", surveys.LiveEvent{ID: "p", Kind: surveys.EventPost, By: "amy", Activity: "ideas", Text: "Hi", Column: -1}, "one of the columns"},
		{"an answer in a column", surveys.LiveEvent{ID: "p", Kind: surveys.EventPost, By: "amy", Activity: "q", Text: "Hi", Column: 1}, "one of the columns"},
		{"a post to a poll", evPost("p", "amy", "poll", "Hi"), "does not fit"},
		{"a post to a word cloud", evPost("p", "amy", "words", "Hi"), "does not fit"},
		{"a post to a dot vote", evPost("p", "amy", "dots", "Hi"), "does not fit"},

		{"words", evWords("w", "amy", "safe", "warm", word), ""},
		{"no words", evWords("w", "amy"), "from 1 to 3 words"},
		{"too many words", evWords("w", "amy", "a", "b", "c", "d"), "from 1 to 3 words"},
		{"a word of spaces", evWords("w", "amy", "safe", "  "), "1 to 30 letters"},
		{"a word too long", evWords("w", "amy", word+"w"), "1 to 30 letters"},
		{"a word not UTF-8", evWords("w", "amy", "\xfe"), "1 to 30 letters"},
		{"words on a board", surveys.LiveEvent{ID: "w", Kind: surveys.EventWords, By: "amy", Activity: "ideas", Words: []string{"safe"}}, "does not fit"},

		{"a like", evLike("l", "amy", "ben1", true), ""},
		{"a like taken back", evLike("l", "amy", "ben1", false), ""},
		{"a like of nothing", evLike("l", "amy", "", true), "which idea"},
		{"a like on an open question", surveys.LiveEvent{ID: "l", Kind: surveys.EventLike, By: "amy", Activity: "q", Target: "a"}, "does not fit"},

		{"dots", evDots("d", "amy", "dots", map[string]int{"0": 2, "2": 3}), ""},
		{"all the dots on one option", evDots("d", "amy", "dots", map[string]int{"1": 5}), ""},
		{"no dots", evDots("d", "amy", "dots", nil), "at least one dot"},
		{"dots of none", evDots("d", "amy", "dots", map[string]int{"0": 0}), "at least one dot"},
		{"more dots than one has", evDots("d", "amy", "dots", map[string]int{"0": 3, "1": 3}), "not 6"},
		{"more dots on one option than one has", evDots("d", "amy", "dots", map[string]int{"0": 6}), "5 dots to share out"},
		{"dots taken away", evDots("d", "amy", "dots", map[string]int{"0": 3, "1": -1}), "5 dots to share out"},
		{"an option there is not", evDots("d", "amy", "dots", map[string]int{"3": 1}), "not one of the options"},
		{"an option below range", evDots("d", "amy", "dots", map[string]int{"-1": 1}), "not one of the options"},
		{"an option written 01", evDots("d", "amy", "dots", map[string]int{"01": 1}), "not one of the options"},
		{"an option written +1", evDots("d", "amy", "dots", map[string]int{"+1": 1}), "not one of the options"},
		{"an option by its name", evDots("d", "amy", "dots", map[string]int{"Trips": 1}), "not one of the options"},
		{"dots on ideas", evDots("d", "amy", "pick", map[string]int{"ben1": 2, "amy1": 1}), ""},
		{"dots on an idea of no id", evDots("d", "amy", "pick", map[string]int{"": 1}), "not one of the ideas"},
		{"dots on an idea of an id too long", evDots("d", "amy", "pick", map[string]int{strings.Repeat("i", surveys.MaxEventID+5): 1}), "not one of the ideas"},
		{"dots on a word of a cloud", evDots("d", "amy", "pick", map[string]int{"w/0": 1}), ""}, // the state says it is no idea
		{"more dots on ideas than one has", evDots("d", "amy", "pick", map[string]int{"ben1": 2, "amy1": 2}), "not 4"},
		{"dots on a poll", evDots("d", "amy", "poll", map[string]int{"0": 1}), "does not fit"},

		{"open", evStaff(surveys.EventOpen, "poll"), ""},
		{"close", evStaff(surveys.EventClose, "poll"), ""},
		{"reveal", evReveal("poll", true), ""},
		{"end", evEnd(), ""},
		{"end without an id", surveys.LiveEvent{Kind: surveys.EventEnd}, "needs an id"},
		{"open an activity the session has not", evStaff(surveys.EventOpen, "nope"), "no such activity"},
		{"approve", evModerate(surveys.EventApprove, "ideas", "ben1"), ""},
		{"approve nothing", evModerate(surveys.EventApprove, "ideas", ""), "does not fit"},
		{"hide", evModerate(surveys.EventHide, "words", "w/0"), ""},
		{"hide nothing", evModerate(surveys.EventHide, "ideas", ""), "does not fit"},
		{"merge", evMerge("ideas", "a", "b"), ""},
		{"merge into itself", evMerge("ideas", "a", "a"), "does not fit"},
		{"merge into nothing", evMerge("ideas", "a", ""), "does not fit"},
		{"merge nothing", evMerge("ideas", "", "b"), "does not fit"},
		{"themes", surveys.LiveEvent{ID: "t", Kind: surveys.EventTheme, Activity: "ideas", Target: "a", Themes: []string{"a", "b", "c"}}, ""},
		{"too many themes", surveys.LiveEvent{ID: "t", Kind: surveys.EventTheme, Activity: "ideas", Target: "a", Themes: []string{"a", "b", "c", "d"}}, "does not fit"},
		{"themes of nothing", surveys.LiveEvent{ID: "t", Kind: surveys.EventTheme, Activity: "ideas"}, "does not fit"},
		{"a vote from the facilitator", surveys.LiveEvent{ID: "v", Kind: surveys.EventVote, Activity: "poll", Choices: []int{0}}, "does not fit"},
		{"an open from a phone", surveys.LiveEvent{ID: "o", Kind: surveys.EventOpen, By: "amy", Activity: "poll"}, "does not fit"},
		{"an end from a phone", surveys.LiveEvent{ID: "end", Kind: surveys.EventEnd, By: "amy"}, "Only the person running the session"},
		{"an end from a phone, on an activity", surveys.LiveEvent{ID: "end", Kind: surveys.EventEnd, By: "amy", Activity: "poll"}, "Only the person running the session"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := surveys.CheckEvent(roomSession(), &tc.ev)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckEvent: %v", err)
				}
				return
			}
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Fatalf("CheckEvent error code = %q (%v); want %q", code, err, surveys.EINVALID)
			}
			if msg := surveys.ErrorMessage(err); !strings.Contains(msg, tc.want) {
				t.Errorf("CheckEvent message = %q; want it to say %q", msg, tc.want)
			}
		})
	}
}

func TestCleanEvent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		ev, want surveys.LiveEvent
	}{
		{"a text trimmed", evPost("p", "amy", "q", "  Ask me first \n"), evPost("p", "amy", "q", "Ask me first")},
		{"words trimmed and folded", evWords("w", "amy", " Safe", "WARM ", "Ça va"), evWords("w", "amy", "safe", "warm", "ça va")},
		{"a vote's choices in order", evVote("v", "amy", "multi", 2, 0, 1), evVote("v", "amy", "multi", 0, 1, 2)},
		{"faces kept where they are", evRate("r", "amy", 5, 1), evRate("r", "amy", 5, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ev := tc.ev
			surveys.CleanEvent(&ev)
			if !reflect.DeepEqual(ev, tc.want) {
				t.Errorf("CleanEvent = %+v; want %+v", ev, tc.want)
			}
		})
	}
}

// TestCleanEventSendsAgainTheSame shows that a vote whose choices come in
// another order the second time is the same vote once cleaned.
func TestCleanEventSendsAgainTheSame(t *testing.T) {
	t.Parallel()
	s := roomSession()
	st := surveys.NewRoomState(s.ID)
	mustApply(t, s, st, evStaff(surveys.EventOpen, "multi"))
	for i, want := range []surveys.Applied{surveys.AppliedOK, surveys.AppliedAgain} {
		ev := evVote("v", "amy", "multi", 2, 0)
		if i == 1 {
			ev = evVote("v", "amy", "multi", 0, 2)
		}
		surveys.CleanEvent(&ev)
		if got := st.Apply(s, &ev); got != want {
			t.Errorf("send %d: Apply = %q; want %q", i+1, got, want)
		}
	}
}

func TestParticipantKey(t *testing.T) {
	t.Parallel()
	k := surveys.ParticipantKey("s1", "token-of-amy")
	if len(k) != 24 || strings.Trim(k, "0123456789abcdef") != "" {
		t.Errorf("key %q is not 24 hex digits", k)
	}
	if strings.Contains(k, "token") {
		t.Errorf("key %q shows the token", k)
	}
	if again := surveys.ParticipantKey("s1", "token-of-amy"); again != k {
		t.Errorf("the same token gave %q, then %q", k, again)
	}
	for _, other := range []string{surveys.ParticipantKey("s2", "token-of-amy"), surveys.ParticipantKey("s1", "token-of-ben"),
		surveys.ParticipantKey("s1t", "oken-of-amy")} {
		if other == k {
			t.Errorf("another session or token gave the same key %q", k)
		}
	}
}

func TestLiveEventStringHasNoText(t *testing.T) {
	t.Parallel()
	ev := evPost("p", "amy", "q", "My foster carer shouts")
	if got := ev.String(); got != "post q" {
		t.Errorf("String = %q; want %q", got, "post q")
	}
	w := evWords("w", "amy", "secret")
	if got := w.String(); strings.Contains(got, "secret") || strings.Contains(got, "amy") {
		t.Errorf("String = %q shows what was said or who said it", got)
	}
}

// sessionScript is a session as it might run: people join, every
// activity is opened in turn and answered, the facilitator moderates,
// merges, reveals, and ends.
func sessionScript() []surveys.LiveEvent {
	var out []surveys.LiveEvent
	add := func(evs ...surveys.LiveEvent) { out = append(out, evs...) }
	for i := range 12 {
		add(evJoin(person(i)))
	}
	add(evStaff(surveys.EventOpen, "poll"))
	for i := range 12 {
		add(evVote("v"+person(i), person(i), "poll", i%3/2))
	}
	add(evVote("change", person(0), "poll", 1), evReveal("poll", true), evStaff(surveys.EventOpen, "multi"))
	for i := range 12 {
		add(evVote("m"+person(i), person(i), "multi", slices.Sorted(slices.Values([]int{i % 3, (i + 1) % 3}))...))
	}
	add(evStaff(surveys.EventOpen, "rate"))
	for i := range 12 {
		add(evRate("r"+person(i), person(i), 1+i%5, i%2*4))
	}
	add(evStaff(surveys.EventOpen, "ideas"))
	for i := range 12 {
		add(evPost("i"+person(i), person(i), "ideas", fmt.Sprintf("idea %d", i%4)))
	}
	add(evHeld("flag", person(3), "ideas", "worried", surveys.HoldSafeguarding),
		evHeld("rude", person(4), "ideas", "rude", surveys.HoldProfanity),
		evModerate(surveys.EventApprove, "ideas", "rude"),
		evModerate(surveys.EventHide, "ideas", "i"+person(5)),
		evMerge("ideas", "i"+person(4), "i"+person(0)),
		evMerge("ideas", "i"+person(8), "i"+person(4)), // refused: p004's is merged
		evMerge("ideas", "i"+person(0), "i"+person(1)))
	for i := range 12 {
		if i != 1 {
			add(evLike("l"+person(i), person(i), "i"+person(1), true))
		}
		if i != 2 {
			add(evLike("k"+person(i), person(i), "i"+person(2), true))
		}
	}
	add(evLike("l3", person(2), "i"+person(3), true), evLike("u3", person(2), "i"+person(3), false),
		evStaff(surveys.EventClose, "ideas"), evStaff(surveys.EventOpen, "pick"))
	for i := range 12 {
		add(evDots("d"+person(i), person(i), "pick", map[string]int{"i" + person(1): 2, "i" + person(i%4+6): 1}))
	}
	add(evStaff(surveys.EventOpen, "dots"))
	for i := range 12 {
		add(evDots("o"+person(i), person(i), "dots", map[string]int{"0": i % 3, "2": 5 - i%3}))
	}
	add(evStaff(surveys.EventOpen, "words"))
	for i := range 12 {
		add(evWords("w"+person(i), person(i), "safe", []string{"warm", "loud", "home"}[i%3]))
	}
	add(evModerate(surveys.EventHide, "words", "w"+person(1)+"/1"), evStaff(surveys.EventOpen, "q"))
	for i := range 12 {
		add(evPost("a"+person(i), person(i), "q", "answer"))
	}
	add(surveys.LiveEvent{ID: "th", Kind: surveys.EventTheme, Activity: "q", Target: "a" + person(2), Themes: []string{"voice"}}, evEnd())
	return out
}

// applyAll applies events and says what came of each.
func applyAll(s *surveys.LiveSession, st *surveys.RoomState, evs []surveys.LiveEvent) []surveys.Applied {
	out := make([]surveys.Applied, len(evs))
	for i := range evs {
		ev := evs[i] // Apply must not need the caller's copy
		out[i] = st.Apply(s, &ev)
	}
	return out
}

// TestApplyDeterministic shows that every instance that applies a log
// comes to the same state, and that a log whose every event came twice (a
// phone, or an instance writing to the log, trying again) comes to the
// same state as one where each came once: no lost or doubled vote.
func TestApplyDeterministic(t *testing.T) {
	t.Parallel()
	s := roomSession()
	script := sessionScript()
	a, b := surveys.NewRoomState(s.ID), surveys.NewRoomState(s.ID)
	outA, outB := applyAll(s, a, script), applyAll(s, b, script)
	if !slices.Equal(outA, outB) {
		t.Errorf("two instances made different things of one log:\n%v\n%v", outA, outB)
	}
	if ja, jb := mustJSON(t, a), mustJSON(t, b); ja != jb {
		t.Errorf("two instances came to different states:\n%s\n%s", ja, jb)
	}
	for i, o := range outA {
		if o != surveys.AppliedOK && script[i].ID != "merge-i"+person(8) {
			t.Errorf("the script's event %d (%s) = %q", i, script[i].String(), o)
		}
	}

	twice := make([]surveys.LiveEvent, 0, 2*len(script))
	for _, ev := range script {
		twice = append(twice, ev, ev)
	}
	c := surveys.NewRoomState(s.ID)
	outC := applyAll(s, c, twice)
	for i := 1; i < len(outC); i += 2 {
		if outC[i-1] != outA[i/2] {
			t.Errorf("event %d (%s), first time = %q; once it was %q", i/2, script[i/2].String(), outC[i-1], outA[i/2])
		}
		if outC[i] == surveys.AppliedOK && !isModeration(script[i/2].Kind) {
			t.Errorf("event %d (%s), second time = %q; want it not taken again", i/2, script[i/2].String(), outC[i])
		}
	}
	if ja, jc := stateJSON(t, a), stateJSON(t, c); ja != jc {
		t.Errorf("a log of every event twice came to another state:\n%s\nonce:\n%s", jc, ja)
	}
	for _, act := range s.Activities {
		if ra, rc := a.Results(s, act.ID, 5), c.Results(s, act.ID, 5); !reflect.DeepEqual(ra, rc) {
			t.Errorf("results of %s: twice %+v; once %+v", act.ID, rc, ra)
		}
	}
}

// isModeration says whether the kind is one of the facilitator's decisions
// on a post, which say AppliedOK when made again (and change nothing).
func isModeration(k surveys.LiveEventKind) bool {
	return k == surveys.EventApprove || k == surveys.EventHide || k == surveys.EventMerge || k == surveys.EventTheme
}

// TestNoLostOrDoubledVote sends every phone's vote and idea up to three
// times, the copies coming at any time later while the activity is open,
// as phones with a poor signal do, and counts every vote and idea once.
func TestNoLostOrDoubledVote(t *testing.T) {
	t.Parallel()
	s := roomSession()
	const people = 40
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(seed, 7))
			// sends are each young person's vote, or idea, sent one to
			// three times, in any order.
			sends := func(ev func(i int) surveys.LiveEvent) []surveys.LiveEvent {
				var out []surveys.LiveEvent
				for i := range people {
					for range 1 + r.IntN(3) {
						out = append(out, ev(i))
					}
				}
				r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
				return out
			}
			votes := sends(func(i int) surveys.LiveEvent { return evVote("v"+person(i), person(i), "poll", i%2) })
			ideas := sends(func(i int) surveys.LiveEvent { return evPost("i"+person(i), person(i), "ideas", "idea") })
			st := surveys.NewRoomState(s.ID)
			log := slices.Concat(evList(evStaff(surveys.EventOpen, "poll")), votes, evList(evStaff(surveys.EventOpen, "ideas")), ideas)
			for i, got := range applyAll(s, st, log) {
				if got != surveys.AppliedOK && got != surveys.AppliedAgain {
					t.Fatalf("event %d (%s) = %q", i, log[i].String(), got)
				}
			}
			res := st.Results(s, "poll", 5)
			if res.Answered != people || res.Options[0].N != people/2 || res.Options[1].N != people/2 {
				t.Errorf("poll results = %+v; want %d votes, half each", res, people)
			}
			// Copies that come once the board has closed are known as
			// sent, not refused as late.
			mustApply(t, s, st, evStaff(surveys.EventClose, "ideas"))
			for i, got := range applyAll(s, st, ideas) {
				if got != surveys.AppliedAgain {
					t.Fatalf("idea %d (%s) sent again once closed = %q; want %q", i, ideas[i].ID, got, surveys.AppliedAgain)
				}
			}
			if n := len(st.Act("ideas").Posts); n != people {
				t.Errorf("%d ideas; want %d", n, people)
			}
		})
	}
}

// TestRoomStateJSON shows that a snapshot keeps everything: the state read
// back gives the same results, phones' views and held posts, and goes on
// the same way from there.
func TestRoomStateJSON(t *testing.T) {
	t.Parallel()
	s := roomSession()
	script := sessionScript()
	script = script[:len(script)-1] // not ended, so that it can go on
	st := surveys.NewRoomState(s.ID)
	applyAll(s, st, script)
	st.Seq = 17
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var back surveys.RoomState
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if again := mustJSON(t, &back); again != string(raw) {
		t.Errorf("read back and written again:\n%s\nfirst:\n%s", again, raw)
	}
	if back.Seq != 17 || back.Session != s.ID || back.Live != "q" || len(back.People) != 12 {
		t.Errorf("read back: seq %d, session %q, live %q, %d people", back.Seq, back.Session, back.Live, len(back.People))
	}
	compare := func(step string) {
		t.Helper()
		for _, act := range s.Activities {
			if want, got := st.Results(s, act.ID, 3), back.Results(s, act.ID, 3); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: results of %s read back = %+v; want %+v", step, act.ID, got, want)
			}
			if want, got := mustJSON(t, st.Act(act.ID).Held()), mustJSON(t, back.Act(act.ID).Held()); got != want {
				t.Errorf("%s: held posts of %s read back = %+v; want %+v", step, act.ID, got, want)
			}
		}
		for i := range 13 {
			// JSON, as a like taken back leaves an empty set of likes,
			// and a snapshot none: the same.
			if want, got := mustJSON(t, st.Phone(s, person(i), 3)), mustJSON(t, back.Phone(s, person(i), 3)); got != want {
				t.Errorf("%s: %s's phone read back = %+v; want %+v", step, person(i), got, want)
			}
		}
	}
	compare("snapshot")
	more := evList(evPost("late", person(12), "q", "late answer"), evStaff(surveys.EventOpen, "ideas"),
		evLike("l-late", person(7), "i"+person(3), true), evLike("u-late", person(8), "i"+person(9), false),
		evModerate(surveys.EventHide, "ideas", "i"+person(2)), evEnd())
	if a, b := applyAll(s, st, more), applyAll(s, &back, more); !slices.Equal(a, b) {
		t.Errorf("going on from the snapshot: %v; from the state kept: %v", b, a)
	}
	compare("after more events")
	if a, b := stateJSON(t, st), stateJSON(t, &back); a != b {
		t.Errorf("going on from the snapshot came to\n%s\nand from the state kept to\n%s", b, a)
	}
}

// TestApplyKeepsNoAliases shows that the state keeps copies of what an
// event carries, so that a caller reusing its event changes nothing.
func TestApplyKeepsNoAliases(t *testing.T) {
	t.Parallel()
	s := roomSession()
	st := surveys.NewRoomState(s.ID)
	v := evVote("v", "amy", "multi", 0, 1)
	p := evPost("p", "amy", "ideas", "Hi")
	p.Themes = []string{"voice"}
	d := evDots("d", "amy", "dots", map[string]int{"0": 2})
	th := surveys.LiveEvent{ID: "t", Kind: surveys.EventTheme, Activity: "ideas", Target: "p", Themes: []string{"home"}}
	mustApply(t, s, st, evStaff(surveys.EventOpen, "multi"), v, evStaff(surveys.EventOpen, "ideas"), p, th,
		evStaff(surveys.EventOpen, "dots"), d)
	before := stateJSON(t, st)
	v.Choices[0], p.Themes[0], d.Dots["0"], th.Themes[0] = 2, "x", 5, "y"
	if after := stateJSON(t, st); after != before {
		t.Errorf("changing events after Apply changed the state:\n%s\nwas:\n%s", after, before)
	}
}
