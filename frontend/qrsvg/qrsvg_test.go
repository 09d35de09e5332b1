package qrsvg_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"

	"github.com/heard-app/heard/frontend/qrsvg"
)

// joinURL is the kind of link the projector shows.
const joinURL = "https://heard.example.gov.uk/join/K7P2QM"

// drawing is an SVG from qrsvg read back: its attributes, title, and which
// modules its path paints dark.
type drawing struct {
	Role       string `xml:"role,attr"`
	Label      string `xml:"aria-label,attr"`
	ViewBox    string `xml:"viewBox,attr"`
	Rendering  string `xml:"shape-rendering,attr"`
	Title      string `xml:"title"`
	Background struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		Fill string `xml:"fill,attr"`
		D    string `xml:"d,attr"`
	} `xml:"path"`

	side int      // the viewBox's side, in modules
	dark [][]bool // [row][col] over the whole viewBox
	runs int      // rectangles in the path
}

// subpath is one rectangle of the path as SVG writes it.
var subpath = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// read parses svg as XML and paints its path onto a grid of modules,
// failing the test on anything it does not expect.
func read(t *testing.T, svg string) *drawing {
	t.Helper()
	var d drawing
	if err := xml.Unmarshal([]byte(svg), &d); err != nil {
		t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
	}
	var err error
	f := strings.Fields(d.ViewBox)
	if len(f) != 4 || f[0] != "0" || f[1] != "0" || f[2] != f[3] {
		t.Fatalf("viewBox %q; want a square from 0 0", d.ViewBox)
	}
	if d.side, err = strconv.Atoi(f[2]); err != nil {
		t.Fatalf("viewBox %q: %v", d.ViewBox, err)
	}
	if len(d.Paths) != 1 {
		t.Fatalf("%d paths; want one", len(d.Paths))
	}
	d.dark = make([][]bool, d.side)
	for i := range d.dark {
		d.dark[i] = make([]bool, d.side)
	}
	for rest := d.Paths[0].D; rest != ""; {
		m := subpath.FindStringSubmatch(rest)
		if m == nil {
			t.Fatalf("path data not in the expected form at %.40q", rest)
		}
		rest = rest[len(m[0]):]
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if back, _ := strconv.Atoi(m[4]); back != w || w < 1 || x+w > d.side || y >= d.side {
			t.Fatalf("rectangle %q is not closed or leaves the viewBox", m[0])
		}
		for i := x; i < x+w; i++ {
			if d.dark[y][i] {
				t.Fatalf("module %d,%d painted twice", i, y)
			}
			d.dark[y][i] = true
		}
		d.runs++
	}
	return &d
}

func TestSVGShape(t *testing.T) {
	t.Parallel()
	svg, err := qrsvg.SVG(joinURL, "QR code to join the session")
	if err != nil {
		t.Fatal(err)
	}
	d := read(t, string(svg))
	if d.Role != "img" || d.Title != "QR code to join the session" || d.Label != d.Title {
		t.Errorf("role %q, title %q, aria-label %q; want an image named by its title", d.Role, d.Title, d.Label)
	}
	if !strings.HasPrefix(string(svg), `<svg xmlns="http://www.w3.org/2000/svg" `) ||
		!strings.Contains(string(svg), "><title>") {
		t.Errorf("want the svg element with its namespace and the title as its first child:\n%.200s", svg)
	}
	if d.Rendering != "crispEdges" {
		t.Errorf("shape-rendering %q; want crispEdges", d.Rendering)
	}
	side := strconv.Itoa(d.side)
	if d.Background.Width != side || d.Background.Height != side || d.Background.Fill != "#fff" {
		t.Errorf("background %+v; want a white square over the whole viewBox", d.Background)
	}
	if d.Paths[0].Fill != "#000" {
		t.Errorf("path fill %q; want black", d.Paths[0].Fill)
	}
	dark := 0
	for _, row := range d.dark {
		for _, on := range row {
			if on {
				dark++
			}
		}
	}
	// Runs of dark modules are merged: far fewer rectangles than modules.
	if d.runs*2 > dark {
		t.Errorf("%d rectangles for %d dark modules; want horizontal runs merged", d.runs, dark)
	}
	if len(svg) > 8<<10 {
		t.Errorf("the SVG of a join link is %d bytes; want it under 8 KiB", len(svg))
	}
}

