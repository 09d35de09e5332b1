package staff

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// The codebook page: every theme with its name, description, words and
// phrases and examples, for analysts to edit. Saving makes a new version;
// a save from an older version than the newest is refused, showing why.
// Themes are not removed here: comments coded to a theme keep its key, so
// a theme that is no longer wanted is given no words instead.

type themeForm struct {
	N           int
	Key         string
	New         bool // the empty row for a new theme
	Name        string
	Description string
	Words       string // one a line; "pl: słowo" for another language
	Examples    string // one a line
	Errors      map[string]string
}

type themesView struct {
	page
	Codebook *surveys.Codebook
	Version  int
	Themes   []themeForm
	Issues   []adminIssue
	Conflict bool
}

// ThemesPage shows the codebook in force as a form.
func (p *Pages) ThemesPage(c fiber.Ctx) error {
	cb := p.cfg.Themes.Codebook()
	v := themesView{Codebook: cb, Version: cb.Version}
	for i, t := range cb.Themes {
		v.Themes = append(v.Themes, themeForm{N: i, Key: t.Key, Name: t.Name, Description: t.Description,
			Words: wordsText(t.Words), Examples: strings.Join(t.Examples, "\n")})
	}
	// The emerging themes page links here with a group's words to start from.
	words := c.Query("words")
	if len(words) > 2000 {
		words = ""
	}
	v.Themes = append(v.Themes, themeForm{N: len(cb.Themes), New: true, Words: words})
	return p.renderThemes(c, http.StatusOK, v)
}

func (p *Pages) renderThemes(c fiber.Ctx, status int, v themesView) error {
	v.page = p.page(c, "Themes")
	v.Codebook = p.cfg.Themes.Codebook()
	return p.render(c, status, "themes", v)
}

// SaveThemes saves the edited codebook as a new version.
func (p *Pages) SaveThemes(c fiber.Ctx) error {
	based, err := strconv.Atoi(c.FormValue("version"))
	if err != nil || based < 1 {
		return surveys.Errorf(surveys.EINVALID, "The form is missing the codebook's version; open the page again.")
	}
	n, err := strconv.Atoi(c.FormValue("themes"))
	if err != nil || n < 1 || n > surveys.MaxThemes+1 {
		return surveys.Errorf(surveys.EINVALID, "The form is missing its themes; open the page again.")
	}
	v := themesView{Version: based}
	cb := &surveys.Codebook{}
	for i := range n {
		f := readThemeForm(c, i)
		v.Themes = append(v.Themes, f)
		if f.New && f.Key == "" && f.Name == "" && f.Words == "" {
			continue // the new-theme row, left empty
		}
		cb.Themes = append(cb.Themes, surveys.Theme{Key: f.Key, Name: f.Name, Description: f.Description,
			Words: parseWords(f.Words), Examples: lines(f.Examples)})
	}
	_, err = p.cfg.Themes.Save(c.Context(), cb, based)
	switch surveys.ErrorCode(err) {
	case "":
		return redirectDone(c, "/staff/themes", "themes")
	case surveys.EINVALID:
		p.themeErrors(&v, cb, surveys.ErrorFields(err))
		return p.renderThemes(c, http.StatusUnprocessableEntity, v)
	case surveys.ECONFLICT:
		v.Conflict = true
		v.Issues = []adminIssue{{ID: "themes-heading", Text: surveys.ErrorMessage(err)}}
		return p.renderThemes(c, http.StatusConflict, v)
	}
	return err
}

func readThemeForm(c fiber.Ctx, i int) themeForm {
	prefix := "theme." + strconv.Itoa(i) + "."
	get := func(name string) string {
		return strings.TrimSpace(strings.ReplaceAll(c.FormValue(prefix+name), "\r\n", "\n"))
	}
	return themeForm{N: i, Key: get("key"), New: get("new") == "1", Name: get("name"), Description: get("description"),
		Words: get("words"), Examples: get("examples")}
}

var themeFieldNames = map[string]string{"key": "The key", "name": "The name", "description": "The description",
	"words": "Words and phrases", "examples": "Examples"}

var fieldPath = regexp.MustCompile(`^themes\[(\d+)\]\.(\w+)$`)

// themeErrors puts each of the domain's messages beside its field. The
// domain numbers only the themes sent, so the form's rows are matched by
// key.
func (p *Pages) themeErrors(v *themesView, cb *surveys.Codebook, fields map[string]string) {
	rowOf := map[int]int{} // codebook index to form row
	k := 0
	for row, f := range v.Themes {
		if f.New && f.Key == "" && f.Name == "" && f.Words == "" {
			continue
		}
		rowOf[k] = row
		k++
	}
	paths := make([]string, 0, len(fields))
	for path := range fields {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		m := fieldPath.FindStringSubmatch(path)
		if m == nil {
			v.Issues = append(v.Issues, adminIssue{ID: "themes-heading", Text: "Themes: " + fields[path] + "."})
			continue
		}
		i, _ := strconv.Atoi(m[1])
		row, ok := rowOf[i]
		if !ok {
			continue
		}
		f := &v.Themes[row]
		if f.Errors == nil {
			f.Errors = map[string]string{}
		}
		f.Errors[m[2]] = themeFieldNames[m[2]] + " " + fields[path] + "."
		name := f.Name
		if name == "" {
			name = "the new theme"
		}
		v.Issues = append(v.Issues, adminIssue{ID: "theme-" + strconv.Itoa(row) + "-" + m[2], Text: name + ": " + f.Errors[m[2]]})
	}
}

// wordsText writes a theme's words one a line, English first, then each
// other language with its code.
func wordsText(words map[string][]string) string {
	var b strings.Builder
	for _, w := range words[surveys.DefaultLanguage] {
		b.WriteString(w + "\n")
	}
	langs := make([]string, 0, len(words))
	for l := range words {
		if l != surveys.DefaultLanguage {
			langs = append(langs, l)
		}
	}
	sort.Strings(langs)
	for _, l := range langs {
		for _, w := range words[l] {
			b.WriteString(l + ": " + w + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var langPrefix = regexp.MustCompile(`^([a-z]{2,3}(?:-[a-z0-9]{2,8})?):\s*(.+)$`)

// parseWords reads words one a line; "pl: słowo" is a word in Polish.
func parseWords(text string) map[string][]string {
	words := map[string][]string{}
	for _, line := range lines(text) {
		lang, word := surveys.DefaultLanguage, line
		if m := langPrefix.FindStringSubmatch(line); m != nil {
			lang, word = m[1], strings.TrimSpace(m[2])
		}
		words[lang] = append(words[lang], word)
	}
	return words
}

// lines splits text into its non-empty lines, trimmed.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
