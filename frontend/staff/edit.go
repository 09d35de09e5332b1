package staff

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// EditPage shows the survey editor: every wording in each language the
// survey uses, and for a draft its questions, choices, order and
// conditions too.
func (p *Pages) EditPage(c fiber.Ctx) error {
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
	if err != nil {
		return err
	}
	form, err := NewEditForm(&s.Definition)
	if err != nil {
		return err
	}
	v := p.editView(c, s, form, s.Revision)
	return p.render(c, http.StatusOK, "edit", v)
}

// Edit reads the editor's form. A button other than "Save changes" shows
// the form again as edited, saving nothing; "Save changes" asks the
// catalog to save, which validates the survey, keeps a survey that has
// been open to changes of wording, and refuses a save made from an old
// revision.
func (p *Pages) Edit(c fiber.Ctx) error {
	ctx := c.Context()
	slug := c.Params("slug")
	s, err := p.cfg.Surveys.FindSurvey(ctx, slug)
	if err != nil {
		return err
	}
	values, err := postedValues(c)
	if err != nil {
		return err
	}
	revision, err := strconv.Atoi(values.Get("revision"))
	if err != nil || revision < 1 {
		return surveys.Errorf(surveys.EINVALID, "The form is missing the survey's revision number. Please reload the page and make your changes again.")
	}
	draft := s.Status == surveys.StatusDraft
	form, err := ParseEditForm(&s.Definition, values, draft)
	if err != nil {
		return err
	}

	if form.Action.Kind != ActionSave {
		if form.Action.Structural() && !draft {
			return surveys.Errorf(surveys.EINVALID, "%s", openExplanation)
		}
		notice := form.Apply()
		v := p.editView(c, s, form, revision)
		v.Notice = notice
		v.attach(form.Problems())
		if len(v.Issues) > 0 {
			v.Heading = "Please check these before you save"
		}
		return p.render(c, http.StatusOK, "edit", v)
	}

	if revision < s.Revision {
		// Someone saved since this form was loaded: say so before
		// anything else, as their survey may differ in every way.
		return p.editConflict(c, slug, form, surveys.Errorf(surveys.ECONFLICT, "%s", editConflictMessage))
	}
	if problems := form.Problems(); len(problems) > 0 {
		// Show what the domain thinks of the rest too, so that everything
		// can be put right at once.
		for path, msg := range surveys.ErrorFields(form.Def.Validate()) {
			if _, ok := problems[dotPath(path)]; !ok {
				problems[dotPath(path)] = msg
			}
		}
		v := p.editView(c, s, form, revision)
		v.Heading, v.Message = "Your changes were not saved", "Some values could not be read. Please correct them and save again."
		v.attach(problems)
		return p.render(c, http.StatusUnprocessableEntity, "edit", v)
	}

	_, err = p.cfg.Catalog.Edit(ctx, slug, revision, form.Def)
	switch surveys.ErrorCode(err) {
	case "":
		return redirectDone(c, "/staff/surveys/"+url.PathEscape(slug), "saved")
	case surveys.EINVALID:
		v := p.editView(c, s, form, revision)
		v.Heading, v.Message = "Your changes were not saved", surveys.ErrorMessage(err)
		problems := map[string]string{}
		for path, msg := range surveys.ErrorFields(err) {
			problems[dotPath(path)] = msg
		}
		v.attach(problems)
		if len(v.Issues) == 0 {
			v.Issues = []editIssue{{Text: surveys.ErrorMessage(err)}}
			v.Message = ""
		}
		return p.render(c, http.StatusUnprocessableEntity, "edit", v)
	case surveys.ECONFLICT:
		return p.editConflict(c, slug, form, err)
	}
	return err
}

// editConflict shows the survey as the other person saved it, with what
// this person typed beside each field that differs, so that nothing is
// lost.
func (p *Pages) editConflict(c fiber.Ctx, slug string, mine *EditForm, conflict error) error {
	s, err := p.cfg.Surveys.FindSurvey(c.Context(), slug)
	if err != nil {
		return err
	}
	form, err := NewEditForm(&s.Definition)
	if err != nil {
		return err
	}
	form.Langs = mergeLangs(mine.Langs, form.Def)
	v := p.editView(c, s, form, s.Revision)
	v.Conflict = true
	v.Heading, v.Message = "Your changes were not saved", surveys.ErrorMessage(conflict)
	mineView := buildEditView(s, mine, form.Langs)
	v.markYours(mineView)
	return p.render(c, http.StatusConflict, "edit", v)
}

