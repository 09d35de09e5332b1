package staff

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

// The access code pages: a survey's batches with how many codes of each
// are spent, a form to make a batch, and the printable cards, which can be
// downloaded once.

// codeBatchRow is one batch in the table.
type codeBatchRow struct {
	*surveys.CodeBatch
	Printable bool      // the cards can still be downloaded, once
	Until     time.Time // until when, if so
}

type codesView struct {
	page
	Survey   *surveys.Survey
	Batches  []codeBatchRow
	Count    string            // the form, as typed
	Label    string            //
	Errors   map[string]string // "count", "label"
	Issues   []surveyIssue
	MaxCount int
	MaxLabel int
}

// CodesPage lists a survey's batches of access codes and offers to make one.
func (p *Pages) CodesPage(c fiber.Ctx) error {
	s, err := p.findForCodes(c)
	if err != nil {
		return err
	}
	return p.renderCodes(c, http.StatusOK, s, codesView{Count: "100"})
}

func (p *Pages) findForCodes(c fiber.Ctx) (*surveys.Survey, error) {
	if p.cfg.Codes == nil {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "Access codes are not available here.")
	}
	return p.cfg.Surveys.FindSurvey(c.Context(), c.Params("slug"))
}

func (p *Pages) renderCodes(c fiber.Ctx, status int, s *surveys.Survey, v codesView) error {
	batches, err := p.cfg.Codes.Store.FindCodeBatches(c.Context(), s.Slug)
	if err != nil {
		return err
	}
	now := p.cfg.Now()
	for _, b := range batches {
		until := b.Created.Add(surveys.BatchPrintWindow)
		v.Batches = append(v.Batches, codeBatchRow{CodeBatch: b, Printable: !b.Printed && !now.After(until), Until: until})
	}
	v.page = p.page(c, "Access codes: "+s.Title.In(surveys.DefaultLanguage))
	v.Survey, v.MaxCount, v.MaxLabel = s, surveys.MaxCodesPerBatch, surveys.MaxBatchLabel
	return p.render(c, status, "survey-codes", v)
}

// CreateCodes makes a batch of codes, then shows the batches, where the
// new one's cards are ready to download.
func (p *Pages) CreateCodes(c fiber.Ctx) error {
	s, err := p.findForCodes(c)
	if err != nil {
		return err
	}
	v := codesView{Count: strings.TrimSpace(c.FormValue("count")), Label: c.FormValue("label"), Errors: map[string]string{}}
	count, err := strconv.Atoi(v.Count)
	if err != nil {
		v.Errors["count"] = "How many codes must be a whole number from 1 to " + strconv.Itoa(surveys.MaxCodesPerBatch) + "."
	} else {
		_, _, err = p.cfg.Codes.Generate(c.Context(), s.Slug, count, v.Label)
		if err == nil {
			return redirectDone(c, "/staff/surveys/"+s.Slug+"/codes", "codes")
		}
		if surveys.ErrorCode(err) != surveys.EINVALID {
			return err
		}
		names := map[string]string{"count": "How many codes", "label": "The label"}
		for field, msg := range surveys.ErrorFields(err) {
			if name, ok := names[field]; ok {
				v.Errors[field] = name + " " + msg + "."
			}
		}
	}
	for _, field := range []string{"count", "label"} {
		if msg, ok := v.Errors[field]; ok {
			v.Issues = append(v.Issues, surveyIssue{ID: "codes-" + field, Text: msg})
		}
	}
	return p.renderCodes(c, http.StatusUnprocessableEntity, s, v)
}

type codesGoneView struct {
	page
	Survey  *surveys.Survey
	Message string
}

// CodeCards sends a batch's cards as a PDF to print. It works once: after
// that Heard no longer has what the codes are made from, and says so.
func (p *Pages) CodeCards(c fiber.Ctx) error {
	s, err := p.findForCodes(c)
	if err != nil {
		return err
	}
	ctx := c.Context()
	st, err := p.cfg.Settings.Current(ctx)
	if err != nil {
		return err
	}
	b, codes, err := p.cfg.Codes.Print(ctx, s.Slug, c.Params("batch"))
	if surveys.ErrorCode(err) == surveys.ECONFLICT {
		v := codesGoneView{page: p.page(c, "These cards cannot be downloaded again"), Survey: s, Message: surveys.ErrorMessage(err)}
		return p.render(c, http.StatusGone, "survey-codes-gone", v)
	} else if err != nil {
		return err
	}
	var pdf bytes.Buffer
	if err := exports.WriteCodeCards(&pdf, exports.SurveyCodeCards(p.cfg.PublicURL, st.CouncilName, s, codes, p.cfg.Now().UTC())); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="codes-`+s.Slug+`-`+b.ID+`.pdf"`)
	return c.Send(pdf.Bytes())
}
