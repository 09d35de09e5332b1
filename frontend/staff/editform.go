package staff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/heard-app/heard/surveys"
)

// The survey editor posts one HTML form whose field names are paths into
// the definition: "title.en", "versions.0.questions.3.text.pl",
// "versions.0.questions.3.choices.1.key". ParseEditForm reads them back
// into a definition, starting from a copy of the stored one, so that
// anything the form does not show survives. It checks the shape of the
// form only; what the values mean is for Definition.Validate and
// Catalog.Edit.

// Limits on an editor form, beyond the limits of a definition.
const (
	// MaxEditFields bounds the values of one posted form: the largest
	// survey Heard ships (cared-for, 4 versions) needs about 2,400 in four
	// languages and 12,000 in twenty. The largest definition Validate
	// allows would need more; such a survey can still be imported as a
	// file.
	MaxEditFields = 20_000
	// maxConditionBytes bounds a show_if condition typed as JSON.
	maxConditionBytes = 16 << 10
	// maxIndexDigits bounds the digits of an index in a field name.
	maxIndexDigits = 3
)

// Actions of the editor's buttons. Every action but save shows the form
// again, as edited, without saving.
const (
	ActionSave        = "save"
	ActionAddLanguage = "add-language"
	ActionAddChoice   = "add-choice"   // add-choice:<version>:<question>
	ActionAddQuestion = "add-question" // add-question:<version>
	ActionUp          = "up"           // up:<version>:<question>
	ActionDown        = "down"         // down:<version>:<question>
)

// EditAction is the button a person pressed.
type EditAction struct {
	Kind     string
	Version  int
	Question int
}

// Structural reports whether the action changes questions or choices,
// which only a draft may.
func (a EditAction) Structural() bool {
	return a.Kind != ActionSave && a.Kind != ActionAddLanguage
}

// Condition editor modes: always shown, one rule, or JSON.
const (
	ShowAlways = "none"
	ShowSimple = "simple"
	ShowJSON   = "json"
)

// ShowIfForm is the show_if editor of a question as typed.
type ShowIfForm struct {
	Mode     string // "" when the form did not carry the editor
	Question string
	Op       string
	Value    string
	JSON     string
}

// QuestionMeta is what the form knows about a question beyond its
// definition. It moves with the question.
type QuestionMeta struct {
	// Origin is the index of the stored question this one was read from,
	// in the same version, or -1 for a new question.
	Origin int
	// Choices gives, for each choice, its index among the origin
	// question's choices, or -1 for a new choice.
	Choices []int
	// Raw keeps typed values that could not be read (a number that is
	// not one), by field ("min", "max_length"), to show them again.
	Raw map[string]string
	// Errors are problems with those values, by field ("min", "show_if.value").
	Errors map[string]string
	ShowIf ShowIfForm
}

// VersionMeta is what the form knows about a version beyond its definition.
type VersionMeta struct {
	NewType   string // the "Add a question" controls, as typed
	NewKey    string
	Questions []QuestionMeta // one for each question of the version
}

// EditForm is the editor's state: the definition as edited, and what the
// form needs to show it again.
type EditForm struct {
	Def      *surveys.Definition
	Langs    []string // the language columns shown, English first
	Versions []VersionMeta
	Action   EditAction
	AddLang  string
	// Errors are problems with the form outside any question, by path
	// ("add_lang", "versions.0.new_key", "versions.0.questions").
	Errors map[string]string
}

// NewEditForm is the editor's state for a stored definition, unchanged.
func NewEditForm(stored *surveys.Definition) (*EditForm, error) {
	d, err := copyDefinition(stored)
	if err != nil {
		return nil, err
	}
	f := &EditForm{Def: d, Action: EditAction{Kind: ActionSave}, Errors: map[string]string{}}
	f.Versions = make([]VersionMeta, len(d.Versions))
	for vi := range d.Versions {
		qs := d.Versions[vi].Questions
		f.Versions[vi].Questions = make([]QuestionMeta, len(qs))
		for qi := range qs {
			f.Versions[vi].Questions[qi] = QuestionMeta{Origin: qi, Choices: identity(len(qs[qi].Choices))}
		}
	}
	f.Langs = mergeLangs(nil, d)
	return f, nil
}