// postedValues reads the urlencoded form, refusing one with more fields
// than the editor ever sends before reading them all.
func postedValues(c fiber.Ctx) (url.Values, error) {
	args := c.Request().PostArgs()
	if args.Len() > MaxEditFields {
		return nil, surveys.Errorf(surveys.EINVALID,
			"The form has more than %d fields, which is more than the editor ever sends. Please reload the page and try again.", MaxEditFields)
	}
	values := url.Values{}
	for k, v := range args.All() {
		values.Add(string(k), string(v))
	}
	return values, nil
}

// editConflictMessage is the catalog's message for a save made from an
// old revision, for when the editor finds it first.
const editConflictMessage = "Someone else saved this survey after you opened it, so your changes were not saved. " +
	"Their version is shown now; make your changes again."

// openExplanation says why a survey that has been open keeps its questions.
const openExplanation = "This survey has been open, so only its wording can change. " +
	"Changing questions or answers now would change what earlier answers mean. " +
	"To change more, create next year's edition."

// editView is the editor page.
type editView struct {
	page
	Survey      *surveys.Survey
	SurveyTitle string
	Draft       bool
	Explain     string // why only wording can change
	Revision    int
	FormAction  string
	SurveyURL   string
	Langs       []editLang
	AddLang     *editField
	TitleText   editText
	Description editText
	Sections    []editText
	Versions    []*editVersion
	Issues      []editIssue
	Heading     string // of the error summary
	Message     string // the domain's message above the list
	Notice      string // what a button changed
	Conflict    bool
	Yours       []editYours // this person's unsaved values that have no field now
	Differs     []editIssue // the fields where this person's value differs

	byPath map[string]*editField
	inputs []*editField
	order  int
}

type editLang struct {
	Code string
	Name string
}

// editIssue is a line of the error summary, linking to its field when it
// has one.
type editIssue struct {
	ID    string
	Text  string
	order int
}

// editYours is a value the person typed that the other person's version
// has no field for.
type editYours struct {
	Where string
	Value string
}

// editField is one control of the form, or a group of controls (Kind
// "group") that an error can be shown on. Its Name is its path in the
// definition, and its ID is derived from it.
type editField struct {
	Name    string
	ID      string
	Kind    string // text, textarea, number, select, checkbox, static, group
	Label   string
	Where   string // names the field in the error summary
	Value   string
	Checked bool
	Options []editOption
	Lang    string
	Dir     string
	Hint    string
	Rows    int
	Wide    bool
	Error   string
	Was     string // in a conflict: what this person had typed
	HasWas  bool
	order   int
	// to is where problems with this field are shown instead: a text's
	// English input, for a text that is missing.
	to *editField
}

type editOption struct {
	Value    string
	Text     string
	Selected bool
}

// Described lists the ids of the hint, error and conflict note of a
// field, for aria-describedby.
func (f *editField) Described() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.HasWas {
		ids = append(ids, f.ID+"-was")
	}
	return strings.Join(ids, " ")
}

// shown is the field's value as a person reads it.
func (f *editField) shown() string {
	if f.Kind == "select" {
		for _, o := range f.Options {
			if o.Value == f.Value {
				return o.Text
			}
		}
	}
	return f.Value
}

// editText is a text in each language of the form, side by side: a
// fieldset, or with Flat (inside a choice) inputs labelled each with the
// text's name.
type editText struct {
	Group  *editField
	Inputs []*editField
	Flat   bool
}

type editVersion struct {
	Draft       bool
	FormAction  string
	AddFragment string // where the page goes after adding a question
	Group       *editField
	Index       int
	Key         string
	Name        string
	Label       editText
	Questions   []*editQuestion
	// QuestionsGroup carries problems with the list of questions.
	QuestionsGroup *editField
	PreviewURL     string
	NewType        *editField
	NewKey         *editField
	AddAction      string
}

type editQuestion struct {
	Draft        bool
	FormAction   string
	UpFragment   string
	DownFragment string
	Group        *editField
	Number       int
	Key          string
	Title        string // the English text, cut short for the heading
	TypeName     string
	Origin       string
	Prefix       string // the name of its fields, "versions.0.questions.3"
	KeyField     *editField
	Type         *editField
	Section      *editField
	Required     *editField
	Breakdown    *editField
	Text         editText
	Help         editText
	Choices      *editChoices
	MaxChoices   *editField
	Min          *editField
	Max          *editField
	MinLabel     *editText
	MaxLabel     *editText
	MaxLength    *editField
	ShowIf       *editShowIf
	ShowIfWords  *editField // for a survey that has been open
	Remove       *editField
	UpAction     string
	DownAction   string
	First, Last  bool
}

