package surveys_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// threshold is the suppression threshold of these tests, Heard's default.
const threshold = surveys.DefaultThreshold

// voted is act opened, and each of votes given by the young person of its
// index.
func voted(act string, votes ...[]int) []surveys.LiveEvent {
	out := evList(evStaff(surveys.EventOpen, act))
	for i, v := range votes {
		out = append(out, evVote("v", person(i), act, v...))
	}
	return out
}

// times is n of the same vote.
func times(n int, choices ...int) [][]int {
	out := make([][]int, n)
	for i := range out {
		out[i] = choices
	}
	return out
}

// room is a state made by events, which must each be taken.
func room(t *testing.T, evs ...[]surveys.LiveEvent) (*surveys.LiveSession, *surveys.RoomState) {
	t.Helper()
	s := roomSession()
	st := surveys.NewRoomState(s.ID)
	mustApply(t, s, st, slices.Concat(evs...)...)
	return s, st
}

func shownCount(key, label string, n int) surveys.LiveCount {
	return surveys.LiveCount{Key: key, Label: label, N: n}
}

func hiddenCount(key, label string) surveys.LiveCount {
	return surveys.LiveCount{Key: key, Label: label, Hidden: true}
}

func TestLiveResultsPoll(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		act      string
		votes    [][]int
		answered int // 0 for Few
		options  []surveys.LiveCount
	}{
		{"7 and 5: both shown", "poll", slices.Concat(times(7, 0), times(5, 1)), 12,
			[]surveys.LiveCount{shownCount("0", "Library", 7), shownCount("1", "Youth centre", 5)}},
		{"9 and 3: the 3 hidden, and the 9 so that the 3 cannot be worked out", "poll", slices.Concat(times(9, 0), times(3, 1)), 12,
			[]surveys.LiveCount{hiddenCount("0", "Library"), hiddenCount("1", "Youth centre")}},
		{"12 and none: none is a count too", "poll", times(12, 1), 12,
			[]surveys.LiveCount{hiddenCount("0", "Library"), hiddenCount("1", "Youth centre")}},
		{"4 voters: too few", "poll", slices.Concat(times(3, 0), times(1, 1)), 0,
			[]surveys.LiveCount{hiddenCount("0", "Library"), hiddenCount("1", "Youth centre")}},
		{"no voter", "poll", nil, 0,
			[]surveys.LiveCount{hiddenCount("0", "Library"), hiddenCount("1", "Youth centre")}},
		{"the same 9 and 3 where several may be chosen: no subtraction", "multi", slices.Concat(times(9, 0), times(3, 1)), 12,
			[]surveys.LiveCount{shownCount("0", "Games", 9), hiddenCount("1", "Food"), hiddenCount("2", "Trips")}},
		{"several chosen, one count hidden: the smallest shown hidden with it", "multi", slices.Concat(times(9, 0, 2), times(3, 1, 2)), 12,
			[]surveys.LiveCount{hiddenCount("0", "Games"), hiddenCount("1", "Food"), shownCount("2", "Trips", 12)}},
		{"every choice by everyone", "multi", times(6, 0, 1, 2), 6,
			[]surveys.LiveCount{shownCount("0", "Games", 6), shownCount("1", "Food", 6), shownCount("2", "Trips", 6)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, st := room(t, voted(tc.act, tc.votes...))
			r := st.Results(s, tc.act, threshold)
			if r.Activity != s.Activity(tc.act) || r.Answered != tc.answered || r.Few != (tc.answered == 0) {
				t.Errorf("answered %d, few %t; want %d", r.Answered, r.Few, tc.answered)
			}
			if !reflect.DeepEqual(r.Options, tc.options) {
				t.Errorf("options = %+v\nwant %+v", r.Options, tc.options)
			}
			if r.Statements != nil || r.Ideas != nil || r.Words != nil {
				t.Errorf("a poll's results have more than options: %+v", r)
			}
		})
	}
}

func face(f, n int) surveys.LiveCount { return surveys.LiveCount{Key: fmt.Sprint(f), N: n} }

func hiddenFace(f int) surveys.LiveCount { return surveys.LiveCount{Key: fmt.Sprint(f), Hidden: true} }

