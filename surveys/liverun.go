package surveys

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Running a session: starting it, taking in what phones and the console
// send, what happened on paper, and ending it.

// LiveRoom is a running session on this instance (package rooms).
type LiveRoom interface {
	// Submit stores events in the session's log and says what came of
	// each, once they are stored.
	Submit(ctx context.Context, events ...LiveEvent) ([]Applied, error)
	// View calls f with the session and its state, to read only.
	View(f func(s *LiveSession, st *RoomState))
}

// LiveRooms finds a started session's room.
type LiveRooms interface {
	OpenRoom(ctx context.Context, session string) (LiveRoom, error)
}

// Profanity says whether a text should be held for the facilitator
// because of its words (package profanity).
type Profanity interface {
	Holds(text string) bool
}

// Limits on what the facilitator records from paper.
const (
	MaxPaperNotes   = 50   // notes typed in at once
	MaxPaperNoteLen = 2000 // characters of one note
)

// PaperActivity is the activity a voice typed in from paper is said to
// come from.
const PaperActivity = "paper"

// Live runs sessions.
type Live struct {
	Sessions  LiveSessionStore
	Rooms     LiveRooms
	Themes    *Themes // codes posts, and looks for worries in them
	Profanity Profanity
	Voices    VoiceStore // flagged posts at once; the rest when the session ends
	Audit     *AuditLog
	Now       func() time.Time
	// Flagged, when set, is called after a post is flagged, so that the
	// safeguarding leads are alerted at once rather than at the next look.
	Flagged func()
}

// Start starts a prepared session: it gets a join code no session had
// before and a secret for the projector's link. Starting one that is live
// already changes nothing.
func (l *Live) Start(ctx context.Context, id string, groups []string) (*LiveSession, error) {
	s, err := l.Sessions.FindLiveSession(ctx, id)
	if err != nil {
		return nil, err
	}
	switch s.Status {
	case LiveRunning:
		return s, nil
	case LiveEnded:
		return nil, Errorf(ECONFLICT, "This session has ended; copy it to run it again.")
	}
	if err := s.Validate(groups); err != nil {
		return nil, err
	}
	if len(s.Activities) == 0 {
		return nil, Errorf(EINVALID, "Add an activity before starting the session.")
	}
	code, err := l.claimCode(ctx, id)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	s.Code, s.PresentKey, s.Status, s.Started = code, hex.EncodeToString(key), LiveRunning, l.Now().UTC()
	s, err = l.Sessions.UpdateLiveSession(ctx, id, s.Revision, s)
	if err != nil {
		return nil, err
	}
	return s, l.Audit.Record(ctx, AuditSessionStart, "session "+id, "join code "+code)
}

// claimCode finds a join code no session has had. Codes are many and
// sessions few, so a clash is rare and a few tries are plenty.
func (l *Live) claimCode(ctx context.Context, id string) (string, error) {
	for range 10 {
		code := NewJoinCode()
		err := l.Sessions.ClaimJoinCode(ctx, code, id)
		if err == nil {
			return code, nil
		}
		if ErrorCode(err) != ECONFLICT {
			return "", err
		}
	}
	return "", Errorf(EUNAVAILABLE, "No join code could be found. Try again.")
}

// Join finds the session a join code leads to, as typed.
func (l *Live) Join(ctx context.Context, typed string) (*LiveSession, error) {
	code, ok := NormalizeJoinCode(typed)
	if !ok {
		return nil, Errorf(EINVALID, "A join code has %d letters and numbers.", JoinCodeLength)
	}
	id, err := l.Sessions.FindJoinCode(ctx, code)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "There is no session with that code. Check it with the person running the session.")
	}
	if err != nil {
		return nil, err
	}
	return l.Sessions.FindLiveSession(ctx, id)
}

// Sent is what came of an event a phone sent.
type Sent struct {
	Applied Applied
	// Flagged says the safeguarding detector flagged a post: the phone
	// shows where to get help, there and then.
	Flagged bool
	Held    bool // the post waits for the facilitator
}

