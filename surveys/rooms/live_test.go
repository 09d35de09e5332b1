package rooms

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/coder"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/mongotest"
)

// The surveys.Live service run end to end: the stores on the embedded
// database, the shipped coder and safeguarding detector, and a hub as the
// rooms.

const (
	testGroup   = "MADE North"
	facilitator = "fay@council.gov.uk"
	worry       = "i want to kill myself" // the detector flags it (see surveys/coder's tests)
	swearWord   = "frick"                 // the test's profanity list
)

// holdWords is a profanity filter made of a function.
type holdWords func(text string) bool

func (f holdWords) Holds(text string) bool { return f(text) }

type liveFixture struct {
	live     *surveys.Live
	sessions *mongo.LiveSessionStore
	voices   *mongo.VoiceStore
	flags    *mongo.FlagStore
	audit    *mongo.AuditStore
}

func newLiveFixture(t *testing.T) *liveFixture {
	t.Helper()
	db := mongotest.Open(t)
	clock := func() time.Time { return testStart }
	f := &liveFixture{sessions: mongo.NewLiveSessionStore(db), voices: mongo.NewVoiceStore(db),
		flags: mongo.NewFlagStore(db), audit: mongo.NewAuditStore(db)}
	audit := &surveys.AuditLog{Store: f.audit, Now: clock}
	themes := &surveys.Themes{Store: mongo.NewCodebookStore(db), Compile: coder.Compile, Default: coder.DefaultCodebook(),
		Audit: audit, Now: clock}
	if err := themes.Load(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	swears := holdWords(func(text string) bool { return strings.Contains(strings.ToLower(text), swearWord) })
	f.live = &surveys.Live{Sessions: f.sessions, Rooms: startHub(t, db, "a", nil), Themes: themes, Profanity: swears,
		Voices: f.voices, Audit: audit, Now: clock}
	return f
}

// draft stores a draft with an activity of each kind a phone posts to.
func (f *liveFixture) draft(t *testing.T, id string, premoderate bool) *surveys.LiveSession {
	t.Helper()
	s := &surveys.LiveSession{ID: id, Title: "Charter check", Date: "2026-11-23", Group: testGroup, Premoderate: premoderate,
		Status: surveys.LiveDraft, Revision: 1, Created: testStart, Updated: testStart,
		Activities: []surveys.Activity{
			{ID: "poll", Kind: surveys.ActivityPoll, Prompt: "Where should we meet?", Options: []string{"Library", "Youth centre"}},
			{ID: "board", Kind: surveys.ActivityIdeas, Prompt: "What should change?", Columns: []string{"What's good", "What should change"}},
			{ID: "ask", Kind: surveys.ActivityQuestion, Prompt: "Anything else?"},
			{ID: "cloud", Kind: surveys.ActivityWords, Prompt: "Today in two words", Words: 2},
		}}
	if err := f.sessions.CreateLiveSession(testCtx(t), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *liveFixture) start(t *testing.T, id string, premoderate bool) *surveys.LiveSession {
	t.Helper()
	f.draft(t, id, premoderate)
	s, err := f.live.Start(testCtx(t), id, []string{testGroup})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *liveFixture) facilitate(t *testing.T, s *surveys.LiveSession, ev surveys.LiveEvent) {
	t.Helper()
	if out, err := f.live.Facilitate(testCtx(t), s, ev); err != nil || out != surveys.AppliedOK {
		t.Fatalf("%s %s: %v %v", ev.Kind, ev.Target, out, err)
	}
}

// send sends a post from the phone with the token to the activity.
func (f *liveFixture) send(t *testing.T, s *surveys.LiveSession, token, activity, id, text string) surveys.Sent {
	t.Helper()
	ev := surveys.LiveEvent{ID: id, Kind: surveys.EventPost, Activity: activity, Text: text}
	sent, err := f.live.Send(testCtx(t), s, surveys.ParticipantKey(s.ID, token), ev)
	if err != nil {
		t.Fatalf("post %s: %v", id, err)
	}
	return sent
}

// view calls fn with the session's room as the hub holds it.
func (f *liveFixture) view(t *testing.T, id string, fn func(s *surveys.LiveSession, st *surveys.RoomState)) {
	t.Helper()
	room, err := f.live.Rooms.OpenRoom(testCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	room.View(fn)
}

// shown lists the ids of the ideas the projector shows.
func (f *liveFixture) shown(t *testing.T, id, activity string) []string {
	t.Helper()
	var ids []string
	f.view(t, id, func(s *surveys.LiveSession, st *surveys.RoomState) {
		for _, idea := range st.Results(s, activity, 1).Ideas {
			ids = append(ids, idea.ID)
		}
	})
	return ids
}

func (f *liveFixture) post(t *testing.T, id, activity, post string) *surveys.LivePost {
	t.Helper()
	var p surveys.LivePost
	f.view(t, id, func(_ *surveys.LiveSession, st *surveys.RoomState) {
		if found := st.Act(activity).Post(post); found != nil {
			p = *found
		}
	})
	return &p
}

func (f *liveFixture) sessionVoices(t *testing.T) map[string]*surveys.Voice {
	t.Helper()
	all, err := f.voices.FindVoices(testCtx(t), surveys.VoiceFilter{Channel: surveys.ChannelSession})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*surveys.Voice{}
	for _, v := range all {
		byID[v.ID] = v
	}
	return byID
}

// audits returns the audit log's entries of an action, newest first.
func (f *liveFixture) audits(t *testing.T, action surveys.AuditAction) []*surveys.AuditEntry {
	t.Helper()
	entries, err := f.audit.FindAudit(testCtx(t), surveys.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func (f *liveFixture) find(t *testing.T, id string) *surveys.LiveSession {
	t.Helper()
	s, err := f.sessions.FindLiveSession(testCtx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var joinCode = regexp.MustCompile(`^[` + surveys.CodeAlphabet + `]{6}$`)

// TestLiveStartAndJoin checks starting a session (a join code, a
// projector key, once) and joining it by its code as a phone types it.
func TestLiveStartAndJoin(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := testCtx(t)

	empty := f.draft(t, "empty", false)
	empty.Activities = nil
	if _, err := f.sessions.UpdateLiveSession(ctx, "empty", 1, empty); err != nil {
		t.Fatal(err)
	}
	f.draft(t, "elsewhere", false)
	for _, tc := range []struct {
		name, id string
		groups   []string
		want     string
	}{
		{"no such session", "nope", []string{testGroup}, surveys.ENOTFOUND},
		{"no activities", "empty", []string{testGroup}, surveys.EINVALID},
		{"a group the settings no longer have", "elsewhere", []string{"MADE South"}, surveys.EINVALID},
	} {
		if _, err := f.live.Start(ctx, tc.id, tc.groups); surveys.ErrorCode(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	for _, id := range []string{"empty", "elsewhere"} {
		if s := f.find(t, id); s.Status != surveys.LiveDraft || s.Code != "" {
			t.Errorf("%s after a refused start: %s with code %q", id, s.Status, s.Code)
		}
	}

	s := f.start(t, "s1", false)
	if !joinCode.MatchString(s.Code) || len(s.PresentKey) != 32 || s.Status != surveys.LiveRunning ||
		!s.Started.Equal(testStart) || s.Revision != 2 {
		t.Errorf("started %+v; want a 6-character code, a 32-digit key, running since now, revision 2", s)
	}
	again, err := f.live.Start(ctx, "s1", []string{testGroup})
	if err != nil || again.Code != s.Code || again.PresentKey != s.PresentKey || again.Revision != s.Revision {
		t.Errorf("started again: %+v (%v); want it as it was", again, err)
	}
	other := f.start(t, "s2", false)
	if other.Code == s.Code || other.PresentKey == s.PresentKey {
		t.Errorf("two sessions share code %s or key %s", s.Code, s.PresentKey)
	}
	starts := f.audits(t, surveys.AuditSessionStart)
	if len(starts) != 2 || !slices.ContainsFunc(starts, func(e *surveys.AuditEntry) bool {
		return e.Target == "session s1" && strings.Contains(e.Detail, s.Code)
	}) {
		t.Errorf("audit of the starts: %d entries, want one for each session, naming its code", len(starts))
	}

	unused := "222222"
	if unused == s.Code || unused == other.Code {
		unused = "333333"
	}
	for _, tc := range []struct {
		typed string
		want  string // the session's id, or the error's code
	}{
		{s.Code, "s1"},
		{strings.ToLower(s.Code[:3]) + " " + s.Code[3:], "s1"},
		{" " + strings.ToLower(s.Code[:2]) + "-" + s.Code[2:4] + " " + s.Code[4:] + " ", "s1"},
		{other.Code, "s2"},
		{s.Code[:5], surveys.EINVALID},
		{s.Code + "2", surveys.EINVALID},
		{"O0I1L!", surveys.EINVALID},
		{"", surveys.EINVALID},
		{unused, surveys.ENOTFOUND},
	} {
		got, err := f.live.Join(ctx, tc.typed)
		switch {
		case err != nil && surveys.ErrorCode(err) != tc.want:
			t.Errorf("join %q: %v, want %s", tc.typed, err, tc.want)
		case err == nil && got.ID != tc.want:
			t.Errorf("join %q: session %s, want %s", tc.typed, got.ID, tc.want)
		}
	}
}

// TestLiveModeration follows posts through moderation: shown at once,
// held for a word, flagged by the safeguarding detector (stored and
// flagged on arrival, never shown, never approved), and what the
// facilitator does with them: approve, hide, merge and theme.
func TestLiveModeration(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := testCtx(t)
	s := f.start(t, "s1", false)

	if _, err := f.live.Send(ctx, s, "k", surveys.LiveEvent{ID: "v1", Kind: surveys.EventVote, Activity: "poll", Choices: []int{0}}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("a vote before the poll opens: %v, want ECONFLICT", err)
	}
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "board"})

	if sent := f.send(t, s, "phone-1", "board", "p1", "  more buses please  "); sent != (surveys.Sent{Applied: surveys.AppliedOK}) {
		t.Errorf("an idea: %+v", sent)
	}
	if sent := f.send(t, s, "phone-1", "board", "p1", "more buses please"); sent.Applied != surveys.AppliedAgain {
		t.Errorf("the idea sent again: %+v", sent)
	}
	if p := f.post(t, "s1", "board", "p1"); p.Text != "more buses please" || !slices.Contains(p.Themes, "transport") || p.Reviewed {
		t.Errorf("the idea %+v; want it trimmed, with the coder's suggestion of transport", p)
	}
	f.send(t, s, "phone-2", "board", "p2", "more buses")
	f.send(t, s, "phone-3", "board", "p3", "the youth club is great")

	// A worry: held, flagged at once, never shown.
	if sent := f.send(t, s, "phone-2", "board", "w1", worry); sent != (surveys.Sent{Applied: surveys.AppliedOK, Flagged: true, Held: true}) {
		t.Errorf("a worrying post: %+v, want flagged and held", sent)
	}
	if p := f.post(t, "s1", "board", "w1"); p.Status != surveys.PostHeld || p.Hold != surveys.HoldSafeguarding {
		t.Errorf("the worrying post %+v, want held for safeguarding", p)
	}
	flags, err := f.flags.FindFlags(ctx, surveys.FlagFilter{})
	wantFlag := surveys.VoiceID(surveys.ChannelSession, "s1", "w1")
	if err != nil || len(flags) != 1 || flags[0].ID != wantFlag || flags[0].Channel != surveys.ChannelSession ||
		flags[0].Source.Session != "s1" || flags[0].Source.Activity != "board" || flags[0].Text != worry {
		t.Fatalf("flags %+v (%v), want the worrying post's", flags, err)
	}
	if _, err := f.live.Facilitate(ctx, s, surveys.LiveEvent{Kind: surveys.EventApprove, Activity: "board", Target: "w1"}); surveys.ErrorCode(err) != surveys.EINVALID {
		t.Errorf("approving the worrying post: %v, want EINVALID", err)
	}
	// Sent again from a phone that lost its signal: one post, one flag.
	if sent := f.send(t, s, "phone-2", "board", "w1", worry); sent != (surveys.Sent{Applied: surveys.AppliedAgain, Flagged: true, Held: true}) {
		t.Errorf("the worrying post sent again: %+v", sent)
	}
	if flags, err := f.flags.FindFlags(ctx, surveys.FlagFilter{}); err != nil || len(flags) != 1 {
		t.Errorf("%d flags after the worrying post was sent again (%v), want 1", len(flags), err)
	}

	// Held for a word until approved.
	if sent := f.send(t, s, "phone-3", "board", "x1", "this is Fricking rubbish"); sent != (surveys.Sent{Applied: surveys.AppliedOK, Held: true}) {
		t.Errorf("a post with a listed word: %+v, want held", sent)
	}
	if p := f.post(t, "s1", "board", "x1"); p.Hold != surveys.HoldProfanity || p.Status != surveys.PostHeld {
		t.Errorf("the post with a listed word: %+v", p)
	}
	f.send(t, s, "phone-4", "board", "x2", "frick frick frick")
	if got := f.shown(t, "s1", "board"); !slices.Equal(got, []string{"p1", "p2", "p3"}) {
		t.Errorf("shown %v, want the three ideas and nothing held", got)
	}
	f.view(t, "s1", func(_ *surveys.LiveSession, st *surveys.RoomState) {
		var held []string
		for _, p := range st.Act("board").Held() {
			held = append(held, p.ID)
		}
		slices.Sort(held)
		if !slices.Equal(held, []string{"w1", "x1", "x2"}) {
			t.Errorf("held for the facilitator: %v", held)
		}
	})

	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventApprove, Activity: "board", Target: "x1"})
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventHide, Activity: "board", Target: "p3"})
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventMerge, Activity: "board", Target: "p2", Into: "p1"})
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventTheme, Activity: "board", Target: "p1", Themes: []string{"transport", "activities"}})
	for _, tc := range []struct {
		name string
		ev   surveys.LiveEvent
	}{
		{"a theme not in the codebook", surveys.LiveEvent{Kind: surveys.EventTheme, Activity: "board", Target: "p1", Themes: []string{"transport", "nope"}}},
		{"a theme twice", surveys.LiveEvent{Kind: surveys.EventTheme, Activity: "board", Target: "p1", Themes: []string{"transport", "transport"}}},
		{"no such post", surveys.LiveEvent{Kind: surveys.EventHide, Activity: "board", Target: "nope"}},
		{"a merge into a hidden post", surveys.LiveEvent{Kind: surveys.EventMerge, Activity: "board", Target: "x1", Into: "p3"}},
		{"a merge into itself", surveys.LiveEvent{Kind: surveys.EventMerge, Activity: "board", Target: "x1", Into: "x1"}},
		{"no such activity", surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "nope"}},
	} {
		if _, err := f.live.Facilitate(ctx, s, tc.ev); surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("%s: %v, want EINVALID", tc.name, err)
		}
	}
	if p := f.post(t, "s1", "board", "p1"); !slices.Equal(p.Themes, []string{"transport", "activities"}) || !p.Reviewed {
		t.Errorf("p1 after the facilitator's themes and the refused ones: %+v", p)
	}
	f.view(t, "s1", func(s *surveys.LiveSession, st *surveys.RoomState) {
		ideas := st.Results(s, "board", 1).Ideas
		if len(ideas) != 2 || ideas[0].ID != "p1" || ideas[0].Merged != 1 || ideas[1].ID != "x1" {
			t.Errorf("shown %+v; want p1 with p2 merged into it, and x1 approved", ideas)
		}
	})

	// A word cloud: each word is looked at; a worrying one is flagged
	// under its own id, and the event's words are held.
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "cloud"})
	words := func(id string, w ...string) surveys.Sent {
		t.Helper()
		sent, err := f.live.Send(ctx, s, surveys.ParticipantKey("s1", id), surveys.LiveEvent{ID: id, Kind: surveys.EventWords, Activity: "cloud", Words: w})
		if err != nil {
			t.Fatalf("words %s: %v", id, err)
		}
		return sent
	}
	if sent := words("c1", "Happy", "Safe"); sent != (surveys.Sent{Applied: surveys.AppliedOK}) {
		t.Errorf("two words: %+v", sent)
	}
	if sent := words("c2", "tired", "want to die"); sent != (surveys.Sent{Applied: surveys.AppliedOK, Flagged: true, Held: true}) {
		t.Errorf("a worrying word: %+v, want flagged and held", sent)
	}
	if sent := words("c3", "frick"); sent != (surveys.Sent{Applied: surveys.AppliedOK, Held: true}) {
		t.Errorf("a listed word: %+v, want held", sent)
	}
	if _, err := f.flags.FindFlag(ctx, surveys.VoiceID(surveys.ChannelSession, "s1", "c2/1")); err != nil {
		t.Errorf("the worrying word's flag: %v", err)
	}
	f.view(t, "s1", func(s *surveys.LiveSession, st *surveys.RoomState) {
		var cloud []string
		for _, w := range st.Results(s, "cloud", 1).Words {
			cloud = append(cloud, w.Word)
		}
		slices.Sort(cloud)
		if !slices.Equal(cloud, []string{"happy", "safe"}) {
			t.Errorf("the cloud shows %v, want happy and safe, in lower case, and nothing held", cloud)
		}
	})
}