// TestSVGModules compares the drawing with the code the encoder makes: the
// same modules, inside a blank quiet zone of four modules.
func TestSVGModules(t *testing.T) {
	t.Parallel()
	for _, content := range []string{joinURL, "K7P2QM", "0123456789", strings.Repeat("x", qrsvg.MaxContentBytes)} {
		t.Run(fmt.Sprintf("%d bytes", len(content)), func(t *testing.T) {
			t.Parallel()
			svg, err := qrsvg.SVG(content, "QR code")
			if err != nil {
				t.Fatal(err)
			}
			d := read(t, string(svg))
			code, err := qr.Encode(content, qr.M, qr.Auto)
			if err != nil {
				t.Fatal(err)
			}
			n := code.Bounds().Dx()
			q := qrsvg.QuietModules
			if d.side != n+2*q {
				t.Fatalf("viewBox side %d; want the code's %d modules and %d on each side", d.side, n, q)
			}
			for y := range d.side {
				for x := range d.side {
					want := false
					if x >= q && x < q+n && y >= q && y < q+n {
						r, g, b, _ := code.At(x-q, y-q).RGBA()
						want = r+g+b < 3*0x8000
					}
					if d.dark[y][x] != want {
						t.Fatalf("module %d,%d dark %v; want %v (quiet zone: %d modules)", x, y, d.dark[y][x], want, q)
					}
				}
			}
		})
	}
}

// TestSVGDecodes draws the SVG's modules as a picture and reads it with
// zbarimg, as a phone would read the projector: the content must come back.
func TestSVGDecodes(t *testing.T) {
	t.Parallel()
	zbarimg, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Fatalf("zbarimg is not installed: install the Debian package zbar-tools (apt-get install zbar-tools)")
	}
	contents := []string{joinURL, "K7P2QM", "0123456789", "https://heard.example.gov.uk/join/K7P2QM?from=projector&lang=pl",
		strings.Repeat("https://example.org/", qrsvg.MaxContentBytes/20) + "123456"}
	dir := t.TempDir()
	var images []string
	for i, content := range contents {
		svg, err := qrsvg.SVG(content, "QR code")
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, fmt.Sprintf("qr%d.png", i))
		writePNG(t, name, read(t, string(svg)), 6)
		images = append(images, name)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(zbarimg, append([]string{"--raw", "-q"}, images...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("zbarimg: %v (exit 4 means no code found)\n%s", err, stderr.String())
	}
	got := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(got) != len(contents) {
		t.Fatalf("zbarimg read %d codes from %d pictures:\n%s", len(got), len(contents), stdout.String())
	}
	for i, want := range contents {
		if got[i] != want {
			t.Errorf("picture %d reads %q; want %q", i, got[i], want)
		}
	}
}

// writePNG paints the drawing, scale pixels a module, black on white.
func writePNG(t *testing.T, name string, d *drawing, scale int) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, d.side*scale, d.side*scale))
	for y := range d.side * scale {
		for x := range d.side * scale {
			c := color.Gray{Y: 0xff}
			if d.dark[y/scale][x/scale] {
				c = color.Gray{}
			}
			img.SetGray(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSVGTitleEscaped(t *testing.T) {
	t.Parallel()
	title := `Scan <b>me</b> & "join" 'now' </title><script>alert(1)</script>`
	svg, err := qrsvg.SVG(joinURL, title)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"<b>", "<script>", `"join"`, "'now'", "& "} {
		if strings.Contains(string(svg), raw) {
			t.Errorf("the SVG holds %q unescaped:\n%.300s", raw, svg)
		}
	}
	d := read(t, string(svg))
	if d.Title != title || d.Label != title {
		t.Errorf("title %q, aria-label %q; want both to read back as %q", d.Title, d.Label, title)
	}
}

func TestSVGLimits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, content, title string
		err                  error
	}{
		{"no content", "", "QR code", qrsvg.ErrNoContent},
		{"longest content", strings.Repeat("a", qrsvg.MaxContentBytes), "QR code", nil},
		{"content too long", strings.Repeat("a", qrsvg.MaxContentBytes+1), "QR code", qrsvg.ErrTooLong},
		{"no title", joinURL, "", qrsvg.ErrNoTitle},
		{"blank title", joinURL, " \n ", qrsvg.ErrNoTitle},
		{"longest title", joinURL, strings.Repeat("t", qrsvg.MaxTitleBytes), nil},
		{"title too long", joinURL, strings.Repeat("t", qrsvg.MaxTitleBytes+1), qrsvg.ErrTitleLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svg, err := qrsvg.SVG(tt.content, tt.title)
			if !errors.Is(err, tt.err) {
				t.Fatalf("SVG = error %v; want %v", err, tt.err)
			}
			if err != nil {
				if svg != "" {
					t.Errorf("an error and an SVG: %.80s", svg)
				}
				if len(tt.content) > 8 && strings.Contains(err.Error(), tt.content) {
					t.Errorf("the error quotes the content: %v", err)
				}
				return
			}
			read(t, string(svg))
		})
	}
}

func BenchmarkSVG(b *testing.B) {
	for b.Loop() {
		if _, err := qrsvg.SVG(joinURL, "QR code to join the session"); err != nil {
			b.Fatal(err)
		}
	}
}