// ParseEditForm reads a posted editor form over a copy of stored. With
// structure (a draft), the form showed every control, so a checkbox that
// is not sent is off; otherwise checkboxes are not read, and any other
// structural field that is sent is applied for Catalog.Edit to refuse.
// A form that is not one the editor makes (too many fields, a name it
// does not know under a known prefix, an index beyond the limits) is
// EINVALID; values that cannot be read are kept in the form's Errors and
// Raw, to be shown beside their fields.
func ParseEditForm(stored *surveys.Definition, form url.Values, structure bool) (*EditForm, error) {
	n := 0
	for _, vs := range form {
		n += len(vs)
		if n > MaxEditFields {
			return nil, surveys.Errorf(surveys.EINVALID,
				"The form has more than %d fields, which is more than the editor ever sends. Please reload the page and try again.", MaxEditFields)
		}
	}
	base, err := copyDefinition(stored)
	if err != nil {
		return nil, err
	}
	action, err := parseEditAction(form.Get("action"))
	if err != nil {
		return nil, err
	}
	posted, err := collectEditFields(base, form)
	if err != nil {
		return nil, err
	}

	f := &EditForm{Def: base, Action: action, AddLang: strings.TrimSpace(form.Get("add_lang")), Errors: map[string]string{}}
	d := f.Def
	d.Title = applyText(d.Title, posted.texts["title"])
	d.Description = applyText(d.Description, posted.texts["description"])
	for i := range d.Sections {
		d.Sections[i].Title = applyText(d.Sections[i].Title, posted.texts[fmt.Sprintf("sections.%d.title", i)])
	}
	f.Versions = make([]VersionMeta, len(d.Versions))
	for vi := range d.Versions {
		v := &d.Versions[vi]
		meta := &f.Versions[vi]
		pv := posted.versions[vi]
		if pv == nil {
			pv = &postedVersion{}
		}
		v.Label = applyText(v.Label, pv.label)
		meta.NewType, meta.NewKey = strings.TrimSpace(pv.newType), strings.TrimSpace(pv.newKey)
		if !pv.hasQuestions {
			meta.Questions = make([]QuestionMeta, len(v.Questions))
			for qi := range v.Questions {
				meta.Questions[qi] = QuestionMeta{Origin: qi, Choices: identity(len(v.Questions[qi].Choices))}
			}
			continue
		}
		before := v.Questions
		used := map[int]bool{}
		var questions []surveys.Question
		var metas []QuestionMeta
		for _, qi := range sortedKeys(pv.questions) {
			q, m, keep := buildQuestion(before, used, pv.questions[qi], structure)
			if keep {
				questions = append(questions, q)
				metas = append(metas, m)
			}
		}
		v.Questions, meta.Questions = questions, metas
		for qi := range v.Questions {
			resolveShowIf(v, qi, &meta.Questions[qi])
		}
	}

	langs, err := postedLangs(form["langs"])
	if err != nil {
		return nil, err
	}
	f.Langs = mergeLangs(langs, d)
	if most := max(surveys.MaxLanguages, len(definitionLangs(stored))); len(f.Langs) > most {
		return nil, surveys.Errorf(surveys.EINVALID, "The form has texts in %d languages; the most a survey may have is %d.", len(f.Langs), most)
	}
	return f, nil
}

// Problems returns every problem the form itself found, by path in the
// definition at the questions' present places ("versions.0.questions.2.min").
func (f *EditForm) Problems() map[string]string {
	out := maps.Clone(f.Errors)
	if out == nil {
		out = map[string]string{}
	}
	for vi := range f.Versions {
		for qi, m := range f.Versions[vi].Questions {
			for field, msg := range m.Errors {
				out[fmt.Sprintf("versions.%d.questions.%d.%s", vi, qi, field)] = msg
			}
		}
	}
	return out
}

