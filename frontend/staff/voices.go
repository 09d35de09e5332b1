package staff

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// The review page: young people's comments with the machine's themes and
// the words that led to each, filtered, a page at a time; a person accepts
// the suggestions or sets other themes, one comment at a time or many at
// once. Opening the page is a read of young people's words, so the domain
// records it in the audit log.

// voicesPage is how many comments one page shows.
const voicesPage = 50

var sentimentNames = map[surveys.Sentiment]string{
	surveys.Positive: "Positive", surveys.Negative: "Negative", surveys.Mixed: "Mixed", surveys.Neutral: "Neutral",
}

var channelNames = map[surveys.Channel]string{
	surveys.ChannelSurvey: "Surveys", surveys.ChannelSession: "Live sessions", surveys.ChannelSchoolCouncil: "School councils",
}

type voiceRow struct {
	Voice    *surveys.Voice
	Question string // the question's wording, when known
	Machine  []themeChip
	Current  []string // names of the themes in force
	Feeling  string
}

type themeChip struct {
	Name     string
	Evidence string
	Score    string
}

type agreementRow struct {
	Name      string
	Suggested int
	Kept      int
	Added     int
	Changed   string // "12%" or "" when nothing was decided
}

type voicesView struct {
	page
	Filter     voicesFilterView
	Rows       []voiceRow
	Next       string // the address of the next page, or ""
	Themes     []adminOption
	Sentiments []adminOption
	Agreement  []agreementRow
	Error      string
	Back       string // this page's query ("?theme=money"), which the review form is sent with
}

type voicesFilterView struct {
	Channel, Survey, Question, Theme, Sentiment, Quotes string
	Unreviewed                                          bool
	Channels, Surveys, ThemeOpts, SentOpts, QuoteOpts   []adminOption
}

// VoicesPage lists comments for review.
func (p *Pages) VoicesPage(c fiber.Ctx) error {
	return p.renderVoices(c, http.StatusOK, "")
}

func (p *Pages) renderVoices(c fiber.Ctx, status int, problem string) error {
	ctx := c.Context()
	cb := p.cfg.Themes.Codebook()
	f, fv := p.voicesFilter(c, cb)
	if err := p.voiceFilterOptions(ctx, &fv, cb); err != nil {
		return err
	}
	f.Limit = voicesPage + 1
	voices, err := p.cfg.Voices.Find(ctx, f)
	if err != nil {
		return err
	}
	v := voicesView{page: p.page(c, "Review comments"), Filter: fv, Error: problem}
	if q := string(c.Request().URI().QueryString()); q != "" {
		v.Back = "?" + q
	}
	if len(voices) > voicesPage {
		voices = voices[:voicesPage]
		q := c.Queries()
		vals := url.Values{}
		for k, val := range q {
			vals.Set(k, val)
		}
		vals.Set("after", voices[len(voices)-1].ID)
		v.Next = "/staff/voices?" + vals.Encode()
	}
	for _, voice := range voices {
		v.Rows = append(v.Rows, p.voiceRow(ctx, cb, voice))
	}
	for _, t := range cb.Themes {
		v.Themes = append(v.Themes, adminOption{Value: t.Key, Text: t.Name})
	}
	for _, s := range surveys.Sentiments {
		v.Sentiments = append(v.Sentiments, adminOption{Value: string(s), Text: sentimentNames[s]})
	}
	reviewed, err := p.cfg.Voices.Store.FindVoices(ctx, surveys.VoiceFilter{Survey: f.Survey, Channel: f.Channel, Reviewed: true})
	if err != nil {
		return err
	}
	for _, a := range surveys.Agreement(cb, reviewed) {
		row := agreementRow{Name: themeName(cb, a.Key), Suggested: a.Suggested, Kept: a.Kept, Added: a.Added}
		if ch := a.Changed(); ch >= 0 {
			row.Changed = fmt.Sprintf("%.0f%%", ch*100)
		}
		v.Agreement = append(v.Agreement, row)
	}
	return p.render(c, status, "voices", v)
}

// voicesFilter reads the filter from the address; a value that is not one
// of the choices is ignored, as a hand-edited address may have.
func (p *Pages) voicesFilter(c fiber.Ctx, cb *surveys.Codebook) (surveys.VoiceFilter, voicesFilterView) {
	fv := voicesFilterView{Channel: c.Query("channel"), Survey: c.Query("survey"), Question: c.Query("question"),
		Theme: c.Query("theme"), Sentiment: c.Query("sentiment"), Quotes: c.Query("quotes"), Unreviewed: c.Query("unreviewed", "1") == "1"}
	if fv.Quotes != string(surveys.QuoteApproved) && fv.Quotes != string(surveys.QuotePending) {
		fv.Quotes = ""
	}
	if !surveys.Channel(fv.Channel).Valid() {
		fv.Channel = ""
	}
	if cb.Theme(fv.Theme) == nil {
		fv.Theme = ""
	}
	if !surveys.Sentiment(fv.Sentiment).Valid() {
		fv.Sentiment = ""
	}
	if len(fv.Survey) > 100 || len(fv.Question) > 100 {
		fv.Survey, fv.Question = "", ""
	}
	after := c.Query("after")
	if len(after) > 64 {
		after = ""
	}
	return surveys.VoiceFilter{Channel: surveys.Channel(fv.Channel), Survey: fv.Survey, Question: fv.Question,
		Theme: fv.Theme, Sentiment: surveys.Sentiment(fv.Sentiment), Unreviewed: fv.Unreviewed, After: after,
		Quotes: surveys.QuoteStatus(fv.Quotes)}, fv
}

