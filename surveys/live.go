package surveys

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A running session is a log of events: what phones sent (a vote, an
// idea, a like) and what the facilitator did (open an activity, reveal
// results, hide a post). Every instance of Heard applies the same log in
// the same order, so every instance comes to the same RoomState, whichever
// instance a phone or the projector is connected to. Apply is the only
// thing that changes a RoomState, and it is deterministic: it reads
// nothing but the state and the event.
//
// An event carries an id made where it was sent (the phone, the console),
// and applying one twice changes nothing: a phone that lost its signal
// sends again, and the vote or idea counts once. Events carry no time and
// nothing about the phone, only an anonymous participant key (see
// ParticipantKey), so that a session's log is as anonymous as a survey's
// answers.

// LiveEventKind is what an event does.
type LiveEventKind string

// Events from phones.
const (
	EventJoin  LiveEventKind = "join"  // a phone joined; Live.Send refuses it, as a young person counts once they answer
	EventVote  LiveEventKind = "vote"  // poll: Choices are the options chosen
	EventRate  LiveEventKind = "rate"  // rating: Choices are a face (1 to Faces, 0 for none) per statement
	EventPost  LiveEventKind = "post"  // idea board or open question: Text, and Column on a board
	EventWords LiveEventKind = "words" // word cloud: Words
	EventLike  LiveEventKind = "like"  // idea board: On likes Target, !On takes the like back
	EventDots  LiveEventKind = "dots"  // dot vote: Dots shares the dots among targets
)

// Events from the facilitator's console.
const (
	EventOpen    LiveEventKind = "open"    // Activity becomes the live one, taking answers
	EventClose   LiveEventKind = "close"   // Activity stops taking answers
	EventReveal  LiveEventKind = "reveal"  // On shows Activity's results on the projector; !On hides them
	EventApprove LiveEventKind = "approve" // the held post Target is shown
	EventHide    LiveEventKind = "hide"    // the post Target is hidden
	EventMerge   LiveEventKind = "merge"   // the post Target is a duplicate of Into
	EventTheme   LiveEventKind = "themes"  // the facilitator sets the post Target's Themes
	EventEnd     LiveEventKind = "end"     // the session ends; nothing changes after it
)

// Faces is how many faces a statement is rated on: 1 is the saddest.
const Faces = 5

// Limits on one event, besides the session's own (MaxAnswerLength and the
// like).
const (
	MaxEventID    = 64 // characters of an event's id
	MaxLiveWord   = 30 // characters of one word for a word cloud
	MaxLivePosts  = 20 // posts one young person may make to one activity
	MaxRoomPeople = 500
)

// HoldReason is why a post waits for the facilitator rather than going
// straight to the projector.
type HoldReason string

// Reasons a post is held.
const (
	HoldNone         HoldReason = ""
	HoldPremoderate  HoldReason = "premoderate"  // the session holds every post for approval
	HoldProfanity    HoldReason = "profanity"    // the profanity filter matched
	HoldSafeguarding HoldReason = "safeguarding" // the safeguarding detector flagged it: never shown
)

// LiveEvent is one entry of a session's log. Which fields it uses depends
// on its Kind.
type LiveEvent struct {
	ID       string         `json:"id"`
	Kind     LiveEventKind  `json:"k"`
	By       string         `json:"by,omitempty"` // the participant key; "" for the facilitator
	Activity string         `json:"a,omitempty"`
	Choices  []int          `json:"c,omitempty"`
	Text     string         `json:"t,omitempty"`
	Column   int            `json:"col,omitempty"`
	Words    []string       `json:"w,omitempty"`
	Target   string         `json:"to,omitempty"`
	Into     string         `json:"into,omitempty"`
	Dots     map[string]int `json:"d,omitempty"` // a dot vote's target (an option's index, or an idea's id) to dots
	On       bool           `json:"on,omitempty"`
	// Set when a post is taken in, before it is stored: why it is held,
	// and the coder's themes for the facilitator to accept or change.
	Hold   HoldReason `json:"h,omitempty"`
	Themes []string   `json:"th,omitempty"`
}

// ParticipantKey turns the token a phone holds for a session into the key
// its events carry. The token never leaves the phone's cookie; the key
// cannot be turned back into it, and a phone's keys in two sessions
// cannot be linked.
func ParticipantKey(session, token string) string {
	h := sha256.Sum256([]byte("heard-live\x00" + session + "\x00" + token))
	return hex.EncodeToString(h[:12])
}

// RoomState is a running session as its log has made it. It is kept in
// memory by each instance and saved now and then as a snapshot, so that an
// instance that starts late need not read the whole log. Its fields are
// exported for the snapshot; change it only with Apply.
type RoomState struct {
	Session string                    `json:"session"`
	Seq     int                       `json:"seq"`            // log batches applied
	Live    string                    `json:"live,omitempty"` // the activity on the projector and the phones
	Ended   bool                      `json:"ended,omitempty"`
	People  map[string]bool           `json:"people"` // participant keys that joined
	Acts    map[string]*ActivityState `json:"acts"`
}

// ActivityState is what one activity has gathered.
type ActivityState struct {
	Open     bool                      `json:"open,omitempty"` // taking answers
	Opened   bool                      `json:"opened,omitempty"`
	Revealed bool                      `json:"revealed,omitempty"`
	Votes    map[string][]int          `json:"votes,omitempty"` // poll and rating: participant to choices or faces
	Posts    []*LivePost               `json:"posts,omitempty"` // idea board, open question and word cloud, in arrival order
	Dots     map[string]map[string]int `json:"dots,omitempty"`  // participant to target to dots
}

// PostStatus is whether a post may be shown.
type PostStatus string

// Statuses of a post.
const (
	PostShown  PostStatus = "shown"
	PostHeld   PostStatus = "held"   // waiting for the facilitator (Hold says why)
	PostHidden PostStatus = "hidden" // the facilitator hid it
)

// LivePost is an idea, an answer or a word.
type LivePost struct {
	ID       string          `json:"id"`
	By       string          `json:"by"`
	Text     string          `json:"t"`
	Column   int             `json:"col,omitempty"`
	Status   PostStatus      `json:"s"`
	Hold     HoldReason      `json:"h,omitempty"`
	Likes    map[string]bool `json:"likes,omitempty"`
	Into     string          `json:"into,omitempty"` // merged into this post
	Themes   []string        `json:"th,omitempty"`   // the coder's, until Reviewed
	Reviewed bool            `json:"rev,omitempty"`  // the facilitator set Themes
}

// Visible reports whether the post may be shown to the room.
func (p *LivePost) Visible() bool { return p.Status == PostShown && p.Into == "" }

// NewRoomState is the state of a session whose log is empty.
func NewRoomState(session string) *RoomState {
	return &RoomState{Session: session, People: map[string]bool{}, Acts: map[string]*ActivityState{}}
}

// act returns the state of an activity, made when first needed.
func (st *RoomState) act(id string) *ActivityState {
	a := st.Acts[id]
	if a == nil {
		a = &ActivityState{}
		st.Acts[id] = a
	}
	return a
}

// Act returns the state of an activity, or an empty one that is not kept.
func (st *RoomState) Act(id string) *ActivityState {
	if a := st.Acts[id]; a != nil {
		return a
	}
	return &ActivityState{}
}

// Post returns the post with the id in an activity, or nil.
func (a *ActivityState) Post(id string) *LivePost {
	for _, p := range a.Posts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// Applied says what Apply made of an event.
type Applied string

// What Apply makes of events.
const (
	AppliedOK      Applied = "ok"
	AppliedAgain   Applied = "again"   // the same event was applied before: nothing changed
	AppliedClosed  Applied = "closed"  // the activity is not taking answers (or the session ended)
	AppliedLimit   Applied = "limit"   // the young person has posted MaxLivePosts to the activity
	AppliedInvalid Applied = "invalid" // the event does not fit the activity: nothing changed
)

// Apply applies one event to the state, for the session s as prepared,
// and says what came of it. The caller has checked the event's shape with
// CheckEvent when it was sent; Apply checks it again, so that an event
// CheckEvent refuses never changes the state, whoever sent it, and checks
// what depends on the order of events (is the activity open? has the post
// arrived?), which only the log's order settles.
func (st *RoomState) Apply(s *LiveSession, ev *LiveEvent) Applied {
	if st.Ended {
		return AppliedClosed
	}
	if CheckEvent(s, ev) != nil {
		return AppliedInvalid
	}
	if ev.By == "" {
		return st.applyStaff(s, ev)
	}
	if ev.Kind == EventJoin {
		if st.People[ev.By] {
			return AppliedAgain
		}
		if len(st.People) >= MaxRoomPeople {
			return AppliedClosed
		}
		st.People[ev.By] = true
		return AppliedOK
	}
	act := s.Activity(ev.Activity)
	if act == nil {
		return AppliedInvalid
	}
	a := st.act(act.ID)
	if ev.Kind == EventPost || ev.Kind == EventWords {
		if a.Post(ev.ID) != nil || a.Post(ev.ID+"/0") != nil {
			return AppliedAgain
		}
	}
	if !a.Open || (!st.People[ev.By] && len(st.People) >= MaxRoomPeople) {
		return AppliedClosed
	}
	out := AppliedInvalid
	switch ev.Kind {
	case EventVote, EventRate:
		out = a.vote(ev.By, ev.Choices)
	case EventPost:
		out = a.post(ev, ev.ID, ev.Text)
	case EventWords:
		out = a.words(ev)
	case EventLike:
		out = a.like(ev)
	case EventDots:
		out = st.dots(act, a, ev)
	}
	if out == AppliedOK {
		st.People[ev.By] = true // a phone whose join was lost still counts
	}
	return out
}

func (a *ActivityState) vote(by string, choices []int) Applied {
	if a.Votes == nil {
		a.Votes = map[string][]int{}
	}
	if slices.Equal(a.Votes[by], choices) {
		return AppliedAgain
	}
	a.Votes[by] = slices.Clone(choices)
	return AppliedOK
}

// post adds an idea, an answer or a word, unless its author has posted
// MaxLivePosts to the activity already.
func (a *ActivityState) post(ev *LiveEvent, id, text string) Applied {
	n := 0
	for _, p := range a.Posts {
		if p.By == ev.By {
			n++
		}
	}
	if n >= MaxLivePosts {
		return AppliedLimit
	}
	p := &LivePost{ID: id, By: ev.By, Text: text, Column: ev.Column, Status: PostShown, Hold: ev.Hold,
		Themes: slices.Clone(ev.Themes)}
	if ev.Hold != HoldNone {
		p.Status = PostHeld
	}
	a.Posts = append(a.Posts, p)
	return AppliedOK
}

// words adds each word of a word cloud as a post of its own, so that the
// facilitator can hide one word and keep the others. When no word is
// taken, it is because their author has posted all they may.
func (a *ActivityState) words(ev *LiveEvent) Applied {
	out := AppliedLimit
	for i, w := range ev.Words {
		if r := a.post(ev, ev.ID+"/"+strconv.Itoa(i), w); r == AppliedOK {
			out = r
		}
	}
	return out
}

func (a *ActivityState) like(ev *LiveEvent) Applied {
	p := a.Post(ev.Target)
	if p == nil || !p.Visible() || p.By == ev.By {
		return AppliedInvalid
	}
	if p.Likes[ev.By] == ev.On {
		return AppliedAgain
	}
	if p.Likes == nil {
		p.Likes = map[string]bool{}
	}
	if ev.On {
		p.Likes[ev.By] = true
	} else {
		delete(p.Likes, ev.By)
	}
	return AppliedOK
}

// dots records a young person's dots, replacing any they gave before. On
// a dot vote among an earlier board's ideas, each target must be an idea
// the room can see.
func (st *RoomState) dots(act *Activity, a *ActivityState, ev *LiveEvent) Applied {
	if act.FromIdeas != "" {
		board := st.Act(act.FromIdeas)
		for target := range ev.Dots {
			if p := board.Post(target); p == nil || !p.Visible() {
				return AppliedInvalid
			}
		}
	}
	given := make(map[string]int, len(ev.Dots))
	for k, n := range ev.Dots {
		if n > 0 {
			given[k] = n
		}
	}
	// Compared as kept, without the targets given no dots, so that the
	// same dots sent again are the same.
	if mapsEqual(a.Dots[ev.By], given) {
		return AppliedAgain
	}
	if a.Dots == nil {
		a.Dots = map[string]map[string]int{}
	}
	a.Dots[ev.By] = given
	return AppliedOK
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, n := range a {
		if b[k] != n {
			return false
		}
	}
	return true
}

// applyStaff applies the facilitator's events.
func (st *RoomState) applyStaff(s *LiveSession, ev *LiveEvent) Applied {
	if ev.Kind == EventEnd {
		st.Ended, st.Live = true, ""
		for _, a := range st.Acts {
			a.Open = false
		}
		return AppliedOK
	}
	act := s.Activity(ev.Activity)
	if act == nil {
		return AppliedInvalid
	}
	a := st.act(act.ID)
	switch ev.Kind {
	case EventOpen:
		for id, other := range st.Acts {
			if id != act.ID {
				other.Open = false
			}
		}
		if st.Live == act.ID && a.Open {
			return AppliedAgain
		}
		st.Live, a.Open, a.Opened = act.ID, true, true
	case EventClose:
		if !a.Open {
			return AppliedAgain
		}
		a.Open = false
	case EventReveal:
		if a.Revealed == ev.On {
			return AppliedAgain
		}
		a.Revealed = ev.On
	case EventApprove, EventHide, EventMerge, EventTheme:
		return a.moderate(ev)
	default:
		return AppliedInvalid
	}
	return AppliedOK
}

// moderate applies the facilitator's decision on a post. A post the
// safeguarding detector flagged can never be approved: it stays with the
// facilitator and the safeguarding lead.
func (a *ActivityState) moderate(ev *LiveEvent) Applied {
	p := a.Post(ev.Target)
	if p == nil {
		return AppliedInvalid
	}
	switch ev.Kind {
	case EventApprove:
		if p.Hold == HoldSafeguarding {
			return AppliedInvalid
		}
		p.Status = PostShown
	case EventHide:
		p.Status = PostHidden
	case EventMerge:
		into := a.Post(ev.Into)
		if into == nil || into == p || into.Into != "" || !into.Visible() {
			return AppliedInvalid
		}
		p.Into = into.ID
		for _, q := range a.Posts { // what was merged into p moves with it
			if q.Into == p.ID {
				q.Into = into.ID
			}
		}
	case EventTheme:
		p.Themes, p.Reviewed = slices.Clone(ev.Themes), true
	}
	return AppliedOK
}

// CheckEvent checks an event's shape against the session as prepared: the
// activity exists and is of the right kind, choices and dots are within
// range, texts within their limits. It does not look at the state. It
// returns an EINVALID error saying what is wrong, in words for the young
// person or facilitator who sent it.
func CheckEvent(s *LiveSession, ev *LiveEvent) error {
	if ev.ID == "" || len(ev.ID) > MaxEventID || strings.ContainsAny(ev.ID, "/\x00") {
		return Errorf(EINVALID, "Each answer needs an id of at most %d characters, without slashes.", MaxEventID)
	}
	switch {
	case ev.Kind == EventJoin:
		return nil
	case ev.Kind == EventEnd && ev.By == "":
		return nil
	case ev.Kind == EventEnd:
		return Errorf(EINVALID, "Only the person running the session can end it.")
	}
	act := s.Activity(ev.Activity)
	if act == nil {
		return Errorf(EINVALID, "There is no such activity in this session.")
	}
	if ev.By == "" {
		return checkStaffEvent(act, ev)
	}
	want := map[LiveEventKind]ActivityKind{EventVote: ActivityPoll, EventRate: ActivityRating,
		EventPost: act.Kind, EventWords: ActivityWords, EventLike: ActivityIdeas, EventDots: ActivityDots}
	if k, ok := want[ev.Kind]; !ok || k != act.Kind || (ev.Kind == EventPost && k != ActivityIdeas && k != ActivityQuestion) {
		return Errorf(EINVALID, "That answer does not fit this activity.")
	}
	switch ev.Kind {
	case EventVote:
		return checkVote(act, ev.Choices)
	case EventRate:
		return checkRating(act, ev.Choices)
	case EventPost:
		return checkPost(act, ev)
	case EventWords:
		return checkWords(act, ev.Words)
	case EventLike:
		if ev.Target == "" {
			return Errorf(EINVALID, "Say which idea you like.")
		}
	case EventDots:
		return checkDots(act, ev.Dots)
	}
	return nil
}

func checkStaffEvent(act *Activity, ev *LiveEvent) error {
	switch ev.Kind {
	case EventOpen, EventClose, EventReveal:
		return nil
	case EventApprove, EventHide:
		if ev.Target != "" {
			return nil
		}
	case EventMerge:
		if ev.Target != "" && ev.Into != "" && ev.Target != ev.Into {
			return nil
		}
	case EventTheme:
		if ev.Target != "" && len(ev.Themes) <= MaxCodedThemes {
			return nil
		}
	}
	return Errorf(EINVALID, "That does not fit the %s activity.", act.Kind)
}

func checkVote(act *Activity, choices []int) error {
	switch {
	case len(choices) == 0:
		return Errorf(EINVALID, "Choose an answer.")
	case len(choices) > 1 && !act.Multiple:
		return Errorf(EINVALID, "Choose one answer.")
	}
	seen := map[int]bool{}
	for _, c := range choices {
		if c < 0 || c >= len(act.Options) || seen[c] {
			return Errorf(EINVALID, "That is not one of the answers.")
		}
		seen[c] = true
	}
	return nil
}

func checkRating(act *Activity, faces []int) error {
	if len(faces) != len(act.Statements) {
		return Errorf(EINVALID, "Give a face for each statement, or none.")
	}
	rated := false
	for _, f := range faces {
		if f < 0 || f > Faces {
			return Errorf(EINVALID, "Choose one of the faces.")
		}
		rated = rated || f > 0
	}
	if !rated {
		return Errorf(EINVALID, "Choose a face for at least one statement.")
	}
	return nil
}

func checkPost(act *Activity, ev *LiveEvent) error {
	n := utf8.RuneCountInString(strings.TrimSpace(ev.Text))
	switch {
	case n == 0:
		return Errorf(EINVALID, "Write something first.")
	case n > MaxAnswerLength || !utf8.ValidString(ev.Text):
		return Errorf(EINVALID, "That is too long: at most %d characters.", MaxAnswerLength)
	case ev.Column < 0 || (ev.Column > 0 && ev.Column >= len(act.Columns)):
		return Errorf(EINVALID, "Choose one of the columns.")
	}
	return nil
}

func checkWords(act *Activity, words []string) error {
	if len(words) == 0 || len(words) > act.Words {
		return Errorf(EINVALID, "Give from 1 to %d words.", act.Words)
	}
	for _, w := range words {
		n := utf8.RuneCountInString(strings.TrimSpace(w))
		if n == 0 || n > MaxLiveWord || !utf8.ValidString(w) {
			return Errorf(EINVALID, "Each word must be 1 to %d letters.", MaxLiveWord)
		}
	}
	return nil
}

func checkDots(act *Activity, dots map[string]int) error {
	total := 0
	for target, n := range dots {
		if n < 0 || n > act.Dots {
			return Errorf(EINVALID, "You have %d dots to share out.", act.Dots)
		}
		if act.FromIdeas == "" {
			i, err := strconv.Atoi(target)
			if err != nil || i < 0 || i >= len(act.Options) || strconv.Itoa(i) != target {
				return Errorf(EINVALID, "That is not one of the options.")
			}
		} else if target == "" || len(target) > MaxEventID+4 {
			return Errorf(EINVALID, "That is not one of the ideas.")
		}
		total += n
	}
	switch {
	case total == 0:
		return Errorf(EINVALID, "Put at least one dot on something.")
	case total > act.Dots:
		return Errorf(EINVALID, "You have %d dots to share out, not %d.", act.Dots, total)
	}
	return nil
}

// CleanEvent tidies what a phone sent before it is checked: texts trimmed,
// words folded to lower case so that a cloud counts "Safe" and "safe" as
// one, a poll's choices in order so that a vote sent again is the same.
func CleanEvent(ev *LiveEvent) {
	ev.Text = strings.TrimSpace(ev.Text)
	for i, w := range ev.Words {
		ev.Words[i] = strings.ToLower(strings.TrimSpace(w))
	}
	if ev.Kind == EventVote {
		slices.Sort(ev.Choices)
	}
}

// String names an event for logs: its kind and activity, never its text.
func (ev *LiveEvent) String() string {
	return fmt.Sprintf("%s %s", ev.Kind, ev.Activity)
}

// LiveLog keeps running sessions' logs: batches of events, each stored at
// a position of its session's log, once. Appending at a position another
// writer took fails, so that every instance sees one order without
// transactions; reading by position is a read by _id, the one read the
// embedded server does fast.
type LiveLog interface {
	// AppendLive stores a batch at position pos (from 1) of the session's
	// log; ECONFLICT when that position is taken.
	AppendLive(ctx context.Context, session string, pos int, batch []LiveEvent) error
	// ReadLive returns the batch at pos, or ENOTFOUND when there is none
	// yet.
	ReadLive(ctx context.Context, session string, pos int) ([]LiveEvent, error)
	// SaveRoom keeps a snapshot of a session's state, so that an instance
	// starts from it rather than from the first batch.
	SaveRoom(ctx context.Context, st *RoomState) error
	// FindRoom returns the latest snapshot kept of the session's state, or
	// ENOTFOUND.
	FindRoom(ctx context.Context, session string) (*RoomState, error)
	// SetPresence records how many phones and screens follow the session
	// on one instance, at a time.
	SetPresence(ctx context.Context, session, instance string, n int, at time.Time) error
	// CountPresence adds up what every instance recorded since a time.
	CountPresence(ctx context.Context, session string, since time.Time) (int, error)
	// Changes gives the ids of sessions whose log has grown, where the
	// deployment can tell (a change stream on a replica set); it returns
	// nil where it cannot, and the rooms then look for new batches every
	// so often.
	Changes(ctx context.Context) <-chan string
}