// Apply does what the pressed button asks, other than saving, and returns
// a short message saying what changed. A problem with what was asked is
// added to the form's Errors, to be shown beside its control.
func (f *EditForm) Apply() string {
	a := f.Action
	switch a.Kind {
	case ActionAddLanguage:
		return f.addLanguage()
	case ActionAddQuestion:
		return f.addQuestion(a.Version)
	case ActionAddChoice:
		q, m := f.question(a.Version, a.Question)
		if q == nil {
			return ""
		}
		if !q.HasChoices() {
			m.Errors["choices"] = "only single_choice, multi_choice and scale questions have choices"
			return ""
		}
		if len(q.Choices) >= surveys.MaxChoices {
			m.Errors["choices"] = fmt.Sprintf("has %d choices, the most a question may have", surveys.MaxChoices)
			return ""
		}
		q.Choices = append(q.Choices, surveys.Choice{})
		m.Choices = append(m.Choices, -1)
		return fmt.Sprintf("A choice was added to question %d. Give it a key and a label, then save.", a.Question+1)
	case ActionUp, ActionDown:
		if q, _ := f.question(a.Version, a.Question); q == nil {
			return ""
		}
		to := a.Question - 1
		if a.Kind == ActionDown {
			to = a.Question + 1
		}
		qs, metas := f.Def.Versions[a.Version].Questions, f.Versions[a.Version].Questions
		if to < 0 || to >= len(qs) {
			return ""
		}
		qs[a.Question], qs[to] = qs[to], qs[a.Question]
		metas[a.Question], metas[to] = metas[to], metas[a.Question]
		return fmt.Sprintf("Question %q is now number %d. Save to keep the new order.", qs[to].Key, to+1)
	}
	return ""
}

// question returns the question at vi, qi of the form and its meta, or
// nil when there is none (a stale button).
func (f *EditForm) question(vi, qi int) (*surveys.Question, *QuestionMeta) {
	if vi < 0 || vi >= len(f.Def.Versions) || qi < 0 || qi >= len(f.Def.Versions[vi].Questions) {
		return nil, nil
	}
	m := &f.Versions[vi].Questions[qi]
	if m.Errors == nil {
		m.Errors = map[string]string{}
	}
	return &f.Def.Versions[vi].Questions[qi], m
}

func (f *EditForm) addLanguage() string {
	code := strings.ToLower(f.AddLang)
	switch {
	case code == "":
		f.Errors["add_lang"] = "choose a language to add"
	case !surveys.ValidLanguage(code):
		f.Errors["add_lang"] = fmt.Sprintf("%q is not a language code such as \"pl\" or \"ar\"", code)
	case slices.Contains(f.Langs, code):
		return fmt.Sprintf("%s is already shown.", languageName(code))
	case len(f.Langs) >= surveys.MaxLanguages:
		f.Errors["add_lang"] = fmt.Sprintf("a survey can have at most %d languages", surveys.MaxLanguages)
	default:
		f.Langs = append(f.Langs, code)
		f.AddLang = ""
		return fmt.Sprintf("A column for %s was added. Type the translations, then save.", languageName(code))
	}
	return ""
}

func (f *EditForm) addQuestion(vi int) string {
	if vi < 0 || vi >= len(f.Def.Versions) {
		return ""
	}
	v, meta := &f.Def.Versions[vi], &f.Versions[vi]
	path := fmt.Sprintf("versions.%d.", vi)
	typ := surveys.QuestionType(meta.NewType)
	if !slices.Contains(questionTypes, typ) {
		f.Errors[path+"new_type"] = "choose the kind of question"
	}
	if meta.NewKey == "" {
		f.Errors[path+"new_key"] = "give the question a key, such as \"feel_safe\""
	}
	if len(v.Questions) >= surveys.MaxQuestions {
		f.Errors[path+"questions"] = fmt.Sprintf("has %d questions, the most a version may have", surveys.MaxQuestions)
	}
	if f.Errors[path+"new_type"] != "" || f.Errors[path+"new_key"] != "" || f.Errors[path+"questions"] != "" {
		return ""
	}
	q := surveys.Question{Key: meta.NewKey, Type: typ}
	m := QuestionMeta{Origin: -1}
	if q.HasChoices() {
		q.Choices = make([]surveys.Choice, surveys.MinChoices)
		m.Choices = []int{-1, -1}
	}
	v.Questions = append(v.Questions, q)
	meta.Questions = append(meta.Questions, m)
	meta.NewType, meta.NewKey = "", ""
	return fmt.Sprintf("Question %q was added at the end of %s. Write its text, then save.", q.Key, v.Label.In(surveys.DefaultLanguage))
}

