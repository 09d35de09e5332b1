package surveys

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Limits on survey definitions. Each is checked by Validate or
// ParseDefinition and named in the error a person sees.
const (
	MaxDefinitionBytes = 1 << 20 // a definition file, in bytes
	MaxVersions        = 8       // age-banded versions in one survey
	MaxSections        = 30      // sections in one survey
	MaxQuestions       = 120     // questions in one version
	MinChoices         = 2       // choices of a choice or scale question
	MaxChoices         = 30      // choices of a choice or scale question
	MaxBreakdowns      = 6       // breakdown questions in one version
	MaxKeyLength       = 64      // a slug, key or choice key, in bytes
	MaxTitleLength     = 200     // a title or label, in characters
	MaxWordingLength   = 2000    // question text, help or a description, in characters
	MaxLanguageLength  = 16      // a language code, in bytes
	MaxLanguages       = 20      // languages of one text
	MaxRules           = 10      // rules in one show_if condition
	MinRatingValue     = 0       // the lowest "min" a rating may have
	MaxRatingValue     = 100     // the highest "max" a rating may have
	DefaultTextLength  = 2000    // max_length of a text question when unset
	MaxTextLength      = 10000   // the highest max_length a text question may have
	MinEdition         = 2000    // editions are years
	MaxEdition         = 2100
)

// Kind says what a survey is for.
type Kind string

// Kinds of survey.
const (
	KindAnnual        Kind = "annual"         // a yearly survey of children in care or care leavers
	KindSchoolCouncil Kind = "school_council" // a short survey run by a school council
	KindOther         Kind = "other"          // anything else a council asks
)

// Status is where a survey is in its life. Only an open survey accepts answers.
type Status string