// Send takes in an event from the phone whose participant key is key.
// Posts are coded, checked for words that hold them, and looked at by the
// safeguarding detector before they are stored; a flagged post is stored
// as a voice and flagged for the safeguarding lead first, so that a worry
// is never lost, and is never shown to the room.
func (l *Live) Send(ctx context.Context, s *LiveSession, key string, ev LiveEvent) (Sent, error) {
	if s.Status != LiveRunning {
		return Sent{}, Errorf(ECONFLICT, "This session is not running.")
	}
	ev.By, ev.Hold, ev.Themes = key, HoldNone, nil // set here, never by the phone
	// A young person counts once they answer: a join on its own would let
	// anyone with the code fill the room (MaxRoomPeople) without a word.
	if ev.Kind == EventJoin {
		return Sent{}, Errorf(EINVALID, "That answer does not fit this activity.")
	}
	CleanEvent(&ev)
	if err := CheckEvent(s, &ev); err != nil {
		return Sent{}, err
	}
	room, err := l.Rooms.OpenRoom(ctx, s.ID)
	if err != nil {
		return Sent{}, err
	}
	var sent Sent
	if ev.Kind == EventPost || ev.Kind == EventWords {
		if err := l.moderate(ctx, s, &ev); err != nil {
			return Sent{}, err
		}
		sent.Flagged, sent.Held = ev.Hold == HoldSafeguarding, ev.Hold != HoldNone
	}
	out, err := room.Submit(ctx, ev)
	if err != nil {
		return Sent{}, err
	}
	sent.Applied = out[0]
	switch sent.Applied {
	case AppliedClosed:
		return sent, Errorf(ECONFLICT, "This activity is not taking answers now.")
	case AppliedLimit:
		return sent, Errorf(EINVALID, "You have sent as many as you can to this activity: %d.", MaxLivePosts)
	case AppliedInvalid:
		return sent, Errorf(EINVALID, "That answer does not fit this activity any more.")
	}
	return sent, nil
}

// moderate sets why a post is held, if it is, and the coder's themes.
func (l *Live) moderate(ctx context.Context, s *LiveSession, ev *LiveEvent) error {
	texts := ev.Words
	if ev.Kind == EventPost {
		texts = []string{ev.Text}
	}
	var flagged []*Voice
	for i, text := range texts {
		c := l.Themes.Code(text, "")
		if ev.Kind == EventPost {
			ev.Themes = c.ThemeKeys()
		}
		if c.Risk.Flag {
			id := ev.ID
			if ev.Kind == EventWords {
				id += "/" + strconv.Itoa(i)
			}
			flagged = append(flagged, l.voiceOf(s, ev.Activity, id, text, c))
		}
		switch {
		case c.Risk.Flag:
			ev.Hold = HoldSafeguarding
		case ev.Hold == HoldNone && l.Profanity != nil && l.Profanity.Holds(text):
			ev.Hold = HoldProfanity
		}
	}
	if ev.Hold == HoldNone && s.Premoderate {
		ev.Hold = HoldPremoderate
	}
	if len(flagged) > 0 {
		if err := l.Voices.AddVoices(ctx, flagged); err != nil {
			return fmt.Errorf("flag a post: %w", err)
		}
		if l.Flagged != nil {
			l.Flagged()
		}
	}
	return nil
}

// voiceOf makes the voice of a post. Its id depends only on the session
// and the post's id, so that the post flagged on arrival and the same
// post stored at the end are one voice.
func (l *Live) voiceOf(s *LiveSession, activity, post, text string, c Coding) *Voice {
	return &Voice{ID: VoiceID(ChannelSession, s.ID, post), Channel: ChannelSession,
		Source: VoiceSource{Session: s.ID, Activity: activity}, Text: text, Day: s.Date, Machine: c}
}

// Facilitate takes in what the facilitator did in the console.
func (l *Live) Facilitate(ctx context.Context, s *LiveSession, ev LiveEvent) (Applied, error) {
	if s.Status != LiveRunning {
		return "", Errorf(ECONFLICT, "This session is not running.")
	}
	ev.By = ""
	if ev.ID == "" {
		ev.ID = randomID()
	}
	if err := CheckEvent(s, &ev); err != nil {
		return "", err
	}
	if ev.Kind == EventTheme {
		if err := checkReview(l.Themes.Codebook(), ev.Themes, Neutral); err != nil {
			return "", err
		}
	}
	room, err := l.Rooms.OpenRoom(ctx, s.ID)
	if err != nil {
		return "", err
	}
	out, err := room.Submit(ctx, ev)
	if err != nil {
		return "", err
	}
	if out[0] == AppliedInvalid {
		return out[0], Errorf(EINVALID, "That cannot be done to this post.")
	}
	return out[0], nil
}