type editChoices struct {
	Draft      bool
	FormAction string
	Fragment   string
	Group      *editField
	Items      []*editChoice
	AddAction  string
}

type editChoice struct {
	Group      *editField
	Number     int
	Origin     string
	Prefix     string
	Key        *editField
	Label      editText
	Favourable *editField
	Remove     *editField
}

type editShowIf struct {
	Group    *editField
	Name     string // of the mode radios
	Mode     string
	Question *editField
	Op       *editField
	Value    *editField
	JSON     *editField
}

// editView builds the page for form, made from revision of s.
func (p *Pages) editView(c fiber.Ctx, s *surveys.Survey, form *EditForm, revision int) *editView {
	v := buildEditView(s, form, form.Langs)
	v.page = p.page(c, "Edit "+v.SurveyTitle)
	v.Revision = revision
	return v
}

// buildEditView lays out the form's fields for the page, in langs. It
// needs no request, so that tests and the conflict view can call it.
func buildEditView(s *surveys.Survey, form *EditForm, langs []string) *editView {
	d := form.Def
	v := &editView{
		Survey: s, SurveyTitle: s.Title.In(surveys.DefaultLanguage), Draft: s.Status == surveys.StatusDraft,
		FormAction: "/staff/surveys/" + url.PathEscape(s.Slug) + "/edit", SurveyURL: "/staff/surveys/" + url.PathEscape(s.Slug),
		byPath: map[string]*editField{},
	}
	if !v.Draft {
		v.Explain = openExplanation
	}
	for _, l := range langs {
		v.Langs = append(v.Langs, editLang{Code: l, Name: languageName(l)})
	}
	v.AddLang = v.add("add_lang", "select", "Add a language", "Add a language")
	v.AddLang.Options = []editOption{{Value: "", Text: "Choose a language"}}
	for _, l := range offeredLanguages {
		if !slices.Contains(langs, l.Code) {
			v.AddLang.Options = append(v.AddLang.Options, editOption{Value: l.Code, Text: l.Name, Selected: l.Code == form.AddLang})
		}
	}
	v.AddLang.Value = form.AddLang

	v.TitleText = v.text("title", "Survey title", "Survey title", d.Title, "text", langs)
	v.Description = v.text("description", "Description", "Description", d.Description, "textarea", langs)
	for i, sec := range d.Sections {
		name := fmt.Sprintf("sections.%d.title", i)
		v.Sections = append(v.Sections, v.text(name, fmt.Sprintf("Section %q (%s)", sec.Title.In(surveys.DefaultLanguage), sec.Key),
			fmt.Sprintf("Section %s, title", sec.Key), sec.Title, "text", langs))
	}
	for vi := range d.Versions {
		var meta VersionMeta
		if vi < len(form.Versions) {
			meta = form.Versions[vi]
		}
		v.Versions = append(v.Versions, v.version(s, d, vi, meta, langs))
	}
	return v
}

func (v *editView) version(s *surveys.Survey, d *surveys.Definition, vi int, meta VersionMeta, langs []string) *editVersion {
	ver := &d.Versions[vi]
	prefix := fmt.Sprintf("versions.%d", vi)
	name := ver.Label.In(surveys.DefaultLanguage)
	ev := &editVersion{Index: vi, Key: ver.Key, Name: name, Draft: v.Draft, FormAction: v.FormAction,
		AddFragment: fieldID(fmt.Sprintf("%s.questions.%d", prefix, len(ver.Questions))),
		PreviewURL:  "/staff/surveys/" + url.PathEscape(s.Slug) + "/preview/" + url.PathEscape(ver.Key),
		AddAction:   fmt.Sprintf("%s:%d", ActionAddQuestion, vi)}
	ev.Group = v.add(prefix, "group", name, name)
	ev.QuestionsGroup = v.add(prefix+".questions", "group", "Questions", name+", questions")
	ev.Label = v.text(prefix+".label", "Name of this version, as young people see it", name+", name", ver.Label, "text", langs)
	for qi := range ver.Questions {
		var qm QuestionMeta
		if qi < len(meta.Questions) {
			qm = meta.Questions[qi]
		} else {
			qm = QuestionMeta{Origin: -1}
		}
		q := v.question(d, ver, vi, qi, qm, langs)
		q.First, q.Last = qi == 0, qi == len(ver.Questions)-1
		ev.Questions = append(ev.Questions, q)
	}
	if v.Draft {
		ev.NewType = v.add(prefix+".new_type", "select", "Kind of question", name+", new question's kind")
		ev.NewType.Value = meta.NewType
		ev.NewType.Options = typeOptions(meta.NewType, true)
		ev.NewKey = v.add(prefix+".new_key", "text", "Key", name+", new question's key")
		ev.NewKey.Value = meta.NewKey
		ev.NewKey.Hint = "Lower-case letters, digits, _ and -, such as feel_safe. Use the same key as last year for the same question."
	}
	return ev
}