func (p *Pages) voiceFilterOptions(ctx context.Context, fv *voicesFilterView, cb *surveys.Codebook) error {
	option := func(value, text, chosen string) adminOption {
		return adminOption{Value: value, Text: text, Selected: value == chosen}
	}
	fv.Channels = []adminOption{option("", "All channels", fv.Channel)}
	for _, ch := range surveys.Channels {
		fv.Channels = append(fv.Channels, option(string(ch), channelNames[ch], fv.Channel))
	}
	list, err := p.cfg.Surveys.FindSurveys(ctx, surveys.SurveyFilter{})
	if err != nil {
		return err
	}
	fv.Surveys = []adminOption{option("", "All surveys", fv.Survey)}
	for _, s := range list {
		fv.Surveys = append(fv.Surveys, option(s.Slug, surveyName(s), fv.Survey))
	}
	fv.ThemeOpts = []adminOption{option("", "Any theme", fv.Theme)}
	for _, t := range cb.Themes {
		fv.ThemeOpts = append(fv.ThemeOpts, option(t.Key, t.Name, fv.Theme))
	}
	fv.QuoteOpts = []adminOption{option("", "With or without", fv.Quotes),
		option(string(surveys.QuotePending), "Waiting for a second analyst", fv.Quotes),
		option(string(surveys.QuoteApproved), "Approved quotes", fv.Quotes)}
	fv.SentOpts = []adminOption{option("", "Any feeling", fv.Sentiment)}
	for _, s := range surveys.Sentiments {
		fv.SentOpts = append(fv.SentOpts, option(string(s), sentimentNames[s], fv.Sentiment))
	}
	return nil
}

func (p *Pages) voiceRow(ctx context.Context, cb *surveys.Codebook, v *surveys.Voice) voiceRow {
	r := voiceRow{Voice: v, Feeling: sentimentNames[v.Sentiment()]}
	if v.Channel == surveys.ChannelSurvey {
		if s, err := p.cfg.Surveys.FindSurvey(ctx, v.Source.Survey); err == nil {
			if ver := s.Version(v.Source.Version); ver != nil {
				if q := ver.Question(v.Source.Question); q != nil {
					r.Question = q.Text.In(surveys.DefaultLanguage)
				}
			}
		}
	}
	for _, t := range v.Machine.Themes {
		r.Machine = append(r.Machine, themeChip{Name: themeName(cb, t.Key), Evidence: strings.Join(t.Evidence, ", "),
			Score: fmt.Sprintf("%.0f%%", t.Score*100)})
	}
	for _, k := range v.Themes() {
		r.Current = append(r.Current, themeName(cb, k))
	}
	return r
}

// themeName names a theme by the codebook, or by its key when a later
// codebook dropped it.
func themeName(cb *surveys.Codebook, key string) string {
	if t := cb.Theme(key); t != nil {
		return t.Name
	}
	return key
}

// ReviewVoices applies a review from the page: accept one comment's
// suggestions, accept those of every comment ticked, or set the same
// themes and feeling on every comment ticked. It returns to the same
// filtered page.
func (p *Pages) ReviewVoices(c fiber.Ctx) error {
	ctx := c.Context()
	// The form is sent to this page's address with the filter's query, so
	// that a refusal shows the same comments and success returns to them.
	back := "/staff/voices"
	if q := string(c.Request().URI().QueryString()); q != "" {
		back += "?" + q
	}
	action := c.FormValue("action")
	var err error
	switch {
	case strings.HasPrefix(action, "accept:"):
		_, err = p.cfg.Voices.Accept(ctx, []string{strings.TrimPrefix(action, "accept:")})
	case action == "accept":
		_, err = p.cfg.Voices.Accept(ctx, formValues(c, "id"))
	case action == "set":
		themes := formValues(c, "theme")
		if themes == nil {
			themes = []string{}
		}
		_, err = p.cfg.Voices.Review(ctx, formValues(c, "id"), themes, surveys.Sentiment(c.FormValue("sentiment")))
	default:
		err = surveys.Errorf(surveys.EINVALID, "Choose what to do with the comments.")
	}
	if surveys.ErrorCode(err) == surveys.EINVALID {
		return p.renderVoices(c, http.StatusUnprocessableEntity, reviewProblem(err))
	}
	if err != nil {
		return err
	}
	return redirectDone(c, back, "reviewed")
}

// reviewProblem says what was wrong with a review, in one sentence.
func reviewProblem(err error) string {
	fields := surveys.ErrorFields(err)
	switch {
	case fields["ids"] != "":
		return "Tick at least one comment (and no more than " + itoa(surveys.MaxReviewBatch) + ") first."
	case fields["themes"] != "":
		return "Themes: " + fields["themes"] + "."
	case fields["sentiment"] != "":
		return "Choose how the comments feel."
	}
	return surveys.ErrorMessage(err)
}

// formValues returns every value of a form field sent more than once.
func formValues(c fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}