// Statuses of a survey.
const (
	StatusDraft  Status = "draft"
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

// QuestionType is one of the closed set of kinds of question.
type QuestionType string

// Question types.
const (
	SingleChoice QuestionType = "single_choice" // one choice key
	MultiChoice  QuestionType = "multi_choice"  // several choice keys
	Scale        QuestionType = "scale"         // one of ordered choices, shown as faces
	Rating       QuestionType = "rating"        // a whole number from min to max
	FreeText     QuestionType = "text"          // free text up to max_length characters
)

// Definition is a survey as written in a definition file: its questions,
// grouped into age-banded versions. Keys of questions and choices are stable
// across editions, so that years can be compared.
type Definition struct {
	Slug        string    `json:"slug"`
	Edition     int       `json:"edition"`
	Kind        Kind      `json:"kind"`
	Title       Text      `json:"title"`
	Description Text      `json:"description,omitempty"`
	Sections    []Section `json:"sections,omitempty"`
	// RequireCode makes every response need an access code, so that each
	// young person answers once (see Codes).
	RequireCode bool `json:"require_code,omitempty"`
	// Previous is the slug of the edition this one follows (last year's),
	// so that results can be compared. NewEdition sets it; a definition
	// file may also give it.
	Previous string    `json:"previous,omitempty"`
	Versions []Version `json:"versions"`
}

// Section groups questions by what they are about (home, school, having a
// say...), so that reports can give each its own page.
type Section struct {
	Key   string `json:"key"`
	Title Text   `json:"title"`
}

// Version is the form of a survey for one age band (4-7, 8-11, 11-18, care
// leavers 16-25...).
type Version struct {
	Key       string     `json:"key"`
	Label     Text       `json:"label"`
	AgeMin    *int       `json:"age_min,omitempty"`
	AgeMax    *int       `json:"age_max,omitempty"`
	Questions []Question `json:"questions"`
}

// Question is one question. It is one flat struct: the fields that do not
// belong to its type must be left out.
type Question struct {
	Key      string       `json:"key"`
	Type     QuestionType `json:"type"`
	Text     Text         `json:"text"`
	Help     Text         `json:"help,omitempty"`
	Section  string       `json:"section,omitempty"`
	Required bool         `json:"required,omitempty"`
	// Breakdown marks a single_choice or scale question (age band, area,
	// time in care...) by which results can be filtered.
	Breakdown bool     `json:"breakdown,omitempty"`
	Choices   []Choice `json:"choices,omitempty"`
	// MaxChoices limits a multi_choice answer; 0 means any number.
	MaxChoices int `json:"max_choices,omitempty"`
	// Min and Max bound a rating; MinLabel and MaxLabel say what the ends mean.
	Min      *int `json:"min,omitempty"`
	Max      *int `json:"max,omitempty"`
	MinLabel Text `json:"min_label,omitempty"`
	MaxLabel Text `json:"max_label,omitempty"`
	// MaxLength limits a text answer, in characters; 0 means DefaultTextLength.
	MaxLength int        `json:"max_length,omitempty"`
	ShowIf    *Condition `json:"show_if,omitempty"`
}

// Choice is one answer a choice or scale question offers.
type Choice struct {
	Key   string `json:"key"`
	Label Text   `json:"label"`
	// Favourable marks the answers that count as good news, so that reports
	// can say what is going well and what could be better.
	Favourable bool `json:"favourable,omitempty"`
}

// Survey is a definition as Heard keeps it: with its status and a revision
// number that goes up with every change, so that two people editing it
// cannot silently overwrite each other.
type Survey struct {
	Definition
	Status   Status    `json:"status"`
	Revision int       `json:"revision"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
	// Opens and Closes schedule the survey: a draft opens by itself at
	// Opens, and an open survey closes by itself at Closes (see
	// Catalog.ApplySchedule). Zero means by hand.
	Opens  time.Time `json:"opens,omitzero"`
	Closes time.Time `json:"closes,omitzero"`
	// Cohort is how many young people the survey is for (children in care
	// on the day, say), so that pages can give a response rate; 0 when
	// unknown.
	Cohort int `json:"cohort,omitempty"`
	// School is the key of the school a school council's pupil survey is
	// for, and Area that school's area when the survey was made; both ""
	// for a survey of the borough. Its comments are then the school
	// council channel's, with the school and area.
	School string `json:"school,omitempty"`
	Area   string `json:"area,omitempty"`
	// ClosedAt is when the survey last closed, by hand or on schedule;
	// zero while it is open, and for surveys closed before Heard recorded
	// it (ClosedSince then falls back). Retention counts from it.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// RetentionMonths is how long after closing its responses and
	// comments are kept; 0 is the council's period (retention.go).
	RetentionMonths int `json:"retention_months,omitempty"`
	// Retained is when retention deleted its responses and comments;
	// zero until then. A retained survey cannot open again.
	Retained time.Time `json:"retained,omitzero"`
}

// Version returns the version with the given key, or nil.
func (d *Definition) Version(key string) *Version {
	for i := range d.Versions {
		if d.Versions[i].Key == key {
			return &d.Versions[i]
		}
	}
	return nil
}

// Question returns the question with the given key, or nil.
func (v *Version) Question(key string) *Question {
	for i := range v.Questions {
		if v.Questions[i].Key == key {
			return &v.Questions[i]
		}
	}
	return nil
}

// Choice returns the choice with the given key, or nil.
func (q *Question) Choice(key string) *Choice {
	for i := range q.Choices {
		if q.Choices[i].Key == key {
			return &q.Choices[i]
		}
	}
	return nil
}

// HasChoices reports whether answers to q are choice keys.
func (q *Question) HasChoices() bool {
	return q.Type == SingleChoice || q.Type == MultiChoice || q.Type == Scale
}

// TextLimit returns the most characters a text answer to q may have.
func (q *Question) TextLimit() int {
	if q.MaxLength > 0 {
		return q.MaxLength
	}
	return DefaultTextLength
}

// RatingRange returns the bounds of a rating question (0 and 0 when unset).
func (q *Question) RatingRange() (lo, hi int) {
	if q.Min != nil {
		lo = *q.Min
	}
	if q.Max != nil {
		hi = *q.Max
	}
	return lo, hi
}

// ParseDefinition reads a survey definition from JSON and validates it.
// Unknown fields are refused rather than ignored, so that a misspelt
// "requried" cannot pass unnoticed.
func ParseDefinition(data []byte) (*Definition, error) {
	if len(data) > MaxDefinitionBytes {
		return nil, Errorf(EINVALID, "The survey definition is %d bytes; the most Heard accepts is %d.", len(data), MaxDefinitionBytes)
	}
	var d Definition
	if err := decodeStrict(data, &d); err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// decodeStrict decodes exactly one JSON value into v, refusing unknown
// fields, and turns decoding failures into errors a person can act on.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Errorf(EINVALID, "The survey definition has more after its closing brace; it must be one JSON object.")
	}
	return nil
}

// jsonError describes a decoding failure in words, naming the place when the
// decoder knows it.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return Errorf(EINVALID, "The survey definition is not valid JSON (at byte %d): %s.", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		place := typ.Field
		if place == "" {
			place = "definition"
		}
		return FieldsError("The survey definition has a value of the wrong kind.",
			map[string]string{place: fmt.Sprintf("must be %s, not %s", describeGoType(typ.Type.Kind().String()), typ.Value)})
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(EINVALID, "The survey definition is empty or cut short.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return Errorf(EINVALID, "The survey definition has a field Heard does not know: %s.", field)
	default:
		var e *Error
		if errors.As(err, &e) {
			return e
		}
		return Errorf(EINVALID, "The survey definition could not be read: %s.", err.Error())
	}
}

func describeGoType(kind string) string {
	switch kind {
	case "int", "int64", "int32":
		return "a whole number"
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "map", "struct":
		return "an object"
	default:
		return "a different kind of value"
	}
}

// SectionGroup is a section of a survey and the items under it.
type SectionGroup struct {
	Key   string // the section's key, or OtherSection
	Title string // in English
	Items []int  // indexes into the list SectionGroups was given
}

// OtherSection is the key of the group of items in no known section.
const OtherSection = "other"

// SectionGroups arranges items (questions, say) by their section keys,
// sectionOf[i] being item i's, under the survey's sections in the
// sections' order. Items in no known section come last, under "Other
// questions", or "Questions" when the survey has no sections. Sections
// with no items are left out.
func (d *Definition) SectionGroups(sectionOf []string) []SectionGroup {
	groups := make([]SectionGroup, 0, len(d.Sections)+1)
	at := map[string]int{}
	for _, sec := range d.Sections {
		at[sec.Key] = len(groups)
		groups = append(groups, SectionGroup{Key: sec.Key, Title: sec.Title.In(DefaultLanguage)})
	}
	other := -1
	for i, key := range sectionOf {
		g, ok := at[key]
		if !ok {
			if other < 0 {
				other = len(groups)
				title := "Other questions"
				if len(d.Sections) == 0 {
					title = "Questions"
				}
				groups = append(groups, SectionGroup{Key: OtherSection, Title: title})
			}
			g = other
		}
		groups[g].Items = append(groups[g].Items, i)
	}
	return slices.DeleteFunc(groups, func(g SectionGroup) bool { return len(g.Items) == 0 })
}
