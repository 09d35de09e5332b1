package exports_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Tests read the PDFs back with poppler-utils and zbar-tools, as a person
// would look at them: the text, the metadata, the rendered page.

// tools maps each program the tests run to the Debian package that has it.
var tools = map[string]string{
	"pdftotext": "poppler-utils",
	"pdfinfo":   "poppler-utils",
	"pdftoppm":  "poppler-utils",
	"pdfimages": "poppler-utils",
	"zbarimg":   "zbar-tools",
}

// run runs one of the tools and returns what it printed. A missing tool
// fails the test with the package to install: these tests are not to be
// skipped.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed: install the Debian package %s (apt-get install %s)", name, tools[name], tools[name])
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// Card geometry in points (1/72 inch), as poppler reports it: A4, 2 x 4
// cards of 105 x 74.25 mm.
const (
	mm     = 72 / 25.4
	cardWt = 105 * mm
	cardHt = 74.25 * mm
)

// rect is a rectangle in points, from the page's top left corner.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) contains(o rect) bool {
	return o.x0 >= r.x0 && o.y0 >= r.y0 && o.x1 <= r.x1 && o.y1 <= r.y1
}

func (r rect) overlaps(o rect) bool {
	return o.x0 < r.x1 && r.x0 < o.x1 && o.y0 < r.y1 && r.y0 < o.y1
}

func (r rect) inset(d float64) rect { return rect{r.x0 + d, r.y0 + d, r.x1 - d, r.y1 - d} }

// cardRect is the rectangle of the slot-th card of a page (0 to 7, by rows).
func cardRect(slot int) rect {
	x, y := float64(slot%2)*cardWt, float64(slot/2)*cardHt
	return rect{x, y, x + cardWt, y + cardHt}
}

// qrRect is the square of the QR code, quiet zone included, on a card.
func qrRect(card rect) rect {
	x, y := card.x0+71*mm, card.y0+27*mm
	return rect{x, y, x + 28*mm, y + 28*mm}
}

// cardText returns the text of one card of a page, read from its
// rectangle only.
func cardText(t *testing.T, pdf string, page, slot int) string {
	t.Helper()
	r := cardRect(slot).inset(1)
	return run(t, "pdftotext", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page),
		"-x", strconv.Itoa(int(r.x0)), "-y", strconv.Itoa(int(r.y0)),
		"-W", strconv.Itoa(int(r.x1-r.x0)), "-H", strconv.Itoa(int(r.y1-r.y0)),
		"-enc", "UTF-8", pdf, "-")
}

// pdfInfo returns pdfinfo's fields.
func pdfInfo(t *testing.T, pdf string) map[string]string {
	t.Helper()
	info := map[string]string{}
	for _, line := range strings.Split(run(t, "pdfinfo", "-enc", "UTF-8", pdf), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	return info
}

// word is a word on a page, with its box, from pdftotext -bbox-layout.
type word struct {
	page int
	text string
	box  rect
}

// words returns every word of a PDF with its box.
func words(t *testing.T, pdf string) []word {
	t.Helper()
	html := run(t, "pdftotext", "-bbox-layout", "-enc", "UTF-8", pdf, "-")
	d := xml.NewDecoder(strings.NewReader(html))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var out []word
	page := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read pdftotext -bbox-layout: %v", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch start.Name.Local {
		case "page":
			page++
		case "word":
			attr := map[string]float64{}
			for _, a := range start.Attr {
				attr[a.Name.Local], _ = strconv.ParseFloat(a.Value, 64)
			}
			var text string
			if err := d.DecodeElement(&text, &start); err != nil {
				t.Fatalf("read a word: %v", err)
			}
			out = append(out, word{page, text, rect{attr["xMin"], attr["yMin"], attr["xMax"], attr["yMax"]}})
		}
	}
	return out
}

// renderPage renders a page at 200 dots an inch and returns the PNG's path.
func renderPage(t *testing.T, pdf string, page int) string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", "200", "-png", "-singlefile", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), pdf, prefix)
	return prefix + ".png"
}

// loadPNG reads a PNG.
func loadPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return img
}

// cropCards cuts a page rendered at 200 dots an inch into its 8 cards and
// returns their images and PNGs' paths.
func cropCards(t *testing.T, img image.Image) ([]image.Image, []string) {
	t.Helper()
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		t.Fatalf("cannot crop a %T", img)
	}
	const scale = 200.0 / 72
	var (
		images []image.Image
		paths  []string
	)
	for slot := range 8 {
		r := cardRect(slot)
		crop := sub.SubImage(image.Rect(int(r.x0*scale), int(r.y0*scale), int(r.x1*scale), int(r.y1*scale)))
		path := filepath.Join(t.TempDir(), fmt.Sprintf("card%d.png", slot))
		var buf bytes.Buffer
		if err := png.Encode(&buf, crop); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		images = append(images, crop)
		paths = append(paths, path)
	}
	return images, paths
}

// dark tells whether a pixel is ink.
func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return r+g+b < 3*0x8000
}

// qrGeometry finds the QR code in a card's image rendered at 200 dots an
// inch: the box of its dark modules, and the size of a module, from the
// top left finder pattern, which is 7 modules wide.
func qrGeometry(t *testing.T, card image.Image) (image.Rectangle, float64) {
	t.Helper()
	const scale = 200.0 / 72
	b := card.Bounds()
	q := qrRect(rect{0, 0, cardWt, cardHt})
	area := image.Rect(b.Min.X+int(q.x0*scale), b.Min.Y+int(q.y0*scale), b.Min.X+int(q.x1*scale), b.Min.Y+int(q.y1*scale))
	box := image.Rectangle{}
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			if dark(card, x, y) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Empty() {
		t.Fatal("no QR code on the card")
	}
	run := 0
	for x := box.Min.X; x < box.Max.X && dark(card, x, box.Min.Y+1); x++ {
		run++
	}
	return box, float64(run) / 7
}

// decodeQR returns the contents of the QR codes zbarimg finds in each
// image, by image.
func decodeQR(t *testing.T, images ...string) map[string][]string {
	t.Helper()
	path, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatalf("zbarimg is not installed: install the Debian package zbar-tools (apt-get install zbar-tools)")
	}
	// zbarimg exits with 4 when an image has no code; that is for the
	// caller to judge.
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, append([]string{"--xml", "-q"}, images...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 4 {
			t.Fatalf("zbarimg: %v\n%s", err, stderr.String())
		}
	}
	var out struct {
		Sources []struct {
			Href    string `xml:"href,attr"`
			Symbols []struct {
				Type string `xml:"type,attr"`
				Data string `xml:"data"`
			} `xml:"index>symbol"`
		} `xml:"source"`
	}
	if err := xml.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("read zbarimg's output: %v\n%s", err, stdout.String())
	}
	found := map[string][]string{}
	for _, s := range out.Sources {
		for _, sym := range s.Symbols {
			if sym.Type != "QR-Code" {
				t.Errorf("%s: a %s, not a QR code", s.Href, sym.Type)
			}
			found[s.Href] = append(found[s.Href], sym.Data)
		}
	}
	return found
}