// questionTypes are the types offered, in the order of the select.
var questionTypes = []surveys.QuestionType{surveys.SingleChoice, surveys.MultiChoice, surveys.Scale, surveys.Rating, surveys.FreeText}

// parseEditAction reads the pressed button: "save" (or nothing, as when
// Enter is pressed in a field), "add-language", "add-choice:0:3"...
func parseEditAction(s string) (EditAction, error) {
	if s == "" || s == ActionSave {
		return EditAction{Kind: ActionSave}, nil
	}
	parts := strings.Split(s, ":")
	a := EditAction{Kind: parts[0]}
	want := map[string]int{ActionAddLanguage: 0, ActionAddQuestion: 1, ActionAddChoice: 2, ActionUp: 2, ActionDown: 2}
	n, known := want[a.Kind]
	if !known || len(parts) != n+1 {
		return EditAction{}, surveys.Errorf(surveys.EINVALID, "The editor does not know the button %q. Please reload the page and try again.", clip(s))
	}
	var ok1, ok2 = true, true
	if n >= 1 {
		a.Version, ok1 = parseIndex(parts[1], surveys.MaxVersions)
	}
	if n == 2 {
		a.Question, ok2 = parseIndex(parts[2], surveys.MaxQuestions)
	}
	if !ok1 || !ok2 {
		return EditAction{}, surveys.Errorf(surveys.EINVALID, "The button %q names a version or question the survey cannot have. Please reload the page and try again.", clip(s))
	}
	return a, nil
}

// parseIndex reads an index as the editor writes it: digits, no sign, no
// leading zero, below limit.
func parseIndex(s string, limit int) (int, bool) {
	if s == "" || len(s) > maxIndexDigits || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n < limit
}

// posted is the form's fields, grouped by the thing they belong to.
type posted struct {
	texts    map[string]map[string]string // "title", "sections.0.title" → lang → value
	versions map[int]*postedVersion
}

type postedVersion struct {
	label           map[string]string
	newType, newKey string
	hasQuestions    bool
	questions       map[int]*postedQuestion
}

type postedQuestion struct {
	fields  map[string]string            // "key", "min", "show_if.op"...
	texts   map[string]map[string]string // "text", "help", "min_label", "max_label" → lang → value
	choices map[int]*postedChoice
}

type postedChoice struct {
	fields map[string]string // "origin", "key", "favourable", "remove"
	label  map[string]string
}

// Fields of a question and a choice that hold one value.
var (
	questionFields = []string{"origin", "key", "type", "section", "required", "breakdown", "remove", "max_choices", "min", "max", "max_length"}
	questionTexts  = []string{"text", "help", "min_label", "max_label"}
	showIfFields   = []string{"mode", "question", "op", "value", "json"}
	choiceFields   = []string{"origin", "key", "favourable", "remove"}
)