// TestLivePremoderate checks that a session that premoderates holds
// every post until the facilitator approves it.
func TestLivePremoderate(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	s := f.start(t, "s1", true)
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "ask"})
	if sent := f.send(t, s, "phone-1", "ask", "a1", "more trips out"); sent != (surveys.Sent{Applied: surveys.AppliedOK, Held: true}) {
		t.Errorf("a post: %+v, want held", sent)
	}
	if p := f.post(t, "s1", "ask", "a1"); p.Hold != surveys.HoldPremoderate || p.Status != surveys.PostHeld {
		t.Errorf("the post %+v, want held for approval", p)
	}
	// The detector's reason wins over premoderation's.
	if sent := f.send(t, s, "phone-2", "ask", "a2", worry); !sent.Flagged {
		t.Errorf("a worrying post: %+v, want flagged", sent)
	}
	if p := f.post(t, "s1", "ask", "a2"); p.Hold != surveys.HoldSafeguarding {
		t.Errorf("the worrying post %+v, want held for safeguarding", p)
	}
	if got := f.shown(t, "s1", "ask"); len(got) != 0 {
		t.Errorf("shown before approval: %v", got)
	}
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventApprove, Activity: "ask", Target: "a1"})
	if got := f.shown(t, "s1", "ask"); !slices.Equal(got, []string{"a1"}) {
		t.Errorf("shown after approval: %v, want a1", got)
	}
}