func randomID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// End ends a running session: nothing more is taken in, its ideas and
// answers join the voices (coded, with the facilitator's themes where
// they set them), and it is locked. Ending it again finishes what an
// interrupted end left undone.
func (l *Live) End(ctx context.Context, id, by string) (*LiveSession, error) {
	s, err := l.Sessions.FindLiveSession(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.Status == LiveDraft {
		return nil, Errorf(ECONFLICT, "This session has not started.")
	}
	room, err := l.Rooms.OpenRoom(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := room.Submit(ctx, LiveEvent{ID: "end", Kind: EventEnd}); err != nil {
		return nil, err
	}
	var voices []*Voice
	room.View(func(s *LiveSession, st *RoomState) { voices = l.sessionVoices(s, st, by) })
	if err := l.Voices.AddVoices(ctx, voices); err != nil {
		return nil, fmt.Errorf("store the session's voices: %w", err)
	}
	if s.Status == LiveEnded {
		return s, nil
	}
	s.Status, s.Ended = LiveEnded, l.Now().UTC()
	if s, err = l.Sessions.UpdateLiveSession(ctx, id, s.Revision, s); err != nil {
		return nil, err
	}
	return s, l.Audit.Record(ctx, AuditSessionEnd, "session "+id, fmt.Sprintf("%d ideas and answers", len(voices)))
}

// sessionVoices makes a voice of every idea and answer but those the
// facilitator hid and those held for their words and never approved.
// Words of a word cloud are left out: a word alone says too little to
// code. Flagged posts were stored when they came.
func (l *Live) sessionVoices(s *LiveSession, st *RoomState, by string) []*Voice {
	var out []*Voice
	for _, act := range s.Activities {
		if act.Kind != ActivityIdeas && act.Kind != ActivityQuestion {
			continue
		}
		for _, p := range st.Act(act.ID).Posts {
			if p.Status == PostHidden || p.Hold == HoldSafeguarding || (p.Status == PostHeld && p.Hold == HoldProfanity) {
				continue
			}
			c := l.Themes.Code(p.Text, "")
			v := l.voiceOf(s, act.ID, p.ID, p.Text, c)
			if p.Reviewed {
				v.Review = &VoiceReview{Themes: slices.Clone(p.Themes), Sentiment: c.Sentiment, By: by, At: l.Now().UTC()}
			}
			out = append(out, v)
		}
	}
	return out
}

// AddPaper stores what young people said on paper (flip charts,
// post-its), typed in by the facilitator, as voices of the session. token
// is the form's own, so that a form sent twice stores its notes once.
func (l *Live) AddPaper(ctx context.Context, id, token string, notes []string) (int, error) {
	s, err := l.Sessions.FindLiveSession(ctx, id)
	if err != nil {
		return 0, err
	}
	if s.Status == LiveDraft {
		return 0, Errorf(ECONFLICT, "Start the session before typing in what was said on paper.")
	}
	errs := fieldErrors{}
	switch {
	case len(notes) == 0:
		errs.add("notes", "type in at least one note")
	case len(notes) > MaxPaperNotes:
		errs.add("notes", fmt.Sprintf("at most %d notes at once", MaxPaperNotes))
	}
	for i, n := range notes {
		checkLength(errs, fmt.Sprintf("notes.%d", i), n, true, MaxPaperNoteLen)
	}
	if err := errs.err("The notes have mistakes."); err != nil {
		return 0, err
	}
	voices := make([]*Voice, len(notes))
	for i, n := range notes {
		voices[i] = l.voiceOf(s, PaperActivity, "paper/"+token+"/"+strconv.Itoa(i), n, l.Themes.Code(n, ""))
	}
	if err := l.Voices.AddVoices(ctx, voices); err != nil {
		return 0, fmt.Errorf("store notes from paper: %w", err)
	}
	return len(voices), l.Audit.Record(ctx, AuditSessionPaper, "session "+id, fmt.Sprintf("%d notes", len(voices)))
}

// SetAttendance records how many young people came, by age band.
func (l *Live) SetAttendance(ctx context.Context, id string, revision int, counts map[string]int) (*LiveSession, error) {
	errs := fieldErrors{}
	for band, n := range counts {
		switch {
		case !slices.Contains(AttendanceBands, band):
			errs.add("attendance", fmt.Sprintf("%q is not an age band", band))
		case n < 0 || n > MaxAttendance:
			errs.add("attendance."+band, fmt.Sprintf("must be from 0 to %d", MaxAttendance))
		}
	}
	if err := errs.err("The attendance has mistakes."); err != nil {
		return nil, err
	}
	s, err := l.Sessions.FindLiveSession(ctx, id)
	if err != nil {
		return nil, err
	}
	s.Attendance = map[string]int{}
	total := 0
	for band, n := range counts {
		if n > 0 {
			s.Attendance[band] = n
			total += n
		}
	}
	if s, err = l.Sessions.UpdateLiveSession(ctx, id, revision, s); err != nil {
		return nil, err
	}
	return s, l.Audit.Record(ctx, AuditSessionCounts, "session "+id, fmt.Sprintf("%d young people", total))
}

// SetPublished chooses the activities whose results young people see on
// "you said, we did" once the session has ended.
func (l *Live) SetPublished(ctx context.Context, id string, revision int, activities []string) (*LiveSession, error) {
	s, err := l.Sessions.FindLiveSession(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, a := range activities {
		if s.Activity(a) == nil {
			return nil, FieldsError("The choice has mistakes.", map[string]string{"publish": fmt.Sprintf("%q is not an activity of the session", a)})
		}
	}
	s.Published = slices.Clone(activities)
	return l.Sessions.UpdateLiveSession(ctx, id, revision, s)
}