func (v *editView) question(d *surveys.Definition, ver *surveys.Version, vi, qi int, meta QuestionMeta, langs []string) *editQuestion {
	q := &ver.Questions[qi]
	prefix := fmt.Sprintf("versions.%d.questions.%d", vi, qi)
	where := fmt.Sprintf("%s, question %d (%s)", ver.Label.In(surveys.DefaultLanguage), qi+1, q.Key)
	eq := &editQuestion{Number: qi + 1, Key: q.Key, Title: headingText(q.Text.In(surveys.DefaultLanguage)), TypeName: typeName(q.Type),
		Prefix: prefix, Draft: v.Draft, FormAction: v.FormAction,
		UpFragment:   fieldID(fmt.Sprintf("versions.%d.questions.%d", vi, qi-1)),
		DownFragment: fieldID(fmt.Sprintf("versions.%d.questions.%d", vi, qi+1)),
		UpAction:     fmt.Sprintf("%s:%d:%d", ActionUp, vi, qi), DownAction: fmt.Sprintf("%s:%d:%d", ActionDown, vi, qi)}
	if meta.Origin >= 0 {
		eq.Origin = strconv.Itoa(meta.Origin)
	}
	eq.Group = v.add(prefix, "group", fmt.Sprintf("Question %d", qi+1), where)
	raw := func(field, value string) string {
		if r, ok := meta.Raw[field]; ok {
			return r
		}
		return value
	}

	if v.Draft {
		eq.KeyField = v.add(prefix+".key", "text", "Key", where+", key")
		eq.KeyField.Value = q.Key
		eq.Type = v.add(prefix+".type", "select", "Kind of question", where+", kind")
		eq.Type.Value, eq.Type.Options = string(q.Type), typeOptions(string(q.Type), false)
		eq.Section = v.add(prefix+".section", "select", "Section", where+", section")
		eq.Section.Value = q.Section
		eq.Section.Options = sectionOptions(d, q.Section)
		eq.Required = v.add(prefix+".required", "checkbox", "An answer is required (leave this off unless there is a strong reason)", where+", required")
		eq.Required.Checked = q.Required
		if q.Type == surveys.SingleChoice || q.Type == surveys.Scale {
			eq.Breakdown = v.add(prefix+".breakdown", "checkbox", "Results can be filtered by this question (a breakdown)", where+", breakdown")
			eq.Breakdown.Checked = q.Breakdown
		}
		eq.Remove = v.add(prefix+".remove", "checkbox", "Remove this question when I save", where+", remove")
	} else {
		// The key and kind cannot change, and the heading says them: a
		// problem with either is shown on the question.
		eq.Section = v.add(prefix+".section", "static", "Section", where+", section")
		eq.Section.Value = "none"
		if sec := sectionTitle(d, q.Section); sec != "" {
			eq.Section.Value = sec
		}
		eq.Required = v.add(prefix+".required", "static", "Answer required", where+", required")
		eq.Required.Value = map[bool]string{true: "yes", false: "no"}[q.Required]
		eq.ShowIfWords = v.add(prefix+".show_if", "static", "When it is shown", where+", when it is shown")
		eq.ShowIfWords.Value = conditionWords(q.ShowIf)
	}
	eq.Text = v.text(prefix+".text", "Question text", where+", text", q.Text, "textarea", langs)
	eq.Help = v.text(prefix+".help", "Help (optional): a line under the question that explains a word or gives an example", where+", help", q.Help, "textarea", langs)

	if q.HasChoices() {
		eq.Choices = v.choices(q, prefix, where, vi, qi, meta, langs)
		if q.Type == surveys.MultiChoice && v.Draft {
			eq.MaxChoices = v.add(prefix+".max_choices", "number", "Most choices a young person may pick", where+", most choices")
			eq.MaxChoices.Value = raw("max_choices", countValue(q.MaxChoices))
			eq.MaxChoices.Hint = "Leave empty for no limit. Say the limit in the question too."
		}
	}
	if q.Type == surveys.Rating {
		if v.Draft {
			eq.Min = v.add(prefix+".min", "number", "Lowest number", where+", lowest number")
			eq.Min.Value = raw("min", numberValue(q.Min))
			eq.Max = v.add(prefix+".max", "number", "Highest number", where+", highest number")
			eq.Max.Value = raw("max", numberValue(q.Max))
		} else {
			lo, hi := q.RatingRange()
			eq.Min = v.add(prefix+".min", "static", "Numbers", where+", numbers")
			eq.Min.Value = fmt.Sprintf("%d to %d", lo, hi)
			v.byPath[prefix+".max"] = eq.Min
		}
		minLabel := v.text(prefix+".min_label", "What the lowest number means (optional)", where+", lowest label", q.MinLabel, "text", langs)
		maxLabel := v.text(prefix+".max_label", "What the highest number means (optional)", where+", highest label", q.MaxLabel, "text", langs)
		eq.MinLabel, eq.MaxLabel = &minLabel, &maxLabel
	}
	if q.Type == surveys.FreeText {
		if v.Draft {
			eq.MaxLength = v.add(prefix+".max_length", "number", "Longest answer, in characters", where+", longest answer")
			eq.MaxLength.Value = raw("max_length", countValue(q.MaxLength))
			eq.MaxLength.Hint = fmt.Sprintf("Leave empty for %s characters.", thousands(surveys.DefaultTextLength))
		} else {
			eq.MaxLength = v.add(prefix+".max_length", "static", "Longest answer", where+", longest answer")
			eq.MaxLength.Value = thousands(q.TextLimit()) + " characters"
		}
	}
	switch {
	case v.Draft && qi == 0 && q.ShowIf == nil && (meta.ShowIf.Mode == "" || meta.ShowIf.Mode == ShowAlways):
		// Nothing comes before the first question for it to depend on.
		eq.ShowIfWords = v.add(prefix+".show_if", "static", "When it is shown", where+", when it is shown")
		eq.ShowIfWords.Value = "Always: the first question cannot depend on another."
	case v.Draft:
		eq.ShowIf = v.showIf(ver, q, prefix, where, qi, meta.ShowIf)
	}
	return eq
}

