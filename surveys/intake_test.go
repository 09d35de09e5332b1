package surveys_test

import (
	"context"
	"maps"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/surveytest"
)

// memResponses is an in-memory surveys.ResponseStore: a retry with the same
// answers is stored once, and the same id with other answers is a conflict.
type memResponses struct {
	mu        sync.Mutex
	responses map[string]surveys.Response
	calls     int
	lastCode  string // the code hash of the last call
}

func (m *memResponses) CreateResponse(_ context.Context, s *surveys.Survey, r *surveys.Response, codeHash string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.lastCode = codeHash
	if old, ok := m.responses[r.ID]; ok {
		if old.Same(r, s.Version(r.Version)) {
			return false, nil
		}
		return false, surveys.Errorf(surveys.ECONFLICT, "This response id was used for other answers.")
	}
	stored := *r
	stored.Answers = maps.Clone(r.Answers)
	m.responses[r.ID] = stored
	return true, nil
}

func (m *memResponses) snapshot() (map[string]surveys.Response, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.responses), m.calls
}

const responseID = "3f1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a17"

type intakeFixture struct {
	intake    *surveys.Intake
	responses *memResponses
}

// newIntake returns an Intake over the fixture survey (open), a draft and a
// closed copy of it, at the time now.
func newIntake(t *testing.T, now time.Time) *intakeFixture {
	t.Helper()
	store := newMemSurveys(
		fixtureSurvey(t, surveytest.Slug, surveys.StatusOpen),
		fixtureSurvey(t, "draft-survey", surveys.StatusDraft),
		fixtureSurvey(t, "closed-survey", surveys.StatusClosed),
	)
	responses := &memResponses{responses: map[string]surveys.Response{}}
	return &intakeFixture{
		intake:    &surveys.Intake{Surveys: store, Responses: responses, Now: newClock(now).Now},
		responses: responses,
	}
}

// justAfterMidnight is 00:30 on 30 March in a zone an hour ahead of UTC:
// 23:30 on 29 March in UTC.
var justAfterMidnight = time.Date(2026, 3, 30, 0, 30, 0, 0, time.FixedZone("UTC+1", 3600))

