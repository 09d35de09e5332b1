package api

import (
	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// MaxCodeRequestBytes bounds a request to try the coder: the text at its
// longest, in the widest UTF-8, and room for the JSON around it.
const MaxCodeRequestBytes = surveys.MaxCodeTextLen*4 + 1<<10

type codeRequest struct {
	// max counts characters (runes), as the coder does.
	Text string `json:"text" validate:"required,max=4000"`
	Lang string `json:"lang" validate:"omitempty,max=35"`
}

type themeMatchJSON struct {
	Key      string   `json:"key"`
	Score    float64  `json:"score"`
	Evidence []string `json:"evidence"`
}

type riskJSON struct {
	Flag     bool               `json:"flag"`
	Kinds    []surveys.RiskKind `json:"kinds"`
	Evidence []string           `json:"evidence"`
}

type codingJSON struct {
	Themes       []themeMatchJSON  `json:"themes"`
	Sentiment    surveys.Sentiment `json:"sentiment"`
	Safeguarding riskJSON          `json:"safeguarding"`
	Unread       bool              `json:"unread"`
	Codebook     int               `json:"codebook"`
}

func toCodingJSON(c surveys.Coding) codingJSON {
	out := codingJSON{Themes: []themeMatchJSON{}, Sentiment: c.Sentiment, Unread: c.Unread, Codebook: c.Codebook,
		Safeguarding: riskJSON{Flag: c.Risk.Flag, Kinds: c.Risk.Kinds, Evidence: c.Risk.Evidence}}
	for _, t := range c.Themes {
		ev := t.Evidence
		if ev == nil {
			ev = []string{}
		}
		out.Themes = append(out.Themes, themeMatchJSON{Key: t.Key, Score: t.Score, Evidence: ev})
	}
	if out.Safeguarding.Kinds == nil {
		out.Safeguarding.Kinds = []surveys.RiskKind{}
	}
	if out.Safeguarding.Evidence == nil {
		out.Safeguarding.Evidence = []string{}
	}
	return out
}

// codeText runs the coder on a text and stores nothing, so that a person
// can see how Heard would code a comment.
func (s *Server) codeText(c fiber.Ctx) error {
	var req codeRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Lang == "" {
		req.Lang = surveys.DefaultLanguage
	}
	if !surveys.ValidLanguage(req.Lang) {
		return surveys.FieldsError("The language is not one Heard knows.", map[string]string{"lang": "must be a language code such as \"en\""})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(toCodingJSON(s.cfg.Themes.Code(req.Text, req.Lang)))
}

// themeSummary counts the comments of a period by theme and channel, with
// small numbers suppressed: ?from=&to= (days, inclusive; the last year by
// default), and the filters ?channel=&survey=&area=&age_band=.
func (s *Server) themeSummary(c fiber.Ctx) error {
	st, err := s.cfg.Settings.Current(c.Context())
	if err != nil {
		return err
	}
	q := surveys.SummaryQuery{From: c.Query("from"), To: c.Query("to"), Channel: surveys.Channel(c.Query("channel")),
		Survey: c.Query("survey"), Area: c.Query("area"), AgeBand: c.Query("age_band")}
	sum, err := s.cfg.Voices.Summary(c.Context(), q, st.Threshold)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sum)
}