func (v *editView) choices(q *surveys.Question, prefix, where string, vi, qi int, meta QuestionMeta, langs []string) *editChoices {
	ec := &editChoices{AddAction: fmt.Sprintf("%s:%d:%d", ActionAddChoice, vi, qi), Draft: v.Draft, FormAction: v.FormAction,
		Fragment: fieldID(fmt.Sprintf("%s.choices.%d", prefix, len(q.Choices)))}
	ec.Group = v.add(prefix+".choices", "group", "Choices", where+", choices")
	for ci := range q.Choices {
		c := &q.Choices[ci]
		cp := fmt.Sprintf("%s.choices.%d", prefix, ci)
		cwhere := fmt.Sprintf("%s, choice %d", where, ci+1)
		if c.Key != "" {
			cwhere += " (" + c.Key + ")"
		}
		item := &editChoice{Number: ci + 1, Prefix: cp}
		if ci < len(meta.Choices) && meta.Choices[ci] >= 0 {
			item.Origin = strconv.Itoa(meta.Choices[ci])
		}
		item.Group = v.add(cp, "group", fmt.Sprintf("Choice %d", ci+1), cwhere)
		if v.Draft {
			item.Key = v.add(cp+".key", "text", "Key", cwhere+", key")
			item.Favourable = v.add(cp+".favourable", "checkbox", "Good news", cwhere+", good news")
			item.Favourable.Checked = c.Favourable
			item.Remove = v.add(cp+".remove", "checkbox", "Remove this choice when I save", cwhere+", remove")
		} else {
			item.Key = v.add(cp+".key", "static", "Key", cwhere+", key")
		}
		item.Key.Value = c.Key
		item.Label = v.text(cp+".label", "Label", cwhere+", label", c.Label, "text", langs)
		item.Label.Flat = true
		for _, f := range item.Label.Inputs {
			f.Label = "Label in " + f.Label
		}
		ec.Items = append(ec.Items, item)
	}
	return ec
}