// TestLiveEnd checks ending a session: its ideas and answers become
// voices (with the facilitator's themes, without what they hid or never
// approved), it is locked, and ending it again stores nothing twice.
func TestLiveEnd(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := testCtx(t)
	if _, err := f.live.End(ctx, f.draft(t, "draft", false).ID, facilitator); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("ending a draft: %v, want ECONFLICT", err)
	}
	s := f.start(t, "s1", false)
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "board"})
	f.send(t, s, "phone-1", "board", "p1", "more buses please")
	f.send(t, s, "phone-2", "board", "p2", "more buses")
	f.send(t, s, "phone-3", "board", "hidden", "the youth club is great")
	f.send(t, s, "phone-3", "board", "held", "frick this")
	f.send(t, s, "phone-4", "board", "w1", worry)
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventHide, Activity: "board", Target: "hidden"})
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventMerge, Activity: "board", Target: "p2", Into: "p1"})
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventTheme, Activity: "board", Target: "p1", Themes: []string{"activities"}})
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "ask"})
	f.send(t, s, "phone-1", "ask", "a1", "thanks for listening")
	f.facilitate(t, s, surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "poll"})
	if _, err := f.live.Send(ctx, s, "k", surveys.LiveEvent{ID: "v1", Kind: surveys.EventVote, Activity: "poll", Choices: []int{1}}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.sessionVoices(t)); n != 1 {
		t.Fatalf("%d voices before the end, want the flagged one", n)
	}

	ended, err := f.live.End(ctx, "s1", facilitator)
	if err != nil {
		t.Fatal(err)
	}
	if ended.Status != surveys.LiveEnded || !ended.Ended.Equal(testStart) || ended.Code != s.Code {
		t.Errorf("ended %+v", ended)
	}
	want := map[string]string{"p1": "board", "p2": "board", "w1": "board", "a1": "ask"}
	check := func(when string) {
		t.Helper()
		voices := f.sessionVoices(t)
		if len(voices) != len(want) {
			t.Errorf("%s: %d voices, want %d: p1, p2 (merged, still a voice), w1 (flagged) and a1", when, len(voices), len(want))
		}
		for post, activity := range want {
			v := voices[surveys.VoiceID(surveys.ChannelSession, "s1", post)]
			if v == nil {
				t.Errorf("%s: no voice of %s", when, post)
				continue
			}
			if v.Channel != surveys.ChannelSession || v.Source.Session != "s1" || v.Source.Activity != activity || v.Day != "2026-11-23" ||
				v.Machine.Codebook != 1 {
				t.Errorf("%s: voice of %s: %+v", when, post, v)
			}
			switch {
			case post == "p1" && (v.Review == nil || !slices.Equal(v.Review.Themes, []string{"activities"}) || v.Review.By != facilitator):
				t.Errorf("%s: p1's review %+v, want the facilitator's themes", when, v.Review)
			case post != "p1" && v.Review != nil:
				t.Errorf("%s: %s reviewed: %+v", when, post, v.Review)
			}
		}
	}
	check("after the end")

	if _, err := f.live.Send(ctx, s, "k", surveys.LiveEvent{ID: "late", Kind: surveys.EventPost, Activity: "board", Text: "late"}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("a post sent with the session as it was before the end: %v, want ECONFLICT", err)
	}
	if _, err := f.live.Send(ctx, ended, "k", surveys.LiveEvent{ID: "late", Kind: surveys.EventPost, Activity: "board", Text: "late"}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("a post to the ended session: %v, want ECONFLICT", err)
	}
	if _, err := f.live.Facilitate(ctx, ended, surveys.LiveEvent{Kind: surveys.EventOpen, Activity: "board"}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("facilitating the ended session: %v, want ECONFLICT", err)
	}
	if _, err := f.live.Start(ctx, "s1", []string{testGroup}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("starting the ended session: %v, want ECONFLICT", err)
	}

	again, err := f.live.End(ctx, "s1", facilitator)
	if err != nil || again.Revision != ended.Revision || again.Status != surveys.LiveEnded {
		t.Errorf("ended again: %+v (%v), want it as it was", again, err)
	}
	check("after ending again")
	if got := f.audits(t, surveys.AuditSessionEnd); len(got) != 1 || got[0].Target != "session s1" {
		t.Errorf("audit of the end: %+v, want one entry", got)
	}
	f.view(t, "s1", func(_ *surveys.LiveSession, st *surveys.RoomState) {
		if !st.Ended || st.Live != "" || len(st.Act("poll").Votes) != 1 {
			t.Errorf("room after the end: ended %v, live %q, votes %v", st.Ended, st.Live, st.Act("poll").Votes)
		}
	})
}