func TestLiveResultsRating(t *testing.T) {
	t.Parallel()
	rated := func(faces [][]int) []surveys.LiveEvent {
		out := evList(evStaff(surveys.EventOpen, "rate"))
		for i, f := range faces {
			out = append(out, evRate("r", person(i), f...))
		}
		return out
	}
	say, trust := "We help you have a say.", "You have a worker you can trust."
	for _, tc := range []struct {
		name       string
		faces      [][]int
		answered   int
		statements []surveys.LiveStatement
	}{
		{"one statement shown, the other rated by too few",
			slices.Concat(times(3, 4, 2), times(2, 5, 0), times(3, 5, 0), times(2, 4, 0)), 10,
			[]surveys.LiveStatement{
				{Text: say, Answered: 10, Faces: []surveys.LiveCount{hiddenFace(1), hiddenFace(2), hiddenFace(3), face(4, 5), face(5, 5)}},
				{Text: trust, Few: true},
			}},
		{"a face of one hides the rest so that it cannot be worked out", slices.Concat(times(5, 3, 3), times(1, 1, 3)), 6,
			[]surveys.LiveStatement{
				{Text: say, Answered: 6, Faces: []surveys.LiveCount{hiddenFace(1), hiddenFace(2), hiddenFace(3), hiddenFace(4), hiddenFace(5)}},
				{Text: trust, Answered: 6, Faces: []surveys.LiveCount{hiddenFace(1), hiddenFace(2), face(3, 6), hiddenFace(4), hiddenFace(5)}},
			}},
		{"four rated", times(4, 5, 5), 0,
			[]surveys.LiveStatement{{Text: say, Few: true}, {Text: trust, Few: true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, st := room(t, rated(tc.faces))
			r := st.Results(s, "rate", threshold)
			if r.Answered != tc.answered || r.Few != (tc.answered == 0) {
				t.Errorf("answered %d, few %t; want %d", r.Answered, r.Few, tc.answered)
			}
			if !reflect.DeepEqual(r.Statements, tc.statements) {
				t.Errorf("statements = %+v\nwant %+v", r.Statements, tc.statements)
			}
		})
	}
}

// dotBoard is an idea board of five ideas, one of them a duplicate, and
// one held and one hidden, then a dot vote on it, open.
func dotBoard() []surveys.LiveEvent {
	return evList(
		evStaff(surveys.EventOpen, "ideas"),
		evPost("ben1", "ben", "ideas", "More say in reviews"),
		evPost("amy1", "amy", "ideas", "Less moving"),
		evPost("dup", "cat", "ideas", "A say in reviews"),
		evPost("lone", "dan", "ideas", "Pocket money"),
		evPost("other", "eve", "ideas", "Later nights"),
		evHeld("held", "cat", "ideas", "Waiting", surveys.HoldPremoderate),
		evPost("gone", "cat", "ideas", "Hidden"),
		evModerate(surveys.EventHide, "ideas", "gone"),
		evStaff(surveys.EventOpen, "pick"),
	)
}

func TestLiveResultsDots(t *testing.T) {
	t.Parallel()
	gave := func(act string, dots ...map[string]int) []surveys.LiveEvent {
		var out []surveys.LiveEvent
		for i, d := range dots {
			out = append(out, evDots("d", person(i), act, d))
		}
		return out
	}
	openDots := evList(evStaff(surveys.EventOpen, "dots"))
	// Food and Laptops have 5 dots each, from too few young people.
	options := slices.Concat(openDots, gave("dots",
		map[string]int{"0": 5}, map[string]int{"0": 5}, map[string]int{"0": 5}, map[string]int{"0": 5}, map[string]int{"0": 5},
		map[string]int{"1": 5}, map[string]int{"2": 3}, map[string]int{"2": 2}))
	// Laptops has 5 dots from 5, Trips 20 from 5, and Food 5 from one.
	oneHidden := slices.Concat(openDots, gave("dots",
		map[string]int{"0": 4, "2": 1}, map[string]int{"0": 4, "2": 1}, map[string]int{"0": 4, "2": 1},
		map[string]int{"0": 4, "2": 1}, map[string]int{"0": 4, "2": 1}, map[string]int{"1": 5}))
	// ben1 has 4 dots from 3 young people once dup is merged into it:
	// p002 put dots on both, and counts once. amy1 has 7 from 4, other 1
	// from one, lone none.
	ideas := slices.Concat(dotBoard(), gave("pick",
		map[string]int{"ben1": 1}, map[string]int{"ben1": 1}, map[string]int{"dup": 1, "ben1": 1},
		map[string]int{"amy1": 2, "other": 1}, map[string]int{"amy1": 3}, map[string]int{"amy1": 1}, map[string]int{"amy1": 1}),
		evList(evMerge("ideas", "dup", "ben1")))
	for _, tc := range []struct {
		name      string
		given     []surveys.LiveEvent
		act       string
		threshold int
		answered  int
		want      []surveys.LiveCount
	}{
		{"options, hidden by the people who gave dots, not by the dots", options, "dots", 5, 8, []surveys.LiveCount{
			shownCount("0", "Trips", 25), hiddenCount("1", "Food"), hiddenCount("2", "Laptops")}},
		{"options, most dots first, at a threshold of 1", options, "dots", 1, 8, []surveys.LiveCount{
			shownCount("0", "Trips", 25), shownCount("1", "Food", 5), shownCount("2", "Laptops", 5)}},
		{"one option hidden: the smallest shown, by people, hidden with it, as on a poll of several choices", oneHidden, "dots", 5, 6,
			[]surveys.LiveCount{shownCount("2", "Laptops", 5), hiddenCount("0", "Trips"), hiddenCount("1", "Food")}},
		{"too few gave dots", slices.Concat(openDots, gave("dots",
			map[string]int{"0": 5}, map[string]int{"0": 5}, map[string]int{"0": 5}, map[string]int{"0": 5})), "dots", 5, 0,
			[]surveys.LiveCount{hiddenCount("0", "Trips"), hiddenCount("1", "Food"), hiddenCount("2", "Laptops")}},
		{"ideas: a duplicate's dots go to the idea it was merged into", ideas, "pick", 3, 7, []surveys.LiveCount{
			shownCount("amy1", "Less moving", 7), shownCount("ben1", "More say in reviews", 4),
			hiddenCount("lone", "Pocket money"), hiddenCount("other", "Later nights")}},
		{"ideas: one young person's dots on an idea and its duplicate count once", ideas, "pick", 4, 7, []surveys.LiveCount{
			shownCount("amy1", "Less moving", 7), hiddenCount("ben1", "More say in reviews"),
			hiddenCount("lone", "Pocket money"), hiddenCount("other", "Later nights")}},
		{"ideas: no dots yet", dotBoard(), "pick", 5, 0, []surveys.LiveCount{
			hiddenCount("ben1", "More say in reviews"), hiddenCount("amy1", "Less moving"), hiddenCount("dup", "A say in reviews"),
			hiddenCount("lone", "Pocket money"), hiddenCount("other", "Later nights")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, st := room(t, tc.given)
			r := st.Results(s, tc.act, tc.threshold)
			if r.Answered != tc.answered || r.Few != (tc.answered == 0) {
				t.Errorf("answered %d, few %t; want %d", r.Answered, r.Few, tc.answered)
			}
			if !reflect.DeepEqual(r.Options, tc.want) {
				t.Errorf("options = %+v\nwant %+v", r.Options, tc.want)
			}
		})
	}
}

// likes are the young people from..to-1 liking target.
func likes(target string, from, to int) []surveys.LiveEvent {
	var out []surveys.LiveEvent
	for i := from; i < to; i++ {
		out = append(out, evLike("l-"+target, person(i), target, true))
	}
	return out
}

func TestLiveIdeas(t *testing.T) {
	t.Parallel()
	second := evPost("amy1", "amy", "ideas", "Less moving")
	second.Column = 1
	s, st := room(t, evList(evStaff(surveys.EventOpen, "ideas"),
		evPost("ben1", "ben", "ideas", "More say in reviews"),
		second,
		evPost("dup", "cat", "ideas", "A say in reviews"),
		evPost("lone", "dan", "ideas", "Pocket money"),
		evPost("gone", "cat", "ideas", "Hidden"),
		evHeld("held", "cat", "ideas", "Waiting", surveys.HoldProfanity),
		evPost("undone", "eve", "ideas", "Liked, then not"),
	),
		likes("ben1", 0, 5),   // 5 likes
		likes("dup", 4, 6),    // p004 liked both: counts once
		likes("amy1", 0, 2),   // 2 likes
		likes("gone", 0, 6),   // hidden below
		likes("undone", 0, 6), // taken back below
		evList(evMerge("ideas", "dup", "ben1"), evModerate(surveys.EventHide, "ideas", "gone")),
	)
	for i := range 6 {
		mustApply(t, s, st, evLike("u-undone", person(i), "undone", false))
	}
	want := []surveys.LiveIdea{
		{ID: "ben1", Text: "More say in reviews", Likes: 6, Merged: 1},
		{ID: "amy1", Text: "Less moving", Column: 1, LikesHidden: true},
		{ID: "lone", Text: "Pocket money"},
		{ID: "undone", Text: "Liked, then not"},
	}
	if got := st.Act("ideas").Ideas(threshold); !reflect.DeepEqual(got, want) {
		t.Errorf("Ideas = %+v\nwant %+v", got, want)
	}
	r := st.Results(s, "ideas", threshold)
	if !reflect.DeepEqual(r.Ideas, want) || r.Answered != 5 || r.Few {
		t.Errorf("Results = %+v; want the ideas, and 5 who posted", r)
	}
	if got := st.Results(s, "q", threshold); got.Ideas != nil || !got.Few {
		t.Errorf("results of a question nobody answered = %+v", got)
	}
}

// cloud is a word cloud's words, each given by as many young people as
// its count.
type cloudWord struct {
	word   string
	people int
}

func TestLiveWordCloud(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		words     []cloudWord
		threshold int
		want      []surveys.LiveWord
	}{
		{"the most given largest, the rarest smallest with no count", []cloudWord{{"home", 4}, {"heard", 5}, {"warm", 7}, {"safe", 10}}, 5,
			[]surveys.LiveWord{{Word: "safe", Size: 5, N: 10}, {Word: "warm", Size: 4, N: 7}, {Word: "heard", Size: 3, N: 5}, {Word: "home", Size: 1, Hidden: true}}},
		{"every word too rare", []cloudWord{{"home", 4}, {"safe", 1}}, 5,
			[]surveys.LiveWord{{Word: "home", Size: 1, Hidden: true}, {Word: "safe", Size: 1, Hidden: true}}},
		{"one word", []cloudWord{{"safe", 5}}, 5, []surveys.LiveWord{{Word: "safe", Size: 5, N: 5}}},
		{"a word given by few beside one given by many", []cloudWord{{"safe", 100}, {"home", 3}}, 3,
			[]surveys.LiveWord{{Word: "safe", Size: 5, N: 100}, {Word: "home", Size: 2, N: 3}}},
		{"no words", nil, 5, []surveys.LiveWord{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			evs := evList(evStaff(surveys.EventOpen, "words"))
			for _, w := range tc.words {
				for i := range w.people {
					evs = append(evs, evWords(w.word+person(i), person(i), w.word))
				}
			}
			s, st := room(t, evs)
			if got := st.Results(s, "words", tc.threshold).Words; !reflect.DeepEqual(got, tc.want) {
				t.Errorf("words = %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestLiveWordCloudCountsPeople shows that a word is counted by the young
// people who gave it, once each, and only once moderated.
func TestLiveWordCloudCountsPeople(t *testing.T) {
	t.Parallel()
	evs := evList(evStaff(surveys.EventOpen, "words"))
	for i := range 6 {
		evs = append(evs, evWords("w"+person(i), person(i), "safe", "heard"),
			surveys.LiveEvent{ID: "held" + person(i), Kind: surveys.EventWords, By: person(i), Activity: "words", Words: []string{"rude"}, Hold: surveys.HoldProfanity},
			evWords("secret"+person(i), person(i), "secret"), evModerate(surveys.EventHide, "words", "secret"+person(i)+"/0"))
	}
	// one young person giving a word again and again is one
	for range 5 {
		evs = append(evs, evWords(fmt.Sprint("again", len(evs)), person(0), "loud"))
	}
	s, st := room(t, evs)
	r := st.Results(s, "words", threshold)
	want := []surveys.LiveWord{{Word: "safe", Size: 5, N: 6}, {Word: "heard", Size: 5, N: 6}, {Word: "loud", Size: 1, Hidden: true}}
	if !reflect.DeepEqual(r.Words, want) || r.Answered != 6 {
		t.Errorf("results = %+v\nwant words %+v from 6", r, want)
	}
}

func TestJoined(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		people int
		want   int
		ok     bool
	}{{0, 0, false}, {1, 0, false}, {threshold - 1, 0, false}, {threshold, threshold, true}, {30, 30, true}} {
		t.Run(fmt.Sprint(tc.people), func(t *testing.T) {
			t.Parallel()
			var evs []surveys.LiveEvent
			for i := range tc.people {
				evs = append(evs, evJoin(person(i)), evJoin(person(i)))
			}
			st := surveys.NewRoomState("s1")
			applyAll(roomSession(), st, evs)
			if n, ok := st.Joined(threshold); n != tc.want || ok != tc.ok {
				t.Errorf("Joined = %d, %t; want %d, %t", n, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestHeld(t *testing.T) {
	t.Parallel()
	s, st := room(t, evList(evStaff(surveys.EventOpen, "ideas"),
		evHeld("wait", "amy", "ideas", "Waiting", surveys.HoldPremoderate),
		evHeld("rude", "ben", "ideas", "Rude", surveys.HoldProfanity),
		evPost("shown", "cat", "ideas", "Shown"),
		evHeld("worry", "dan", "ideas", "Worried", surveys.HoldSafeguarding),
		evHeld("ok", "amy", "ideas", "Approved", surveys.HoldPremoderate),
		evModerate(surveys.EventApprove, "ideas", "ok"),
		evHeld("worry2", "eve", "ideas", "Worried, hidden", surveys.HoldSafeguarding),
		evModerate(surveys.EventHide, "ideas", "worry2"),
		evHeld("worry3", "fay", "ideas", "Worried too", surveys.HoldSafeguarding),
		evHeld("wait2", "gus", "ideas", "Waiting too", surveys.HoldPremoderate),
	))
	ids := func() []string {
		var out []string
		for _, p := range st.Act("ideas").Held() {
			out = append(out, p.ID)
		}
		return out
	}
	if got, want := ids(), []string{"worry", "worry3", "wait", "rude", "wait2"}; !slices.Equal(got, want) {
		t.Errorf("Held = %q; want %q: safeguarding first, then as they came", got, want)
	}
	mustApply(t, s, st, evModerate(surveys.EventApprove, "ideas", "wait"), evModerate(surveys.EventHide, "ideas", "worry"))
	if got, want := ids(), []string{"worry3", "rude", "wait2"}; !slices.Equal(got, want) {
		t.Errorf("Held once moderated = %q; want %q", got, want)
	}
	if got := st.Act("q").Held(); got != nil {
		t.Errorf("Held of an activity with no posts = %v", got)
	}
}

// TestNothingUnmoderatedReachesTheProjector fills a room with posts of
// every status, on every activity with texts, and looks through every
// activity's results, at every threshold, and every phone's ideas: only
// the posts the room may see are there.
func TestNothingUnmoderatedReachesTheProjector(t *testing.T) {
	t.Parallel()
	s := roomSession()
	st := surveys.NewRoomState(s.ID)
	var seen []string
	apply := func(evs ...surveys.LiveEvent) { mustApply(t, s, st, evs...) }
	for _, act := range []string{"ideas", "q", "words"} {
		apply(evStaff(surveys.EventOpen, act))
		// post posts text, by a young person of its own; a word cloud's
		// post is its first word.
		post := func(id, text string, hold surveys.HoldReason) {
			ev := evHeld(id, person(int(id[0]-'a')), act, text, hold)
			if act == "words" {
				ev = surveys.LiveEvent{ID: id, Kind: surveys.EventWords, By: ev.By, Activity: act, Words: []string{text}, Hold: hold}
			}
			apply(ev)
		}
		target := func(id string) string {
			if act == "words" {
				return id + "/0"
			}
			return id
		}
		// Seen: shown straight away, or approved.
		post("a", "seen-shown-"+act, surveys.HoldNone)
		post("b", "seen-approved-"+act, surveys.HoldPremoderate)
		post("c", "seen-approvedrude-"+act, surveys.HoldProfanity)
		apply(evModerate(surveys.EventApprove, act, target("b")), evModerate(surveys.EventApprove, act, target("c")))
		seen = append(seen, "seen-shown-"+act, "seen-approved-"+act, "seen-approvedrude-"+act)
		// Never seen.
		post("d", "never-waiting-"+act, surveys.HoldPremoderate)
		post("e", "never-rude-"+act, surveys.HoldProfanity)
		post("f", "never-flagged-"+act, surveys.HoldSafeguarding)
		post("g", "never-hidden-"+act, surveys.HoldNone)
		post("h", "never-hiddenheld-"+act, surveys.HoldProfanity)
		post("i", "never-unapproved-"+act, surveys.HoldPremoderate)
		post("j", "never-duplicate-"+act, surveys.HoldNone)
		post("k", "never-flaggedmerged-"+act, surveys.HoldSafeguarding)
		apply(evModerate(surveys.EventHide, act, target("g")), evModerate(surveys.EventHide, act, target("h")),
			evModerate(surveys.EventApprove, act, target("i")), evModerate(surveys.EventHide, act, target("i")),
			evMerge(act, target("j"), target("a")), evMerge(act, target("k"), target("a")))
		// A flagged post stays held whatever the facilitator tries.
		for _, ev := range []surveys.LiveEvent{evModerate(surveys.EventApprove, act, target("f")), evModerate(surveys.EventApprove, act, target("k"))} {
			if got := st.Apply(s, &ev); got != surveys.AppliedInvalid {
				t.Fatalf("approving a flagged post = %q", got)
			}
		}
	}
	apply(evStaff(surveys.EventOpen, "pick"), evDots("d", person(1), "pick", map[string]int{"a": 3}))

	for _, th := range []int{1, surveys.MinThreshold, threshold} {
		var all strings.Builder
		for _, act := range s.Activities {
			raw, err := json.Marshal(st.Results(s, act.ID, th))
			if err != nil {
				t.Fatal(err)
			}
			all.Write(raw)
			open := evStaff(surveys.EventOpen, act.ID) // each activity live in turn, for the phones
			st.Apply(s, &open)
			for i := range 11 {
				raw, err := json.Marshal(st.Phone(s, person(i), th).Ideas)
				if err != nil {
					t.Fatal(err)
				}
				all.Write(raw)
			}
		}
		text := all.String()
		if strings.Contains(text, "never-") {
			t.Errorf("threshold %d: a post not to be seen reached the projector or a phone's ideas:\n%s", th, text)
		}
		for _, word := range seen {
			if !strings.Contains(text, word) {
				t.Errorf("threshold %d: %q, moderated, is not shown", th, word)
			}
		}
	}
}

func TestPhone(t *testing.T) {
	t.Parallel()
	base := slices.Concat(evList(evJoin("amy"), evJoin("ben")), boardScene(),
		evList(evPost("amy2", "amy", "ideas", "Mine, waiting"), evLike("l", "amy", "ben1", true)))
	base[len(base)-2].Hold = surveys.HoldPremoderate
	for _, tc := range []struct {
		name  string
		given []surveys.LiveEvent
		who   string
		check func(t *testing.T, v *surveys.PhoneView)
	}{
		{"nothing live yet", evList(evJoin("amy")), "amy", func(t *testing.T, v *surveys.PhoneView) {
			if v.Activity != nil || v.Open || v.Ended || v.Choices != nil || v.Posts != nil || v.Ideas != nil || len(v.Likes) != 0 {
				t.Errorf("view = %+v; want nothing", v)
			}
		}},
		{"a poll, voted", voted("poll", []int{1}), person(0), func(t *testing.T, v *surveys.PhoneView) {
			if v.Activity == nil || v.Activity.ID != "poll" || !v.Open || !slices.Equal(v.Choices, []int{1}) {
				t.Errorf("view = %+v; want the open poll and the vote", v)
			}
		}},
		{"a poll, not voted", voted("poll", []int{1}), "ben", func(t *testing.T, v *surveys.PhoneView) {
			if v.Activity == nil || !v.Open || v.Choices != nil {
				t.Errorf("view = %+v; want the open poll and no vote", v)
			}
		}},
		{"a poll closed", slices.Concat(voted("poll", []int{1}), evList(evStaff(surveys.EventClose, "poll"))), person(0), func(t *testing.T, v *surveys.PhoneView) {
			if v.Activity == nil || v.Activity.ID != "poll" || v.Open || !slices.Equal(v.Choices, []int{1}) {
				t.Errorf("view = %+v; want the closed poll and the vote", v)
			}
		}},
		{"a rating", evList(evStaff(surveys.EventOpen, "rate"), evRate("r", "amy", 0, 4)), "amy", func(t *testing.T, v *surveys.PhoneView) {
			if v.Activity.ID != "rate" || !slices.Equal(v.Choices, []int{0, 4}) {
				t.Errorf("view = %+v; want the faces given", v)
			}
		}},
		{"an idea board", base, "amy", func(t *testing.T, v *surveys.PhoneView) {
			var posts []string
			for _, p := range v.Posts {
				posts = append(posts, p.ID+":"+string(p.Status))
			}
			if want := []string{"amy1:shown", "amy2:held"}; !slices.Equal(posts, want) {
				t.Errorf("posts = %q; want %q", posts, want)
			}
			if want := map[string]bool{"ben1": true}; !reflect.DeepEqual(v.Likes, want) {
				t.Errorf("likes = %v; want %v", v.Likes, want)
			}
			var ideas []string
			for _, i := range v.Ideas {
				ideas = append(ideas, i.ID)
			}
			if want := []string{"ben1", "amy1"}; !slices.Equal(ideas, want) {
				t.Errorf("ideas = %q; want %q", ideas, want)
			}
		}},
		{"an idea board, someone else's flagged post", base, "cat", func(t *testing.T, v *surveys.PhoneView) {
			var posts []string
			for _, p := range v.Posts {
				posts = append(posts, p.ID+":"+string(p.Status))
			}
			if want := []string{"cat1:held", "cat2:held", "cat3:hidden", "cat4:shown"}; !slices.Equal(posts, want) {
				t.Errorf("posts = %q; want %q, each with where it is", posts, want)
			}
			if len(v.Likes) != 0 || len(v.Ideas) != 2 {
				t.Errorf("likes %v, ideas %+v; want none, and the two shown", v.Likes, v.Ideas)
			}
		}},
		{"a dot vote among ideas", slices.Concat(base, evList(evStaff(surveys.EventOpen, "pick"), evDots("d", "amy", "pick", map[string]int{"ben1": 3}))),
			"amy", func(t *testing.T, v *surveys.PhoneView) {
				if v.Activity.ID != "pick" || !reflect.DeepEqual(v.Dots, map[string]int{"ben1": 3}) || len(v.Ideas) != 2 || v.Ideas[0].ID != "ben1" {
					t.Errorf("view = %+v; want the board's ideas and the dots", v)
				}
				if v.Posts != nil {
					t.Errorf("posts = %+v; the dot vote has none", v.Posts)
				}
			}},
		{"a dot vote among options", evList(evStaff(surveys.EventOpen, "dots"), evDots("d", "amy", "dots", map[string]int{"0": 1, "2": 4})),
			"amy", func(t *testing.T, v *surveys.PhoneView) {
				if v.Activity.ID != "dots" || !reflect.DeepEqual(v.Dots, map[string]int{"0": 1, "2": 4}) || v.Ideas != nil {
					t.Errorf("view = %+v; want the dots and no ideas", v)
				}
			}},
		{"an open question: no one else's answers", evList(evStaff(surveys.EventOpen, "q"), evPost("a", "amy", "q", "Mine"), evPost("b", "ben", "q", "His")),
			"amy", func(t *testing.T, v *surveys.PhoneView) {
				if len(v.Posts) != 1 || v.Posts[0].Text != "Mine" || v.Ideas != nil {
					t.Errorf("view = %+v; want the answer of its own only", v)
				}
			}},
		{"words", evList(evStaff(surveys.EventOpen, "words"), evWords("w", "amy", "safe", "warm")), "amy", func(t *testing.T, v *surveys.PhoneView) {
			if len(v.Posts) != 2 || v.Posts[1].Text != "warm" {
				t.Errorf("view = %+v; want the two words", v)
			}
		}},
		{"after the end", slices.Concat(voted("poll", []int{1}), evList(evEnd())), person(0), func(t *testing.T, v *surveys.PhoneView) {
			if v.Activity != nil || !v.Ended || v.Open || v.Choices != nil {
				t.Errorf("view = %+v; want ended and nothing more", v)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, st := room(t, tc.given)
			tc.check(t, st.Phone(s, tc.who, threshold))
		})
	}
}

func TestLiveResultsOfNoActivity(t *testing.T) {
	t.Parallel()
	s, st := room(t, nil)
	if r := st.Results(s, "nope", threshold); r != nil {
		t.Errorf("Results of an activity the session has not = %+v; want nil", r)
	}
	for _, act := range s.Activities {
		r := st.Results(s, act.ID, threshold)
		if r == nil || !r.Few || r.Answered != 0 {
			t.Errorf("Results of %s before anyone answered = %+v; want few", act.ID, r)
		}
	}
}
