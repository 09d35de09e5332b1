package frontend

import (
	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// previewNote is what a staff preview adds to the form: a banner saying
// that nothing is saved, a way back, and, once Send was pressed, whether
// the answers would have been accepted.
type previewNote struct {
	Back        string // the staff page the preview was opened from
	NeedsCode   bool   // young people type an access code before this page
	WouldBeSent bool   // Send was pressed and the answers are right
}

// Preview shows version of s to staff as a young person's phone shows it
// without its script (the same template, layout and styles), whatever the
// survey's status, so that a draft can be checked before it opens. A
// banner says it is a preview and links back to back.
//
// Nothing in a preview can store an answer: the page has no script, so
// nothing is kept on the device or sent to the API, and the form is sent
// back to the preview itself with GET. Pressing Send checks the answers as
// the domain checks a young person's, and shows the problems a young
// person would see, or that the answers would be accepted; the language
// buttons show the preview in another language, answers kept. An unknown
// version is ENOTFOUND.
func (p *Pages) Preview(c fiber.Ctx, s *surveys.Survey, version, back string) error {
	v := s.Version(version)
	if v == nil {
		return surveys.Errorf(surveys.ENOTFOUND, "This survey has no version %q.", version)
	}
	args := c.Request().URI().QueryArgs()
	lang := supported(string(args.Peek("switch_lang")))
	switching := lang != ""
	if !switching {
		lang = string(args.Peek("lang"))
	}
	pg := p.page(c, lang)
	pg.Script, pg.Preload = "", nil
	st := formState{ID: p.cfg.NewID(), Values: formValues(v, args.PeekMulti)}
	sent := args.Has("id") && !switching
	if sent {
		_, err := v.ParseAnswers(rawAnswers(v, st.Values))
		if st.Problems = surveys.ErrorProblems(err); err != nil && st.Problems == nil {
			return err
		}
	}
	fv := p.newFormView(pg, s, v, st)
	fv.Action = c.Path()
	fv.Preview = &previewNote{Back: back, NeedsCode: s.RequireCode, WouldBeSent: sent && len(st.Problems) == 0}
	fv.Error = len(fv.Summary) > 0
	fv.Title = "Preview: " + fv.Title
	return p.render(c, fiber.StatusOK, "form", fv)
}