// TestLivePaper checks notes typed in from paper: stored as voices of the
// session once however often the form is sent, within their limits, and
// nothing stored when any note is wrong.
func TestLivePaper(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := testCtx(t)
	if _, err := f.live.AddPaper(ctx, f.draft(t, "draft", false).ID, "t0", []string{"a note"}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("notes for a draft: %v, want ECONFLICT", err)
	}
	if _, err := f.live.AddPaper(ctx, "nope", "t0", []string{"a note"}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("notes for no session: %v, want ENOTFOUND", err)
	}
	f.start(t, "s1", false)
	notes := []string{"We want more trips out", "Buses to contact are too long"}
	for range 2 {
		if n, err := f.live.AddPaper(ctx, "s1", "t1", notes); err != nil || n != 2 {
			t.Fatalf("notes: %d (%v)", n, err)
		}
	}
	voices := f.sessionVoices(t)
	if len(voices) != 2 {
		t.Fatalf("%d voices after the form was sent twice, want 2", len(voices))
	}
	for i, note := range notes {
		v := voices[surveys.VoiceID(surveys.ChannelSession, "s1", "paper/t1/"+string(rune('0'+i)))]
		if v == nil || v.Text != note || v.Source.Session != "s1" || v.Source.Activity != surveys.PaperActivity || v.Day != "2026-11-23" {
			t.Errorf("voice of note %d: %+v", i, v)
		}
	}

	long := strings.Repeat("é", surveys.MaxPaperNoteLen) // characters, not bytes
	most := make([]string, surveys.MaxPaperNotes)
	for i := range most {
		most[i] = "note"
	}
	most[0] = long
	for _, tc := range []struct {
		name  string
		notes []string
	}{
		{"no notes", nil},
		{"a blank note", []string{"a note", "  "}},
		{"a note too long", []string{"a note", long + "é"}},
		{"too many notes", append(slices.Clone(most), "one more")},
	} {
		if _, err := f.live.AddPaper(ctx, "s1", "bad", tc.notes); surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("%s: %v, want EINVALID", tc.name, err)
		}
	}
	if n := len(f.sessionVoices(t)); n != 2 {
		t.Errorf("%d voices after the refused forms, want 2", n)
	}
	if n, err := f.live.AddPaper(ctx, "s1", "t2", most); err != nil || n != surveys.MaxPaperNotes {
		t.Errorf("%d notes at the limits: %d (%v)", len(most), n, err)
	}
	if n := len(f.sessionVoices(t)); n != 2+surveys.MaxPaperNotes {
		t.Errorf("%d voices, want %d", n, 2+surveys.MaxPaperNotes)
	}
	if got := f.audits(t, surveys.AuditSessionPaper); len(got) != 3 {
		t.Errorf("%d audit entries of notes, want 3 (the refused forms have none)", len(got))
	}
}