func (v *editView) showIf(ver *surveys.Version, q *surveys.Question, prefix, where string, qi int, typed ShowIfForm) *editShowIf {
	name := prefix + ".show_if"
	s := &editShowIf{Name: name + ".mode"}
	s.Group = v.add(name, "group", "When to show this question", where+", when it is shown")
	s.Question = v.add(name+".question", "select", "Earlier question", where+", condition's question")
	s.Op = v.add(name+".op", "select", "Its answer", where+", condition's comparison")
	s.Value = v.add(name+".value", "text", "Value", where+", condition's value")
	s.Value.Hint = "A choice key such as yes, or a number for a rating. For \"is one of\", separate them with commas."
	s.JSON = v.add(name+".json", "textarea", "Condition as JSON", where+", condition")
	s.JSON.Rows, s.JSON.Wide = 4, true
	s.JSON.Hint = `For anything more than one rule, such as {"any": [{"question": "talk_to", "op": "eq", "value": "yes"}, {"question": "talk_to", "op": "not_answered"}]}. See the survey format guide.`

	if typed.Mode != "" {
		s.Mode = typed.Mode
		s.Question.Value, s.Op.Value, s.Value.Value, s.JSON.Value = typed.Question, typed.Op, typed.Value, typed.JSON
	} else {
		s.Mode = ShowAlways
		if q.ShowIf != nil {
			if r, ok := oneRule(q.ShowIf); ok {
				s.Mode = ShowSimple
				s.Question.Value, s.Op.Value, s.Value.Value = r.Question, string(r.Op), ruleValue(r.Value)
			} else {
				s.Mode = ShowJSON
				s.JSON.Value = conditionJSON(q.ShowIf)
			}
		}
	}
	s.Question.Options = []editOption{{Value: "", Text: "Choose a question"}}
	found := false
	for _, earlier := range ver.Questions[:qi] {
		text := earlier.Key + ": " + clip(earlier.Text.In(surveys.DefaultLanguage))
		s.Question.Options = append(s.Question.Options, editOption{Value: earlier.Key, Text: text, Selected: earlier.Key == s.Question.Value})
		found = found || earlier.Key == s.Question.Value
	}
	if !found && s.Question.Value != "" {
		s.Question.Options = append(s.Question.Options, editOption{Value: s.Question.Value, Text: s.Question.Value + " (not an earlier question)", Selected: true})
	}
	s.Op.Options = []editOption{{Value: "", Text: "Choose"}}
	for _, op := range conditionOps {
		s.Op.Options = append(s.Op.Options, editOption{Value: string(op), Text: opWords[op], Selected: string(op) == s.Op.Value})
	}
	// Errors about the rule land beside the one-rule editor, or beside
	// the JSON when that is in use.
	if s.Mode == ShowJSON {
		v.byPath[name] = s.JSON
	} else {
		for _, list := range []string{"all", "any"} {
			v.byPath[name+"."+list+".0.question"] = s.Question
			v.byPath[name+"."+list+".0.op"] = s.Op
			v.byPath[name+"."+list+".0.value"] = s.Value
		}
	}
	return s
}

// add makes a field named by its path and keeps it for errors.
func (v *editView) add(name, kind, label, where string) *editField {
	v.order++
	f := &editField{Name: name, ID: fieldID(name), Kind: kind, Label: label, Where: where, order: v.order}
	v.byPath[name] = f
	switch kind {
	case "text", "textarea", "number", "select":
		v.inputs = append(v.inputs, f)
	}
	return f
}

// text makes a text's group and one input for each language.
func (v *editView) text(name, legend, where string, t surveys.Text, kind string, langs []string) editText {
	et := editText{Group: v.add(name, "group", legend, where)}
	for _, l := range langs {
		f := v.add(name+"."+l, kind, languageName(l), where+" in "+languageName(l))
		f.Value, f.Lang, f.Dir = t[l], l, languageDir(l)
		if kind == "textarea" {
			f.Rows = textRows(f.Value)
		}
		et.Inputs = append(et.Inputs, f)
		if l == surveys.DefaultLanguage {
			et.Group.to = f
		}
	}
	return et
}

