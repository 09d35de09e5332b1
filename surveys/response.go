package surveys

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Response is one young person's anonymous answers to one version of a
// survey. By construction it holds nothing that identifies them or their
// device: no name, account, address, user agent or precise time. Day is the
// UTC date it arrived, as "2006-01-02".
type Response struct {
	ID      string // a UUID made by the young person's device, so that a retry is stored once
	Survey  string
	Edition int
	Version string
	Lang    string
	Day     string
	Answers map[string]Answer
	// Voices are its text answers, coded on arrival; they are stored with
	// it, and a retry carries the same ones.
	Voices []*Voice
}

// Same reports whether r and o carry the same answers to the same survey
// version, which makes o a retry of r rather than a clash.
func (r *Response) Same(o *Response, v *Version) bool {
	if r.Survey != o.Survey || r.Version != o.Version || r.Lang != o.Lang || len(r.Answers) != len(o.Answers) {
		return false
	}
	for key, a := range r.Answers {
		b, ok := o.Answers[key]
		q := v.Question(key)
		if !ok || q == nil || !a.Equal(b, q.Type) {
			return false
		}
	}
	return true
}

// Submission is what a young person's device sends.
type Submission struct {
	ID      string
	Version string
	Lang    string
	Answers map[string]json.RawMessage
	Code    string // the access code as typed, when the survey needs one
}

// Receipt tells the device what happened to its submission.
type Receipt struct {
	ID      string
	Created bool // false when the same response had been stored already
	// ShowHelp asks the device to show, there and then, where to get help,
	// because an answer suggests the young person may not be safe. It is
	// never phrased to them as their answer being flagged.
	ShowHelp bool
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// NormalizeID returns a response id in lower case, and whether it is a UUID.
func NormalizeID(id string) (string, bool) {
	id = strings.ToLower(strings.TrimSpace(id))
	return id, uuidPattern.MatchString(id)
}

// Intake accepts young people's answers: it finds the survey and version,
// checks the survey is open and the answers are right, and hands the
// response to the store, which acknowledges only once it is durable.
type Intake struct {
	Surveys   SurveyStore
	Responses ResponseStore
	Now       func() time.Time
	// Coder codes each text answer as it arrives, safeguarding detector
	// first; a flagged answer makes the receipt ask for help to be shown.
	// Nil codes nothing (tests of other things).
	Coder Coder
	// Flagged, when set, is called after a response with a flagged answer
	// is stored, so that the safeguarding alerts go at once.
	Flagged func()
}

// Submit checks and stores one submission to the survey slug. It fails with
// ENOTFOUND for an unknown survey or version, ECONFLICT for a survey that is
// not open or an id already used by different answers, and EINVALID (with a
// message per question) for answers that break the survey's rules. On any
// failure nothing is stored.
func (in *Intake) Submit(ctx context.Context, slug string, sub Submission) (Receipt, error) {
	id, ok := NormalizeID(sub.ID)
	if !ok {
		return Receipt{}, FieldsError("The response id must be a UUID made by the device.", map[string]string{"id": "must be a UUID"})
	}
	s, v, err := in.Version(ctx, slug, sub.Version)
	if err != nil {
		return Receipt{}, err
	}
	if s.Status != StatusOpen {
		return Receipt{}, Errorf(ECONFLICT, "This survey is not open for answers.")
	}
	lang := sub.Lang
	if lang == "" {
		lang = DefaultLanguage
	}
	if !ValidLanguage(lang) {
		return Receipt{}, FieldsError("The language is not one Heard knows.", map[string]string{"lang": "must be a language code such as \"en\""})
	}
	answers, err := v.ParseAnswers(sub.Answers)
	if err != nil {
		return Receipt{}, err
	}
	codeHash, err := codeFor(s, sub.Code)
	if err != nil {
		return Receipt{}, err
	}
	r := &Response{
		ID:      id,
		Survey:  s.Slug,
		Edition: s.Edition,
		Version: v.Key,
		Lang:    lang,
		Day:     in.Now().UTC().Format(time.DateOnly),
		Answers: answers,
	}
	if in.Coder != nil {
		r.Voices = VoicesOf(s, v, r, in.Coder)
	}
	created, err := in.Responses.CreateResponse(ctx, s, r, codeHash)
	if err != nil {
		return Receipt{}, fmt.Errorf("submit to %q: %w", slug, err)
	}
	flagged := Flagged(r.Voices)
	if flagged && created && in.Flagged != nil {
		in.Flagged()
	}
	return Receipt{ID: id, Created: created, ShowHelp: flagged}, nil
}

// codeFor returns the hash of the access code a submission to s carries,
// or "" when s needs none. The code's state is checked when the response is
// stored, in the same step that spends it.
func codeFor(s *Survey, typed string) (string, error) {
	if !s.RequireCode {
		return "", nil
	}
	if strings.TrimSpace(typed) == "" {
		return "", codeProblem(EINVALID, ProblemCodeMissing)
	}
	code, ok := NormalizeCode(typed)
	if !ok {
		return "", codeProblem(EINVALID, ProblemCodeUnknown)
	}
	return HashCode(s.Slug, code), nil
}

// Version finds a survey and one of its versions, or fails with ENOTFOUND.
func (in *Intake) Version(ctx context.Context, slug, version string) (*Survey, *Version, error) {
	s, err := in.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	v := s.Version(version)
	if v == nil {
		return nil, nil, Errorf(ENOTFOUND, "This survey has no version %q.", version)
	}
	return s, v, nil
}
