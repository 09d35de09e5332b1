package staff

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/cluster"
)

// The emerging themes page: comments that fit no theme, grouped by
// similarity, each group with its most telling phrases and a few of its
// comments, for an analyst to fold into a theme or to start a new one
// from (the themes page, with the group's phrases as its first words).

type emergingGroup struct {
	N       int
	Phrases string
	Size    int
	Samples []*surveys.Voice
	IDs     []string
	NewLink string
}

type emergingView struct {
	page
	Groups    []emergingGroup
	Unthemed  int
	Themes    []adminOption
	Error     string
	MaxSample int
}

// emergingSamples is how many of a group's comments the page shows.
const emergingSamples = 3

// EmergingPage groups the unreviewed comments that have no theme.
func (p *Pages) EmergingPage(c fiber.Ctx) error {
	return p.renderEmerging(c, http.StatusOK, "")
}

func (p *Pages) renderEmerging(c fiber.Ctx, status int, problem string) error {
	voices, err := p.cfg.Voices.Find(c.Context(), surveys.VoiceFilter{Unreviewed: true})
	if err != nil {
		return err
	}
	byID := map[string]*surveys.Voice{}
	var items []cluster.Item
	for _, v := range voices {
		if len(v.Themes()) == 0 && !v.Machine.Unread {
			items = append(items, cluster.Item{ID: v.ID, Text: v.Text})
			byID[v.ID] = v
		}
	}
	v := emergingView{page: p.page(c, "Emerging themes"), Unthemed: len(items), Error: problem, MaxSample: emergingSamples}
	for i, g := range cluster.Group(items, cluster.Options{}) {
		eg := emergingGroup{N: i, Phrases: strings.Join(g.Phrases, ", "), Size: g.Size, IDs: g.IDs,
			NewLink: "/staff/themes?words=" + url.QueryEscape(strings.Join(g.Phrases, "\n")) + "#theme-new"}
		for _, id := range g.IDs[:min(emergingSamples, len(g.IDs))] {
			eg.Samples = append(eg.Samples, byID[id])
		}
		v.Groups = append(v.Groups, eg)
	}
	for _, t := range p.cfg.Themes.Codebook().Themes {
		v.Themes = append(v.Themes, adminOption{Value: t.Key, Text: t.Name})
	}
	return p.render(c, status, "emerging", v)
}

// FoldGroup gives every comment of a group the theme chosen for it.
func (p *Pages) FoldGroup(c fiber.Ctx) error {
	_, err := p.cfg.Voices.FoldInto(c.Context(), formValues(c, "id"), c.FormValue("theme"))
	if surveys.ErrorCode(err) == surveys.EINVALID {
		return p.renderEmerging(c, http.StatusUnprocessableEntity, reviewProblem(err))
	}
	if err != nil {
		return err
	}
	return redirectDone(c, "/staff/themes/emerging", "reviewed")
}