// textRows is how many rows a textarea needs to show text without
// scrolling, at about 60 characters a line (two languages side by side on
// a laptop): at least 2, at most 12.
func textRows(text string) int {
	n := 0
	for line := range strings.SplitSeq(text, "\n") {
		n += max(1, (utf8.RuneCountInString(line)+59)/60)
	}
	return min(12, max(2, n))
}

// headingText is a question's text on one line, cut short at a word to
// about 60 characters for its heading.
func headingText(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	short := clip(text)
	if short == text {
		return text
	}
	short = strings.TrimSuffix(short, "…")
	if i := strings.LastIndexByte(short, ' '); i > 40 {
		short = short[:i]
	}
	return strings.TrimRight(short, " ,;:.") + "…"
}

// fieldID is the id of the input for a path: "f-versions-0-text-pl".
func fieldID(name string) string { return "f-" + strings.ReplaceAll(name, ".", "-") }

// dotPath writes a path of the domain ("versions[0].questions[3]") as the
// form names it ("versions.0.questions.3").
func dotPath(p string) string {
	return strings.ReplaceAll(strings.ReplaceAll(p, "[", "."), "]", "")
}

// attach puts each problem beside the field its path belongs to, or the
// nearest group holding it, and lists them all in the summary, in the
// order of the page. A problem with no place on the page is listed only.
func (v *editView) attach(problems map[string]string) {
	for _, path := range slices.Sorted(maps.Keys(problems)) {
		msg := problems[path]
		f := v.fieldFor(path)
		if f != nil && f.to != nil {
			f = f.to
		}
		if f == nil {
			v.Issues = append(v.Issues, editIssue{Text: path + ": " + msg})
			continue
		}
		if f.Error != "" {
			f.Error += " "
		}
		f.Error += sentence(msg)
		v.Issues = append(v.Issues, editIssue{ID: f.ID, Text: f.Where + ": " + msg, order: f.order})
	}
	slices.SortStableFunc(v.Issues, func(a, b editIssue) int { return cmp.Compare(a.order, b.order) })
}

func (v *editView) fieldFor(path string) *editField {
	for p := path; p != ""; {
		if f, ok := v.byPath[p]; ok {
			return f
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return nil
		}
		p = p[:i]
	}
	return nil
}

// markYours notes, beside each field of v, what the person had typed
// there in mine when it differs, and lists what has no field in v.
func (v *editView) markYours(mine *editView) {
	have := map[string]*editField{}
	for _, f := range v.inputs {
		have[f.Name] = f
	}
	for _, m := range mine.inputs {
		f := have[m.Name]
		if f != nil && f.Kind == m.Kind {
			if f.Value != m.Value {
				f.Was, f.HasWas = m.shown(), true
				v.Differs = append(v.Differs, editIssue{ID: f.ID, Text: f.Where, order: f.order})
			}
			continue
		}
		if m.Value != "" {
			v.Yours = append(v.Yours, editYours{Where: m.Where, Value: m.shown()})
		}
	}
}