// TestLiveAttendance checks attendance: numbers by age band, within the
// limit, from the revision the facilitator saw.
func TestLiveAttendance(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := testCtx(t)
	s := f.start(t, "s1", false)
	for _, tc := range []struct {
		name   string
		counts map[string]int
	}{
		{"a band that is not one", map[string]int{"8-11": 3, "adults": 2}},
		{"too many", map[string]int{"12-15": surveys.MaxAttendance + 1}},
		{"fewer than none", map[string]int{"12-15": -1}},
	} {
		if _, err := f.live.SetAttendance(ctx, "s1", s.Revision, tc.counts); surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("%s: %v, want EINVALID", tc.name, err)
		}
	}
	if got := f.find(t, "s1"); got.Revision != s.Revision || got.Attendance != nil {
		t.Errorf("after refused counts: revision %d, attendance %v", got.Revision, got.Attendance)
	}
	saved, err := f.live.SetAttendance(ctx, "s1", s.Revision, map[string]int{"8-11": 4, "12-15": 0, "not known": 1, "19-21": surveys.MaxAttendance})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"8-11": 4, "not known": 1, "19-21": surveys.MaxAttendance}
	if got := f.find(t, "s1"); got.Revision != s.Revision+1 || !maps.Equal(got.Attendance, want) || saved.Revision != got.Revision {
		t.Errorf("attendance %v at revision %d, want %v at %d", got.Attendance, got.Revision, want, s.Revision+1)
	}
	if _, err := f.live.SetAttendance(ctx, "s1", s.Revision, map[string]int{"8-11": 5}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("counts from an old revision: %v, want ECONFLICT", err)
	}
	if got := f.audits(t, surveys.AuditSessionCounts); len(got) != 1 || got[0].Detail != "505 young people" {
		t.Errorf("audit of the attendance: %+v", got)
	}

	if _, err := f.live.SetPublished(ctx, "s1", saved.Revision, []string{"poll", "nope"}); surveys.ErrorCode(err) != surveys.EINVALID {
		t.Errorf("publishing an activity the session lacks: %v, want EINVALID", err)
	}
	if got, err := f.live.SetPublished(ctx, "s1", saved.Revision, []string{"poll", "board"}); err != nil || !slices.Equal(got.Published, []string{"poll", "board"}) {
		t.Errorf("published %v (%v)", got, err)
	}
}

// TestSendRefusesJoin: a phone cannot count itself in without answering,
// so that loads or posts of "join" cannot fill the room.
func TestSendRefusesJoin(t *testing.T) {
	t.Parallel()
	f := newLiveFixture(t)
	ctx := testCtx(t)
	s := f.start(t, "sj", false)
	if _, err := f.live.Send(ctx, s, "k1", surveys.LiveEvent{ID: "j1", Kind: surveys.EventJoin}); surveys.ErrorCode(err) != surveys.EINVALID {
		t.Fatalf("a join from a phone: %v, want EINVALID", err)
	}
	f.view(t, s.ID, func(_ *surveys.LiveSession, st *surveys.RoomState) {
		if len(st.People) != 0 {
			t.Errorf("people after a refused join: %v", st.People)
		}
	})
}