// collectEditFields sorts the form's fields by what they belong to,
// refusing names under the editor's prefixes that it never writes.
func collectEditFields(base *surveys.Definition, form url.Values) (*posted, error) {
	p := &posted{texts: map[string]map[string]string{}, versions: map[int]*postedVersion{}}
	names := slices.Sorted(maps.Keys(form))
	for _, name := range names {
		vals := form[name]
		if len(vals) == 0 {
			continue
		}
		value := vals[0]
		parts := strings.Split(name, ".")
		var ok bool
		switch parts[0] {
		case "title", "description":
			ok = len(parts) == 2 && setLang(p.texts, parts[0], parts[1], value)
		case "sections":
			i, valid := 0, len(parts) == 4 && parts[2] == "title"
			if valid {
				i, valid = parseIndex(parts[1], len(base.Sections))
			}
			ok = valid && setLang(p.texts, fmt.Sprintf("sections.%d.title", i), parts[3], value)
		case "versions":
			ok = collectVersionField(p, base, parts[1:], value)
		default:
			continue // the token, the revision, the button, the language columns
		}
		if !ok {
			return nil, surveys.Errorf(surveys.EINVALID,
				"The form has a field the editor does not know (%q). Please reload the page and make your changes again.", clip(name))
		}
	}
	return p, nil
}

func collectVersionField(p *posted, base *surveys.Definition, parts []string, value string) bool {
	if len(parts) < 2 {
		return false
	}
	vi, ok := parseIndex(parts[0], len(base.Versions))
	if !ok {
		return false
	}
	v := p.versions[vi]
	if v == nil {
		v = &postedVersion{label: map[string]string{}, questions: map[int]*postedQuestion{}}
		p.versions[vi] = v
	}
	switch {
	case parts[1] == "label" && len(parts) == 3:
		return setLangIn(v.label, parts[2], value)
	case parts[1] == "new_type" && len(parts) == 2:
		v.newType = value
		return true
	case parts[1] == "new_key" && len(parts) == 2:
		v.newKey = value
		return true
	case parts[1] == "questions" && len(parts) >= 4:
		qi, ok := parseIndex(parts[2], surveys.MaxQuestions)
		if !ok {
			return false
		}
		v.hasQuestions = true
		q := v.questions[qi]
		if q == nil {
			q = &postedQuestion{fields: map[string]string{}, texts: map[string]map[string]string{}, choices: map[int]*postedChoice{}}
			v.questions[qi] = q
		}
		return collectQuestionField(q, parts[3:], value)
	}
	return false
}

func collectQuestionField(q *postedQuestion, parts []string, value string) bool {
	switch {
	case len(parts) == 1 && slices.Contains(questionFields, parts[0]):
		q.fields[parts[0]] = value
		return true
	case len(parts) == 2 && slices.Contains(questionTexts, parts[0]):
		return setLang(q.texts, parts[0], parts[1], value)
	case len(parts) == 2 && parts[0] == "show_if" && slices.Contains(showIfFields, parts[1]):
		q.fields["show_if."+parts[1]] = value
		return true
	case len(parts) >= 3 && parts[0] == "choices":
		ci, ok := parseIndex(parts[1], surveys.MaxChoices)
		if !ok {
			return false
		}
		c := q.choices[ci]
		if c == nil {
			c = &postedChoice{fields: map[string]string{}, label: map[string]string{}}
			q.choices[ci] = c
		}
		switch {
		case len(parts) == 3 && slices.Contains(choiceFields, parts[2]):
			c.fields[parts[2]] = value
			return true
		case len(parts) == 4 && parts[2] == "label":
			return setLangIn(c.label, parts[3], value)
		}
	}
	return false
}

func setLang(texts map[string]map[string]string, field, lang, value string) bool {
	if texts[field] == nil {
		texts[field] = map[string]string{}
	}
	return setLangIn(texts[field], lang, value)
}

func setLangIn(t map[string]string, lang, value string) bool {
	if !surveys.ValidLanguage(lang) {
		return false
	}
	if _, dup := t[lang]; !dup {
		t[lang] = value
	}
	return true
}