// sentence makes a message of the domain ("is missing; ...") stand on its
// own beside its field.
func sentence(msg string) string {
	r, n := utf8.DecodeRuneInString(msg)
	if n == 0 {
		return msg
	}
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

// Languages the editor offers to add, in the order of the select: the
// languages most spoken in UK councils' areas after English.
var offeredLanguages = []editLang{
	{"pl", "Polish"}, {"cy", "Welsh"}, {"ur", "Urdu"}, {"pa", "Punjabi"}, {"bn", "Bengali"}, {"ar", "Arabic"},
	{"so", "Somali"}, {"ro", "Romanian"}, {"lt", "Lithuanian"}, {"pt", "Portuguese"}, {"es", "Spanish"},
	{"fr", "French"}, {"uk", "Ukrainian"}, {"fa", "Persian (Farsi)"}, {"ps", "Pashto"}, {"ti", "Tigrinya"},
	{"ku", "Kurdish"}, {"zh", "Chinese"}, {"gd", "Scottish Gaelic"},
}

// languageName names a language code in English, or gives the code.
func languageName(code string) string {
	if code == surveys.DefaultLanguage {
		return "English"
	}
	for _, l := range offeredLanguages {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// languageDir is "rtl" for languages written right to left.
func languageDir(code string) string {
	base, _, _ := strings.Cut(code, "-")
	switch base {
	case "ar", "ur", "fa", "ps", "he", "yi", "ckb", "sd", "ug", "dv":
		return "rtl"
	}
	return ""
}

var typeNames = map[surveys.QuestionType]string{
	surveys.SingleChoice: "one choice",
	surveys.MultiChoice:  "several choices",
	surveys.Scale:        "scale",
	surveys.Rating:       "rating",
	surveys.FreeText:     "free text",
}

func typeName(t surveys.QuestionType) string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return string(t)
}

// typeOptions offers every question type; blank adds "Choose".
func typeOptions(chosen string, blank bool) []editOption {
	words := map[surveys.QuestionType]string{
		surveys.SingleChoice: "One choice",
		surveys.MultiChoice:  "Several choices",
		surveys.Scale:        "Scale (faces)",
		surveys.Rating:       "Rating (a number)",
		surveys.FreeText:     "Free text",
	}
	var opts []editOption
	if blank {
		opts = append(opts, editOption{Value: "", Text: "Choose"})
	}
	found := false
	for _, t := range questionTypes {
		opts = append(opts, editOption{Value: string(t), Text: words[t], Selected: string(t) == chosen})
		found = found || string(t) == chosen
	}
	if !found && chosen != "" {
		opts = append(opts, editOption{Value: chosen, Text: chosen + " (not a kind of question)", Selected: true})
	}
	return opts
}

func sectionOptions(d *surveys.Definition, chosen string) []editOption {
	opts := []editOption{{Value: "", Text: "No section", Selected: chosen == ""}}
	found := chosen == ""
	for _, s := range d.Sections {
		opts = append(opts, editOption{Value: s.Key, Text: s.Title.In(surveys.DefaultLanguage), Selected: s.Key == chosen})
		found = found || s.Key == chosen
	}
	if !found {
		opts = append(opts, editOption{Value: chosen, Text: chosen + " (not a section)", Selected: true})
	}
	return opts
}

func sectionTitle(d *surveys.Definition, key string) string {
	for _, s := range d.Sections {
		if s.Key == key && key != "" {
			return s.Title.In(surveys.DefaultLanguage)
		}
	}
	return key
}

var opWords = map[surveys.Op]string{
	surveys.OpEq:          "is",
	surveys.OpNeq:         "is answered, but is not",
	surveys.OpIn:          "is one of",
	surveys.OpAnswered:    "is answered (any answer)",
	surveys.OpNotAnswered: "is not answered (skipped or not shown)",
	surveys.OpGte:         "is at least (ratings)",
	surveys.OpLte:         "is at most (ratings)",
}

// oneRule returns the only rule of c when the one-rule editor can show it
// exactly.
func oneRule(c *surveys.Condition) (surveys.Rule, bool) {
	rules := c.All
	if len(c.Any) > 0 {
		if len(c.All) > 0 {
			return surveys.Rule{}, false
		}
		rules = c.Any
	}
	if len(rules) != 1 {
		return surveys.Rule{}, false
	}
	r := rules[0]
	if r.Value.List != (r.Op == surveys.OpIn) && r.Value.Set {
		return surveys.Rule{}, false
	}
	for _, s := range r.Value.Strings {
		if strings.Contains(s, ",") || s != strings.TrimSpace(s) || s == "" {
			return surveys.Rule{}, false
		}
	}
	return r, true
}

func ruleValue(v surveys.Value) string {
	var items []string
	items = append(items, v.Strings...)
	for _, n := range v.Ints {
		items = append(items, strconv.Itoa(n))
	}
	return strings.Join(items, ", ")
}

// conditionJSON writes a condition as a definition file does.
func conditionJSON(c *surveys.Condition) string {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

// conditionWords says a condition as a sentence, for a survey whose
// conditions cannot change.
func conditionWords(c *surveys.Condition) string {
	if c == nil {
		return "Always shown."
	}
	rules, join := c.All, " and "
	if len(c.Any) > 0 {
		rules, join = c.Any, " or "
	}
	var parts []string
	for _, r := range rules {
		part := r.Question + " " + opWords[r.Op]
		if r.Value.Set {
			part += " " + ruleValue(r.Value)
		}
		parts = append(parts, strings.TrimSuffix(strings.TrimSuffix(part, " (ratings)"), " (any answer)"))
	}
	return "Shown only when " + strings.Join(parts, join) + "."
}

func countValue(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func numberValue(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// thousands writes n with commas: 2,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