func TestIntakeSubmit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	valid := `{"area":"north","feel_safe":"sometimes","why_unsafe":["online","school"],"happy":4,"talk_to":"yes","talk_who":"My foster carer"}`
	wantAnswers := map[string]surveys.Answer{
		"area": {Choice: "north"}, "feel_safe": {Choice: "sometimes"}, "why_unsafe": {Choices: []string{"school", "online"}},
		"happy": {Number: 4}, "talk_to": {Choice: "yes"}, "talk_who": {Text: "My foster carer"},
	}

	t.Run("stored", func(t *testing.T) {
		t.Parallel()
		f := newIntake(t, justAfterMidnight)
		receipt, err := f.intake.Submit(ctx, surveytest.Slug, surveys.Submission{
			ID: "  3F1C2A9E-5B7D-4E21-9C3A-0D8E6F4B2A17 ", Version: "11-18", Answers: rawAnswers(t, valid),
		})
		if err != nil {
			t.Fatalf("Submit: %v", err)
		}
		if receipt != (surveys.Receipt{ID: responseID, Created: true}) {
			t.Errorf("receipt = %+v", receipt)
		}
		stored, _ := f.responses.snapshot()
		want := surveys.Response{
			ID: responseID, Survey: surveytest.Slug, Edition: 2026, Version: "11-18", Lang: "en",
			Day: "2026-03-29", Answers: wantAnswers,
		}
		if got := stored[responseID]; len(stored) != 1 || !reflect.DeepEqual(got, want) {
			t.Errorf("stored %+v\nwant     %+v", stored, want)
		}
	})
	t.Run("the day is the UTC date, behind UTC too", func(t *testing.T) {
		t.Parallel()
		lateEvening := time.Date(2026, 3, 29, 21, 0, 0, 0, time.FixedZone("UTC-5", -5*3600))
		f := newIntake(t, lateEvening)
		if _, err := f.intake.Submit(ctx, surveytest.Slug, surveys.Submission{ID: responseID, Version: "8-11", Lang: "pl", Answers: nil}); err != nil {
			t.Fatalf("Submit: %v", err)
		}
		stored, _ := f.responses.snapshot()
		if r := stored[responseID]; r.Day != "2026-03-30" || r.Lang != "pl" || r.Version != "8-11" || len(r.Answers) != 0 {
			t.Errorf("stored %+v; want day 2026-03-30, lang pl, no answers", r)
		}
	})
	t.Run("a retry is stored once", func(t *testing.T) {
		t.Parallel()
		f := newIntake(t, justAfterMidnight)
		sub := surveys.Submission{ID: responseID, Version: "11-18", Answers: rawAnswers(t, valid)}
		for i, wantCreated := range []bool{true, false} {
			receipt, err := f.intake.Submit(ctx, surveytest.Slug, sub)
			if err != nil || receipt != (surveys.Receipt{ID: responseID, Created: wantCreated}) {
				t.Errorf("submission %d: %+v, %v; want created %t", i+1, receipt, err, wantCreated)
			}
		}
		if stored, _ := f.responses.snapshot(); len(stored) != 1 {
			t.Errorf("%d responses stored; want 1", len(stored))
		}
	})
	t.Run("the same id with other answers", func(t *testing.T) {
		t.Parallel()
		f := newIntake(t, justAfterMidnight)
		if _, err := f.intake.Submit(ctx, surveytest.Slug, surveys.Submission{ID: responseID, Version: "11-18", Answers: rawAnswers(t, valid)}); err != nil {
			t.Fatal(err)
		}
		_, err := f.intake.Submit(ctx, surveytest.Slug, surveys.Submission{ID: responseID, Version: "11-18", Answers: rawAnswers(t, `{"talk_to":"no"}`)})
		if code := surveys.ErrorCode(err); code != surveys.ECONFLICT {
			t.Errorf("code = %q (%v); want %q", code, err, surveys.ECONFLICT)
		}
		if stored, _ := f.responses.snapshot(); !reflect.DeepEqual(stored[responseID].Answers, wantAnswers) {
			t.Errorf("the first answers changed: %v", stored[responseID].Answers)
		}
	})

	tests := []struct {
		name        string
		slug        string
		sub         surveys.Submission
		wantCode    string
		wantMessage string
		wantFields  map[string]string
	}{
		{"id not a UUID", surveytest.Slug, surveys.Submission{ID: "not-a-uuid", Version: "11-18"},
			surveys.EINVALID, "The response id must be a UUID made by the device.", map[string]string{"id": "must be a UUID"}},
		{"id missing", surveytest.Slug, surveys.Submission{Version: "11-18"},
			surveys.EINVALID, "The response id must be a UUID made by the device.", map[string]string{"id": "must be a UUID"}},
		{"id in braces", surveytest.Slug, surveys.Submission{ID: "{" + responseID + "}", Version: "11-18"},
			surveys.EINVALID, "The response id must be a UUID made by the device.", map[string]string{"id": "must be a UUID"}},
		{"id without hyphens", surveytest.Slug, surveys.Submission{ID: "3f1c2a9e5b7d4e219c3a0d8e6f4b2a17", Version: "11-18"},
			surveys.EINVALID, "The response id must be a UUID made by the device.", map[string]string{"id": "must be a UUID"}},
		{"unknown survey", "nope", surveys.Submission{ID: responseID, Version: "11-18"},
			surveys.ENOTFOUND, `There is no survey "nope".`, nil},
		{"unknown version", surveytest.Slug, surveys.Submission{ID: responseID, Version: "4-7"},
			surveys.ENOTFOUND, `This survey has no version "4-7".`, nil},
		{"draft survey", "draft-survey", surveys.Submission{ID: responseID, Version: "11-18", Answers: rawAnswers(t, valid)},
			surveys.ECONFLICT, "This survey is not open for answers.", nil},
		{"closed survey", "closed-survey", surveys.Submission{ID: responseID, Version: "11-18", Answers: rawAnswers(t, valid)},
			surveys.ECONFLICT, "This survey is not open for answers.", nil},
		{"unknown language", surveytest.Slug, surveys.Submission{ID: responseID, Version: "11-18", Lang: "English", Answers: rawAnswers(t, valid)},
			surveys.EINVALID, "The language is not one Heard knows.", map[string]string{"lang": `must be a language code such as "en"`}},
		{"wrong answers", surveytest.Slug, surveys.Submission{ID: responseID, Version: "11-18", Answers: rawAnswers(t, `{"happy":11,"area":"east","talk_to":"no"}`)},
			surveys.EINVALID, "Some answers need another look.", map[string]string{"happy": msgHappy, "area": msgChooseOne}},
		{"required answer missing", surveytest.Slug, surveys.Submission{ID: responseID, Version: "11-18", Answers: rawAnswers(t, `{"area":"north"}`)},
			surveys.EINVALID, "Some answers need another look.", map[string]string{"talk_to": msgRequired}},
		{"hidden question answered", surveytest.Slug, surveys.Submission{ID: responseID, Version: "11-18", Answers: rawAnswers(t, `{"talk_to":"no","talk_who":"Mum"}`)},
			surveys.EINVALID, "Some answers need another look.", map[string]string{"talk_who": msgNotShown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newIntake(t, justAfterMidnight)
			receipt, err := f.intake.Submit(ctx, tt.slug, tt.sub)
			if receipt != (surveys.Receipt{}) {
				t.Errorf("receipt = %+v with an error", receipt)
			}
			if code := surveys.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("code = %q (%v); want %q", code, err, tt.wantCode)
			}
			if msg := surveys.ErrorMessage(err); msg != tt.wantMessage {
				t.Errorf("message = %q; want %q", msg, tt.wantMessage)
			}
			if got := surveys.ErrorFields(err); !maps.Equal(got, tt.wantFields) {
				t.Errorf("fields:\n%swant:\n%s", formatFields(got), formatFields(tt.wantFields))
			}
			if stored, calls := f.responses.snapshot(); len(stored) != 0 || calls != 0 {
				t.Errorf("the response store was called %d times and holds %v; want nothing", calls, stored)
			}
		})
	}
}

func TestNormalizeID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{responseID, responseID, true},
		{" 3F1C2A9E-5B7D-4E21-9C3A-0D8E6F4B2A17\n", responseID, true},
		{"00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000", true},
		{"3f1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a1", "3f1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a1", false},
		{"3f1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a17x", "3f1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a17x", false},
		{"gf1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a17", "gf1c2a9e-5b7d-4e21-9c3a-0d8e6f4b2a17", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := surveys.NormalizeID(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeID(%q) = %q, %t; want %q, %t", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