// applyText returns base with each posted language set to its value, or
// removed when the value is blank. Line endings become "\n" and the ends
// are trimmed; nothing else is changed.
func applyText(base surveys.Text, posted map[string]string) surveys.Text {
	if len(posted) == 0 {
		return base
	}
	t := maps.Clone(base)
	if t == nil {
		t = surveys.Text{}
	}
	for lang, value := range posted {
		value = strings.TrimSpace(strings.ReplaceAll(value, "\r\n", "\n"))
		if value == "" {
			delete(t, lang)
		} else {
			t[lang] = value
		}
	}
	if len(t) == 0 {
		return nil
	}
	return t
}

// buildQuestion makes a question from its posted fields over the stored
// question it came from. keep is false for a question marked to remove.
func buildQuestion(stored []surveys.Question, used map[int]bool, pq *postedQuestion, structure bool) (surveys.Question, QuestionMeta, bool) {
	m := QuestionMeta{Origin: -1, Raw: map[string]string{}, Errors: map[string]string{}}
	var q surveys.Question
	if i, ok := parseIndex(pq.fields["origin"], len(stored)); ok && !used[i] {
		used[i] = true
		m.Origin, q = i, stored[i]
	}
	if pq.fields["remove"] != "" {
		return q, m, false
	}
	fields := pq.fields
	if v, ok := fields["key"]; ok {
		q.Key = strings.TrimSpace(v)
	}
	if v, ok := fields["type"]; ok {
		q.Type = surveys.QuestionType(strings.TrimSpace(v))
	}
	if v, ok := fields["section"]; ok {
		q.Section = strings.TrimSpace(v)
	}
	if structure {
		q.Required = fields["required"] != ""
		q.Breakdown = fields["breakdown"] != ""
	}
	q.Text = applyText(q.Text, pq.texts["text"])
	q.Help = applyText(q.Help, pq.texts["help"])
	q.MinLabel = applyText(q.MinLabel, pq.texts["min_label"])
	q.MaxLabel = applyText(q.MaxLabel, pq.texts["max_label"])
	readCount(fields, "max_choices", &q.MaxChoices, &m)
	readCount(fields, "max_length", &q.MaxLength, &m)
	readNumber(fields, "min", &q.Min, &m)
	readNumber(fields, "max", &q.Max, &m)

	// Choices come from the form when it carries them, each over the
	// stored choice it came from.
	var origin []surveys.Choice
	if m.Origin >= 0 {
		origin = stored[m.Origin].Choices
	}
	if len(pq.choices) > 0 && q.HasChoices() {
		usedChoice := map[int]bool{}
		q.Choices = nil
		for _, ci := range sortedKeys(pq.choices) {
			pc := pq.choices[ci]
			c, from := surveys.Choice{}, -1
			if i, ok := parseIndex(pc.fields["origin"], len(origin)); ok && !usedChoice[i] {
				usedChoice[i] = true
				c, from = origin[i], i
			}
			if pc.fields["remove"] != "" {
				continue
			}
			if v, ok := pc.fields["key"]; ok {
				c.Key = strings.TrimSpace(v)
			}
			if structure {
				c.Favourable = pc.fields["favourable"] != ""
			}
			c.Label = applyText(c.Label, pc.label)
			q.Choices = append(q.Choices, c)
			m.Choices = append(m.Choices, from)
		}
	} else if q.HasChoices() {
		m.Choices = identity(len(q.Choices))
	}
	fitType(&q, &m, structure)

	m.ShowIf = ShowIfForm{Mode: fields["show_if.mode"], Question: fields["show_if.question"], Op: fields["show_if.op"],
		Value: fields["show_if.value"], JSON: fields["show_if.json"]}
	return q, m, true
}

// fitType leaves out the fields that do not belong to the question's type,
// as after a change of type, and in a draft gives a question that now
// offers choices the fewest it needs, blank, to fill in.
func fitType(q *surveys.Question, m *QuestionMeta, structure bool) {
	if !q.HasChoices() {
		q.Choices, m.Choices = nil, nil
	} else if structure {
		for len(q.Choices) < surveys.MinChoices {
			q.Choices = append(q.Choices, surveys.Choice{})
			m.Choices = append(m.Choices, -1)
		}
	}
	if q.Type != surveys.MultiChoice {
		q.MaxChoices = 0
	}
	if q.Type != surveys.Rating {
		q.Min, q.Max, q.MinLabel, q.MaxLabel = nil, nil, nil, nil
	}
	if q.Type != surveys.FreeText {
		q.MaxLength = 0
	}
	if q.Type != surveys.SingleChoice && q.Type != surveys.Scale {
		q.Breakdown = false
	}
}

