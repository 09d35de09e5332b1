package exports_test

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
	"golang.org/x/text/unicode/norm"
)

const (
	sentence = "Scan the code with your phone’s camera, or go to the address and type your code. " +
		"It’s anonymous: nobody will know which answers are yours."
	address = "heard.example.gov.uk/s/cared-for-2026"
)

func link(code string) string {
	return "https://heard.example.gov.uk/s/cared-for-2026?code=" + code
}

// cards returns n cards of a batch with codes from a fixed secret.
func cards(n int) exports.CodeCards {
	return exports.CodeCards{
		Council:     "Knowsley Council",
		SurveyTitle: "Your life in care 2026",
		Codes:       surveys.CodesFromSecret([]byte("test batch"), n),
		Link:        link,
		Address:     address,
		Created:     time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
	}
}

// writePDF writes the cards to a file in a temporary folder and returns its
// path.
func writePDF(t *testing.T, c exports.CodeCards) string {
	t.Helper()
	var buf bytes.Buffer
	if err := exports.WriteCodeCards(&buf, c); err != nil {
		t.Fatalf("WriteCodeCards: %v", err)
	}
	path := filepath.Join(t.TempDir(), "cards.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// flat joins the lines of extracted text with single spaces, and puts
// Arabic presentation forms back as the letters they show (NFKC), without
// the direction marks pdftotext adds.
func flat(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= '\u202A' && r <= '\u202E' {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

func TestWriteCodeCards(t *testing.T) {
	t.Parallel()
	c := cards(20)
	pdf := writePDF(t, c)

	info := pdfInfo(t, pdf)
	for field, want := range map[string]string{
		"Title":   "Access codes: Your life in care 2026",
		"Subject": "20 access code cards for Your life in care 2026",
		"Author":  "Knowsley Council",
		"Creator": "Heard",
		"Pages":   "3",
	} {
		if info[field] != want {
			t.Errorf("pdfinfo %s = %q, want %q", field, info[field], want)
		}
	}
	if !strings.HasPrefix(info["Page size"], "595.28 x 841.89 pts (A4)") {
		t.Errorf("page size %q, want A4", info["Page size"])
	}
	if !strings.Contains(info["CreationDate"], "Mar  2 09:30:00 2026") {
		t.Errorf("CreationDate %q, want 2 March 2026 09:30", info["CreationDate"])
	}

	// Every code, formatted, exactly once in the whole document.
	all := run(t, "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-")
	for _, code := range c.Codes {
		formatted := surveys.FormatCode(code)
		if n := strings.Count(all, formatted); n != 1 {
			t.Errorf("code %s appears %d times, want once", formatted, n)
		}
	}

	// Each card, read from its own rectangle, has all it should.
	for i, code := range c.Codes {
		page, slot := i/8+1, i%8
		text := cardText(t, pdf, page, slot)
		for _, want := range []string{"Knowsley Council", "Your life in care 2026", "Your code", surveys.FormatCode(code), sentence} {
			if !strings.Contains(flat(text), want) {
				t.Errorf("card %d (page %d): no %q in %q", i+1, page, want, flat(text))
			}
		}
		// The address may wrap after a slash.
		if !strings.Contains(strings.Join(strings.Fields(text), ""), address) {
			t.Errorf("card %d: no address %q in %q", i+1, address, text)
		}
		for j, other := range c.Codes {
			if j != i && strings.Contains(text, surveys.FormatCode(other)) {
				t.Errorf("card %d has card %d's code too", i+1, j+1)
			}
		}
	}
	// The last page has 4 cards; the rest of it is blank.
	for slot := 4; slot < 8; slot++ {
		if text := strings.TrimSpace(cardText(t, pdf, 3, slot)); text != "" {
			t.Errorf("page 3, place %d: want nothing, have %q", slot+1, text)
		}
	}
}

func TestCodeCardsRendered(t *testing.T) {
	t.Parallel()
	c := cards(20)
	pdf := writePDF(t, c)
	for page := 1; page <= 3; page++ {
		onPage := c.Codes[(page-1)*8 : min(page*8, len(c.Codes))]
		var want []string
		for _, code := range onPage {
			want = append(want, link(code))
		}
		png := renderPage(t, pdf, page)
		img := loadPNG(t, png)
		checkCutLines(t, img, page, len(onPage))
		images, crops := cropCards(t, img)
		found := decodeQR(t, append([]string{png}, crops...)...)

		// The page as a whole: a QR code for each card, each the link of
		// a code on the page.
		got := slices.Clone(found[png])
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("page %d: QR codes decode to %q, want %q", page, got, want)
		}
		// Each card: its own code's link, once.
		for slot, crop := range crops {
			var wantCard []string
			if slot < len(onPage) {
				wantCard = []string{link(onPage[slot])}
			}
			if !slices.Equal(found[crop], wantCard) {
				t.Errorf("page %d, card %d: QR codes %q, want %q", page, slot+1, found[crop], wantCard)
			}
			if slot < len(onPage) {
				checkQuietZone(t, images[slot], page, slot)
			}
		}
	}
}

// checkCutLines checks the dashed lines between the n cards of a page
// rendered at 200 dots an inch: light grey dashes with gaps, and nothing
// else printed within 2 mm of them.
func checkCutLines(t *testing.T, page image.Image, num, n int) {
	t.Helper()
	const pxPerMM = 200 / 25.4
	rows := (n + 1) / 2
	type line struct {
		name     string
		at       float64 // mm from the left (vertical) or top (horizontal)
		vertical bool
		length   float64 // mm
	}
	lines := []line{{"the line down the middle", 105, true, float64(rows) * 74.25}}
	for row := 1; row <= rows && row < 4; row++ {
		lines = append(lines, line{fmt.Sprintf("the line below row %d", row), float64(row) * 74.25, false, 210})
	}
	b := page.Bounds()
	for _, l := range lines {
		// Along the line, each step is a dash (grey, not dark) or a gap
		// (blank); anything dark near the line is content where the
		// cutting goes.
		var steps, grey, blank, ink int
		for along := 1.0; along < l.length-1; along += 1 / pxPerMM {
			steps++
			darkest := uint32(255)
			for across := -2.0; across <= 2; across += 1 / pxPerMM {
				x, y := int((l.at+across)*pxPerMM), int(along*pxPerMM)
				if !l.vertical {
					x, y = y, x
				}
				if !image.Pt(x, y).In(b) {
					continue
				}
				r, g, bl, _ := page.At(x, y).RGBA()
				lum := (r + g + bl) / 3 >> 8
				if lum < 90 {
					ink++
				}
				if across > -0.4 && across < 0.4 {
					darkest = min(darkest, lum)
				}
			}
			switch {
			case darkest >= 250:
				blank++
			case darkest >= 90 && darkest < 230:
				grey++
			}
		}
		// Dashes of 2 mm and gaps of 1.5 mm.
		if grey < steps*3/10 || blank < steps*2/10 {
			t.Errorf("page %d: %s is not dashed (of %d pixels along it, %d grey, %d blank)", num, l.name, steps, grey, blank)
		}
		if ink > 0 {
			t.Errorf("page %d: %d dark pixels within 2 mm of %s", num, ink, l.name)
		}
	}
}

// checkQuietZone checks that a card's QR code is a size a phone reads
// (20 to 28 mm, modules of at least 0.4 mm) with nothing printed within 4
// modules of it.
func checkQuietZone(t *testing.T, card image.Image, page, slot int) {
	t.Helper()
	const pxPerMM = 200 / 25.4
	box, module := qrGeometry(t, card)
	side := float64(box.Dx()) / pxPerMM
	if side < 20 || side > 28 || box.Dx()-box.Dy() > 2 || box.Dy()-box.Dx() > 2 {
		t.Errorf("page %d, card %d: QR code %.1f x %.1f mm, want a square of 20 to 28 mm", page, slot+1, side, float64(box.Dy())/pxPerMM)
	}
	if size := module / pxPerMM; size < 0.4 {
		t.Errorf("page %d, card %d: QR modules of %.2f mm, want at least 0.4", page, slot+1, size)
	}
	quiet := box.Inset(-int(4 * module))
	if !quiet.In(card.Bounds()) {
		t.Errorf("page %d, card %d: the QR code's quiet zone %v runs off the card %v", page, slot+1, quiet, card.Bounds())
	}
	for y := quiet.Min.Y; y < quiet.Max.Y; y++ {
		for x := quiet.Min.X; x < quiet.Max.X; x++ {
			if !image.Pt(x, y).In(box) && dark(card, x, y) {
				t.Fatalf("page %d, card %d: ink at (%d, %d) in the QR code's quiet zone", page, slot+1, x, y)
			}
		}
	}
}

func TestCodeCardsTextStaysOnCard(t *testing.T) {
	t.Parallel()
	long150 := "What we want to know about living in care this year 2026: school, friends, family, your social worker, " +
		"your own home, feeling safe and having your say"
	if n := len([]rune(long150)); n != 150 {
		t.Fatalf("the long title has %d characters, want 150", n)
	}
	for _, tc := range []struct {
		name, council, title string
		address              string
		wantWords            bool // every word of the title is there (not cut short)
	}{
		{"short title", "Knowsley Council", "Your life in care 2026", address, true},
		{"150 characters", "Knowsley Council", long150, address, true},
		{"200 characters", "Knowsley Metropolitan Borough Council", strings.Repeat("Your life in care and what matters ", 6)[:200], address, false},
		{"one long word", "", strings.Repeat("Abcdefghij", 15), address, false},
		{"long council and address", strings.Repeat("Council ", 20), long150,
			"heard.example.gov.uk/s/a-survey-with-a-very-long-address-for-care-leavers-2026-north", true},
		{"right to left", "مجلس نوزلي", "استطلاع الأطفال في الرعاية 2026 " + long150[:80], address, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := cards(10)
			c.Council, c.SurveyTitle, c.Address = tc.council, tc.title, tc.address
			pdf := writePDF(t, c)
			ws := words(t, pdf)
			if len(ws) == 0 {
				t.Fatal("no words")
			}
			for _, w := range ws {
				onPage := min(8, len(c.Codes)-(w.page-1)*8)
				slot := -1
				for s := range onPage {
					if cardRect(s).overlaps(w.box) {
						slot = s
						break
					}
				}
				if slot < 0 {
					t.Errorf("page %d: %q at %v is on no card", w.page, w.text, w.box)
					continue
				}
				// Inside its card, at least 3 mm from the cut, and clear of
				// the QR code's square.
				if card := cardRect(slot); !card.inset(3 * mm).contains(w.box) {
					t.Errorf("page %d: %q at %v runs off card %d %v", w.page, w.text, w.box, slot+1, card)
				}
				if qrRect(cardRect(slot)).overlaps(w.box) {
					t.Errorf("page %d: %q at %v is over card %d's QR code", w.page, w.text, w.box, slot+1)
				}
			}
			if tc.wantWords {
				text := flat(cardText(t, pdf, 1, 0))
				if !strings.Contains(text, tc.title) {
					t.Errorf("title %q not whole on the card: %q", tc.title, text)
				}
			}
		})
	}
}

func TestCodeCardsScripts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, title string
		want        []string // in pdftotext's output, flattened
		wantTitle   string   // pdfinfo's Title
	}{
		{"Polish", "Twoje życie w opiece 2026", []string{"Twoje życie w opiece 2026"}, "Access codes: Twoje życie w opiece 2026"},
		{"Arabic", "استطلاع الأطفال في الرعاية", []string{"استطلاع الأطفال في الرعاية"}, "Access codes: استطلاع الأطفال في الرعاية"},
		{"Arabic with a number", "حياتك في الرعاية 2026", []string{"حياتك في الرعاية", "2026"}, "Access codes: حياتك في الرعاية 2026"},
		{"Persian", "زندگی شما", []string{"زندگی شما"}, "Access codes: زندگی شما"},
		{"Polish and Arabic", "Ankieta استطلاع 2026", []string{"Ankieta", "استطلاع", "2026"}, "Access codes: Ankieta استطلاع 2026"},
		{"Ukrainian and Greek", "Твоє життя Η ζωή σου", []string{"Твоє життя Η ζωή σου"}, "Access codes: Твоє життя Η ζωή σου"},
		{"emoji", "Your life in care 2026 🎉😀 👍🏽 ❤️ 👨‍👩‍👧", []string{"Your life in care 2026 ❤"}, "Access codes: Your life in care 2026 ❤"},
		{"only emoji and words", "🎉 Have your say 🎉", []string{"Have your say"}, "Access codes: Have your say"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := cards(2)
			c.SurveyTitle = tc.title
			pdf := writePDF(t, c)
			raw := cardText(t, pdf, 1, 0)
			text := flat(raw)
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("no %q in %q", want, text)
				}
			}
			if strings.Contains(raw, "?") {
				t.Errorf("question marks in %q", raw)
			}
			if got := pdfInfo(t, pdf)["Title"]; got != tc.wantTitle {
				t.Errorf("pdfinfo Title %q, want %q", got, tc.wantTitle)
			}
		})
	}

	t.Run("Arabic letters joined", func(t *testing.T) {
		t.Parallel()
		// استطلاع drawn with the forms that join its letters: seen joined
		// to the letter before, and lam-alef as one ligature.
		c := cards(1)
		c.SurveyTitle = "استطلاع"
		raw := cardText(t, writePDF(t, c), 1, 0)
		for _, form := range []string{"\uFEB3", "\uFEFC"} {
			if !strings.Contains(raw, form) {
				t.Errorf("no %U in %q", []rune(form)[0], raw)
			}
		}
	})
}

func TestCodeCardsBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(*exports.CodeCards)
		field  string // in the error's fields, if any
	}{
		{"no codes", func(c *exports.CodeCards) { c.Codes = nil }, "codes"},
		{"too many codes", func(c *exports.CodeCards) {
			c.Codes = surveys.CodesFromSecret([]byte("big"), surveys.MaxCodesPerBatch+1)
		}, "codes"},
		{"no link", func(c *exports.CodeCards) { c.Link = nil }, "link"},
		{"code not canonical", func(c *exports.CodeCards) { c.Codes[1] = surveys.FormatCode(c.Codes[1]) }, "codes"},
		{"not a code", func(c *exports.CodeCards) { c.Codes[0] = "HELLO" }, "codes"},
		{"code twice", func(c *exports.CodeCards) { c.Codes[2] = c.Codes[0] }, "codes"},
		{"no title", func(c *exports.CodeCards) { c.SurveyTitle = " 🎉 " }, "survey_title"},
		{"no address", func(c *exports.CodeCards) { c.Address = "" }, "address"},
		{"empty link", func(c *exports.CodeCards) { c.Link = func(string) string { return "" } }, ""},
		{"link too long for a QR code", func(c *exports.CodeCards) {
			c.Link = func(code string) string { return link(code) + "&x=" + strings.Repeat("a", 1500) }
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := cards(3)
			tc.change(&c)
			var buf bytes.Buffer
			err := exports.WriteCodeCards(&buf, c)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "write code cards: ") {
				t.Errorf("error %q does not say what failed", err)
			}
			if tc.field != "" {
				if code := surveys.ErrorCode(err); code != surveys.EINVALID {
					t.Errorf("error code %q, want %q", code, surveys.EINVALID)
				}
				if msg := surveys.ErrorFields(err)[tc.field]; msg == "" {
					t.Errorf("no message for %s in %v", tc.field, err)
				}
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written despite the error", buf.Len())
			}
		})
	}
}

func TestCodeCardsDeterministic(t *testing.T) {
	t.Parallel()
	c := cards(12)
	c.SurveyTitle = "Twoje życie w opiece 2026 استطلاع 🎉"
	var a, b bytes.Buffer
	if err := exports.WriteCodeCards(&a, c); err != nil {
		t.Fatal(err)
	}
	if err := exports.WriteCodeCards(&b, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two PDFs of the same cards differ")
	}
	c.Created = c.Created.Add(time.Second)
	b.Reset()
	if err := exports.WriteCodeCards(&b, c); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the creation date is not in the PDF")
	}
}

func TestCodeCardsNoCouncil(t *testing.T) {
	t.Parallel()
	c := cards(1)
	c.Council = ""
	pdf := writePDF(t, c)
	if got := pdfInfo(t, pdf)["Author"]; got != "Heard" {
		t.Errorf("Author %q, want Heard", got)
	}
	if text := flat(cardText(t, pdf, 1, 0)); !strings.HasPrefix(text, "Your life in care 2026 Your code") {
		t.Errorf("card starts %q, want the title", text)
	}
}