// readCount reads a whole number for which blank means 0 (not set).
func readCount(fields map[string]string, name string, dst *int, m *QuestionMeta) {
	var p *int
	if readNumber(fields, name, &p, m) {
		*dst = 0
		if p != nil {
			*dst = *p
		}
	}
}

// readNumber reads an optional whole number; blank means not set. It
// reports whether the field was there and could be read.
func readNumber(fields map[string]string, name string, dst **int, m *QuestionMeta) bool {
	v, ok := fields[name]
	if !ok {
		return false
	}
	v = strings.TrimSpace(v)
	if v == "" {
		*dst = nil
		return true
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		m.Raw[name] = clip(v)
		m.Errors[name] = "must be a whole number, such as 10"
		return false
	}
	i := int(n)
	*dst = &i
	return true
}

// resolveShowIf reads the show_if editor of question qi of v, now that
// the version's questions are known (a rule's value is a number when it
// looks at a rating).
func resolveShowIf(v *surveys.Version, qi int, m *QuestionMeta) {
	q := &v.Questions[qi]
	sf := m.ShowIf
	switch sf.Mode {
	case "":
		return // the form did not show the editor: keep the condition
	case ShowAlways:
		q.ShowIf = nil
	case ShowSimple:
		r, ok := simpleRule(v, sf, m)
		if !ok {
			return
		}
		if q.ShowIf != nil && len(q.ShowIf.Any) == 1 && len(q.ShowIf.All) == 0 {
			q.ShowIf = &surveys.Condition{Any: []surveys.Rule{r}}
		} else {
			q.ShowIf = &surveys.Condition{All: []surveys.Rule{r}}
		}
	case ShowJSON:
		c, msg := readCondition(sf.JSON)
		if msg != "" {
			m.Errors["show_if.json"] = msg
			return
		}
		q.ShowIf = c
	default:
		m.Errors["show_if"] = "choose when to show this question"
	}
}

// conditionOps are the operators of the one-rule editor, in its order.
var conditionOps = []surveys.Op{surveys.OpEq, surveys.OpNeq, surveys.OpIn, surveys.OpAnswered, surveys.OpNotAnswered, surveys.OpGte, surveys.OpLte}

// simpleRule reads the one-rule editor.
func simpleRule(v *surveys.Version, sf ShowIfForm, m *QuestionMeta) (surveys.Rule, bool) {
	r := surveys.Rule{Question: strings.TrimSpace(sf.Question), Op: surveys.Op(strings.TrimSpace(sf.Op))}
	if r.Question == "" {
		m.Errors["show_if.question"] = "choose the earlier question this one depends on"
	}
	if !slices.Contains(conditionOps, r.Op) {
		m.Errors["show_if.op"] = "choose how the answer is compared"
	}
	if m.Errors["show_if.question"] != "" || m.Errors["show_if.op"] != "" {
		return r, false
	}
	if r.Op == surveys.OpAnswered || r.Op == surveys.OpNotAnswered {
		return r, true
	}
	var items []string
	if r.Op == surveys.OpIn {
		for item := range strings.SplitSeq(sf.Value, ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
	} else if item := strings.TrimSpace(sf.Value); item != "" {
		items = []string{item}
	}
	if len(items) == 0 {
		m.Errors["show_if.value"] = "give the answer to compare with: a choice key, or a number for a rating"
		return r, false
	}
	if len(items) > surveys.MaxChoices+surveys.MaxRatingValue {
		m.Errors["show_if.value"] = "has too many values"
		return r, false
	}
	r.Value = surveys.Value{Set: true, List: r.Op == surveys.OpIn}
	if target := v.Question(r.Question); target != nil && target.Type == surveys.Rating {
		for _, item := range items {
			n, err := strconv.ParseInt(item, 10, 32)
			if err != nil {
				m.Errors["show_if.value"] = fmt.Sprintf("%q is a rating, so give whole numbers", r.Question)
				return r, false
			}
			r.Value.Ints = append(r.Value.Ints, int(n))
		}
		return r, true
	}
	r.Value.Strings = items
	return r, true
}

// readCondition reads a show_if condition written as JSON.
func readCondition(s string) (*surveys.Condition, string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, `write the condition, such as {"all": [{"question": "feel_safe", "op": "eq", "value": "no"}]}, or choose "Always"`
	case len(s) > maxConditionBytes:
		return nil, fmt.Sprintf("is longer than %d characters", maxConditionBytes)
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var c surveys.Condition
	err := dec.Decode(&c)
	if err == nil {
		if _, more := dec.Token(); !errors.Is(more, io.EOF) {
			err = errors.New("more after the closing brace")
		}
	}
	if err != nil {
		var syntax *json.SyntaxError
		var serr *surveys.Error
		switch {
		case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return nil, "is not valid JSON: check the brackets, quotes and commas"
		case errors.As(err, &serr):
			return nil, strings.TrimSuffix(serr.Message, ".")
		default:
			return nil, `could not be read: a condition is {"all": [rules]} or {"any": [rules]}, each rule {"question": key, "op": operator, "value": value}`
		}
	}
	return &c, ""
}

// postedLangs reads the language columns the form showed.
func postedLangs(vals []string) ([]string, error) {
	var langs []string
	for _, l := range vals {
		l = strings.TrimSpace(l)
		if l == "" || slices.Contains(langs, l) {
			continue
		}
		if !surveys.ValidLanguage(l) {
			return nil, surveys.Errorf(surveys.EINVALID, "The form names a language the editor does not know (%q). Please reload the page.", clip(l))
		}
		langs = append(langs, l)
		if len(langs) > surveys.MaxLanguages {
			return nil, surveys.Errorf(surveys.EINVALID, "The form has more than %d languages, the most a survey may have.", surveys.MaxLanguages)
		}
	}
	return langs, nil
}

// mergeLangs returns English, then the languages in langs, then any other
// language a text of d uses, sorted.
func mergeLangs(langs []string, d *surveys.Definition) []string {
	out := []string{surveys.DefaultLanguage}
	for _, l := range langs {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	var more []string
	for _, l := range definitionLangs(d) {
		if !slices.Contains(out, l) {
			more = append(more, l)
		}
	}
	slices.Sort(more)
	return append(out, more...)
}

// definitionLangs returns every language any text of d is written in.
func definitionLangs(d *surveys.Definition) []string {
	seen := map[string]bool{}
	add := func(t surveys.Text) {
		for l := range t {
			seen[l] = true
		}
	}
	add(d.Title)
	add(d.Description)
	for _, s := range d.Sections {
		add(s.Title)
	}
	for _, v := range d.Versions {
		add(v.Label)
		for _, q := range v.Questions {
			add(q.Text)
			add(q.Help)
			add(q.MinLabel)
			add(q.MaxLabel)
			for _, c := range q.Choices {
				add(c.Label)
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// copyDefinition returns a deep copy of d, through JSON so that every
// field, including ones added later, is copied.
func copyDefinition(d *surveys.Definition) (*surveys.Definition, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("copy definition: %w", err)
	}
	var c surveys.Definition
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("copy definition: %w", err)
	}
	return &c, nil
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func sortedKeys[V any](m map[int]V) []int { return slices.Sorted(maps.Keys(m)) }

// clip shortens a value from a form for a message.
func clip(s string) string {
	const most = 60
	if len(s) <= most {
		return s
	}
	for i := most; i > 0; i-- {
		if (s[i] & 0xC0) != 0x80 {
			return s[:i] + "…"
		}
	}
	return ""
}
