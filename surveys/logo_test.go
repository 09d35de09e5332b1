package surveys_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

const svgOpen = `<svg xmlns="http://www.w3.org/2000/svg"`

// logoPNG returns a w×h PNG with a gradient and a transparent corner.
func logoPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 7), G: uint8(y * 13), B: 0x66, A: 0xff})
		}
	}
	img.SetNRGBA(0, 0, color.NRGBA{})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encode PNG: %v", err)
	}
	return buf.Bytes()
}

// pngChunk returns a PNG chunk: length, type, data and CRC.
func pngChunk(typ string, data []byte) []byte {
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(chunk, typ...)
	chunk = append(chunk, data...)
	return binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
}

// withChunk returns a copy of a PNG with chunk put just after its IHDR.
func withChunk(p, chunk []byte) []byte {
	const afterIHDR = 8 + 4 + 4 + 13 + 4 // signature, then IHDR's length, type, data and CRC
	return bytes.Join([][]byte{p[:afterIHDR], chunk, p[afterIHDR:]}, nil)
}

// pngHeader returns the start of a PNG claiming to be w×h 8-bit RGBA, with
// no pixels.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // bit depth, colour type RGBA, compression, filter, interlace
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// rawPNG returns a w×h PNG of the given bit depth and colour type, with
// chunks (such as PLTE and tRNS) before its pixels, and rows made by row,
// each without its filter byte. It makes kinds of PNG that image/png does
// not write.
func rawPNG(t testing.TB, w, h int, depth, colorType byte, chunks [][]byte, row func(y int) []byte) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, depth, colorType, 0, 0, 0)
	var pixels bytes.Buffer
	zw := zlib.NewWriter(&pixels)
	for y := range h {
		zw.Write(append([]byte{0}, row(y)...))
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("compress pixels: %v", err)
	}
	p := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	for _, c := range chunks {
		p = append(p, c...)
	}
	p = append(p, pngChunk("IDAT", pixels.Bytes())...)
	return append(p, pngChunk("IEND", nil)...)
}

// pattern returns n bytes that differ along a row and between rows.
func pattern(n, y int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*37 + y*11)
	}
	return b
}

// nestedSVG returns an SVG, as CleanLogo writes it, whose root holds groups
// nested depth-1 deep (depth is at least 2).
func nestedSVG(depth int) string {
	return svgOpen + ">" + strings.Repeat("<g>", depth-2) + "<g/>" + strings.Repeat("</g>", depth-2) + "</svg>"
}

// cleanAgain checks that a cleaned logo is cleaned to the same bytes.
func cleanAgain(t *testing.T, logo *surveys.Logo) {
	t.Helper()
	again, err := surveys.CleanLogo(logo.Data)
	if err != nil {
		t.Fatalf("CleanLogo of its own output: %v\n%s", err, logo.Data)
	}
	if again.ContentType != logo.ContentType || !bytes.Equal(again.Data, logo.Data) {
		t.Fatalf("cleaning again changed the logo:\n%s\n%s", logo.Data, again.Data)
	}
}

// pngCleanTests are PNGs CleanLogo accepts; FuzzCleanLogo starts from them
// too.
func pngCleanTests(t testing.TB) []struct {
	name string
	data []byte
} {
	small := logoPNG(t, 30, 20)
	return []struct {
		name string
		data []byte
	}{
		{"plain", small},
		{"trailing data", append(append([]byte{}, small...), "<svg onload=alert(1)>junk"...)},
		{"text chunk", withChunk(small, pngChunk("tEXt", []byte("Comment\x00<script>alert(1)</script>")))},
		{"exif chunk", withChunk(small, pngChunk("eXIf", []byte("MM\x00*GPS 51.5N 0.1W")))},
		{"as wide as allowed", logoPNG(t, surveys.MaxLogoPixels, 1)},
		{"as tall as allowed", logoPNG(t, 1, surveys.MaxLogoPixels)},
		{"gray, 1 bit", rawPNG(t, 10, 3, 1, 0, nil, func(y int) []byte { return pattern(2, y) })},
		{"gray, 16 bits", rawPNG(t, 5, 3, 16, 0, nil, func(y int) []byte { return pattern(10, y) })},
		{"gray with a transparent value", rawPNG(t, 5, 3, 8, 0, [][]byte{pngChunk("tRNS", []byte{0, 37})},
			func(y int) []byte { return pattern(5, y) })},
		{"gray and alpha", rawPNG(t, 5, 3, 8, 4, nil, func(y int) []byte { return pattern(10, y) })},
		{"gray and alpha, 16 bits", rawPNG(t, 5, 3, 16, 4, nil, func(y int) []byte { return pattern(20, y) })},
		{"RGB with a transparent colour", rawPNG(t, 5, 3, 8, 2, [][]byte{pngChunk("tRNS", []byte{0, 0, 0, 37, 0, 74})},
			func(y int) []byte { return pattern(15, y) })},
		{"RGB, 16 bits", rawPNG(t, 5, 3, 16, 2, nil, func(y int) []byte { return pattern(30, y) })},
		{"RGBA, 16 bits", rawPNG(t, 5, 3, 16, 6, nil, func(y int) []byte { return pattern(40, y) })},
		{"palette, 4 bits, indexes past its end", rawPNG(t, 6, 3, 4, 3,
			[][]byte{pngChunk("PLTE", []byte{255, 0, 0, 0, 255, 0, 0, 0, 255}), pngChunk("tRNS", []byte{0, 128})},
			func(y int) []byte { return []byte{0x01, 0x23, byte(y)} })},
		{"palette, 8 bits, full", rawPNG(t, 16, 16, 8, 3, [][]byte{pngChunk("PLTE", pattern(768, 1))},
			func(y int) []byte { return pattern(16, y) })},
	}
}

func TestCleanLogoPNG(t *testing.T) {
	t.Parallel()
	for _, tt := range pngCleanTests(t) {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logo, err := surveys.CleanLogo(tt.data)
			if err != nil {
				t.Fatalf("CleanLogo: %v", err)
			}
			if logo.ContentType != "image/png" {
				t.Errorf("ContentType = %q; want image/png", logo.ContentType)
			}
			for _, s := range []string{"tEXt", "eXIf", "junk", "script", "GPS"} {
				if bytes.Contains(logo.Data, []byte(s)) {
					t.Errorf("cleaned PNG still contains %q", s)
				}
			}
			if !bytes.HasSuffix(logo.Data, pngChunk("IEND", nil)) {
				t.Error("cleaned PNG does not end with its IEND chunk")
			}
			want, err := png.Decode(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatalf("decode the original: %v", err)
			}
			got, err := png.Decode(bytes.NewReader(logo.Data))
			if err != nil {
				t.Fatalf("decode the cleaned PNG: %v", err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("cleaned PNG is %v; want %v", got.Bounds(), want.Bounds())
			}
			for y := want.Bounds().Min.Y; y < want.Bounds().Max.Y; y++ {
				for x := want.Bounds().Min.X; x < want.Bounds().Max.X; x++ {
					w, g := color.NRGBA64Model.Convert(want.At(x, y)), color.NRGBA64Model.Convert(got.At(x, y))
					if w != g {
						t.Fatalf("pixel (%d, %d) = %v; want %v", x, y, g, w)
					}
				}
			}
			cleanAgain(t, logo)
		})
	}
}

func TestCleanLogoRefuses(t *testing.T) {
	t.Parallel()
	const notLogo = "The logo must be a PNG or SVG file."
	small := logoPNG(t, 3, 2)
	tests := []struct {
		name    string
		data    []byte
		message string
	}{
		{"empty", nil, notLogo},
		{"white space", []byte(" \n"), notLogo},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"), notLogo},
		{"JPEG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"), notLogo},
		{"text", []byte("Our council logo"), notLogo},
		{"text named svg", []byte("svg xmlns=\"http://www.w3.org/2000/svg\""), notLogo},
		{"HTML", []byte(`<html xmlns="http://www.w3.org/1999/xhtml"><body>` + svgOpen + `/></body></html>`), notLogo},
		{"XML with another root", []byte(`<?xml version="1.0"?><logo><svg/></logo>`), notLogo},
		{"comment only", []byte(`<!-- ` + svgOpen + `/> -->`), notLogo},
		{"text before the root", []byte(`<!-- x -->hello` + svgOpen + `/>`), notLogo},
		{"too large", append([]byte(svgOpen+">"), bytes.Repeat([]byte(" "), surveys.MaxLogoBytes)...),
			"The logo is too large: it may be up to 256 KB."},
		{"too large PNG", append(append([]byte{}, small...), make([]byte, surveys.MaxLogoBytes)...),
			"The logo is too large: it may be up to 256 KB."},
		{"too large once escaped", []byte(svgOpen + "><title>" + strings.Repeat(`"`, surveys.MaxLogoBytes/2) + "</title></svg>"),
			"The logo is too large once cleaned: it may be up to 256 KB. Try a smaller or simpler file."},
		{"too wide PNG", pngHeader(5000, 10), "The PNG is 5000 pixels wide; the most is 4000."},
		{"too tall PNG", pngHeader(10, 4001), "The PNG is 4001 pixels tall; the most is 4000."},
		{"too many pixels", pngHeader(2001, 2000), "The PNG is 2001 by 2000 pixels, which is more than a logo needs; make it at most 4000000 pixels in all (2000 by 2000, say)."},
		{"PNG header only", pngHeader(10, 10), "The PNG file is damaged or cannot be read. Try saving it again."},
		{"PNG signature only", []byte("\x89PNG\r\n\x1a\n"), "The PNG file is damaged or cannot be read. Try saving it again."},
		{"PNG cut short", small[:len(small)-20], "The PNG file is damaged or cannot be read. Try saving it again."},
		{"SVG without its namespace", []byte(`<svg width="10"/>`), `The SVG must declare the SVG namespace: xmlns="http://www.w3.org/2000/svg".`},
		{"SVG in another namespace", []byte(`<svg xmlns="http://example.com/svg"/>`), `The SVG must declare the SVG namespace: xmlns="http://www.w3.org/2000/svg".`},
		{"DOCTYPE with an entity", []byte(`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY logo SYSTEM "file:///etc/passwd">]>` +
			svgOpen + `><text>&logo;</text></svg>`), "The SVG may not have a DOCTYPE or entity declarations."},
		{"billion laughs", []byte(`<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
			svgOpen + `><text>&b;</text></svg>`), "The SVG may not have a DOCTYPE or entity declarations."},
		{"DOCTYPE after the root", []byte(svgOpen + `/><!DOCTYPE svg>`), "The SVG may not have a DOCTYPE or entity declarations."},
		{"undeclared entity", []byte(svgOpen + `><text>&nbsp;</text></svg>`), "The SVG file is damaged: it is not well-formed XML (line 1)."},
		{"unclosed element", []byte(svgOpen + ">\n<g>\n</svg>"), "The SVG file is damaged: it is not well-formed XML (line 3)."},
		{"unclosed root", []byte(svgOpen + "><g/>"), "The SVG file is damaged: it is not well-formed XML (line 1)."},
		{"unquoted attribute", []byte(svgOpen + ` width=10/>`), "The SVG file is damaged: it is not well-formed XML (line 1)."},
		{"invalid UTF-8", []byte(svgOpen + "><title>\xff</title></svg>"), "The SVG file is damaged: it is not well-formed XML (line 1)."},
		{"another encoding", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + svgOpen + `/>`),
			"The SVG file cannot be read. Save it as SVG in UTF-8 and try again."},
		{"two roots", []byte(svgOpen + `/>` + svgOpen + `/>`), "The SVG file has more after the end of the picture."},
		{"text after the root", []byte(svgOpen + `/> trailing`), "The SVG file has more after the end of the picture."},
		{"too deep", []byte(nestedSVG(surveys.MaxSVGDepth + 1)), "The SVG is nested too deeply: it may have up to 64 levels."},
		{"too deep in a dropped element", []byte(svgOpen + "><metadata>" + strings.Repeat("<x>", surveys.MaxSVGDepth) + strings.Repeat("</x>", surveys.MaxSVGDepth) + "</metadata></svg>"),
			"The SVG is nested too deeply: it may have up to 64 levels."},
		{"too many elements", []byte(svgOpen + ">" + strings.Repeat("<g/>", surveys.MaxSVGElements) + "</svg>"),
			"The SVG has too many parts: it may have up to 5000 elements."},
		{"too many dropped elements", []byte(svgOpen + "><metadata>" + strings.Repeat("<x/>", surveys.MaxSVGElements) + "</metadata></svg>"),
			"The SVG has too many parts: it may have up to 5000 elements."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logo, err := surveys.CleanLogo(tt.data)
			if err == nil {
				t.Fatalf("CleanLogo accepted it as %s:\n%.300s", logo.ContentType, logo.Data)
			}
			if logo != nil {
				t.Error("CleanLogo returned a logo with an error")
			}
			if code := surveys.ErrorCode(err); code != surveys.EINVALID {
				t.Errorf("code = %q (%v); want %q", code, err, surveys.EINVALID)
			}
			if msg := surveys.ErrorMessage(err); msg != tt.message {
				t.Errorf("message = %q; want %q", msg, tt.message)
			}
			if fields := surveys.ErrorFields(err); len(fields) != 1 || fields["logo"] == "" {
				t.Errorf("fields = %q; want one message for logo", fields)
			}
		})
	}
}

// svgCleanTests are SVGs CleanLogo accepts, with what it makes of them;
// FuzzCleanLogo starts from them too.
var svgCleanTests = []struct {
	name string
	in   string
	want string
}{
	{"plain",
		svgOpen + ` viewBox="0 0 10 10" width="10" height="10"><rect width="10" height="10" fill="#036"/></svg>`,
		svgOpen + ` viewBox="0 0 10 10" width="10" height="10"><rect width="10" height="10" fill="#036"/></svg>`},
	{"declaration, byte order mark, comments and white space",
		"\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n<!-- Created with Inkscape -->\n" +
			svgOpen + ">\n  <!-- a circle -->\n  <circle cx=\"5\" cy=\"5\" r=\"4\"/>\n  <?php echo 1 ?>\n</svg>\n",
		svgOpen + `><circle cx="5" cy="5" r="4"/></svg>`},
	{"script element",
		svgOpen + `><script type="text/javascript">alert(document.cookie)</script><script><![CDATA[fetch("//x")]]></script><circle r="1"/></svg>`,
		svgOpen + `><circle r="1"/></svg>`},
	{"event handlers",
		svgOpen + ` onload="alert(1)" width="5"><g onclick="alert(2)" ONMOUSEOVER="alert(3)" id="a"><rect onfocusin="x()"/></g></svg>`,
		svgOpen + ` width="5"><g id="a"><rect/></g></svg>`},
	{"javascript link",
		svgOpen + ` xmlns:xlink="http://www.w3.org/1999/xlink"><a href="javascript:alert(1)"><text>Click</text></a>` +
			`<a xlink:href="javascript:alert(2)"><rect/></a><use href=" javascript:alert(3)"/></svg>`,
		svgOpen + `><use/></svg>`},
	{"foreignObject",
		svgOpen + `><foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://example.com"></iframe></div></foreignObject><path d="M0 0h1"/></svg>`,
		svgOpen + `><path d="M0 0h1"/></svg>`},
	{"other elements that load or run",
		svgOpen + `><image href="https://example.com/a.png"/><animate attributeName="href" to="javascript:alert(1)"/>` +
			`<set attributeName="onclick" to="alert(1)"/><iframe/><style>@import url(https://example.com/a.css);</style>` +
			`<filter><feImage href="https://example.com/b.png"/></filter><embed/><object/><title>Logo</title></svg>`,
		svgOpen + `><title>Logo</title></svg>`},
	{"external and local use",
		svgOpen + ` xmlns:xlink="http://www.w3.org/1999/xlink"><defs><symbol id="s"><circle r="1"/></symbol></defs>` +
			`<use href="http://example.com/x.svg#s"/><use xlink:href="https://example.com/#s" x="1"/><use href="data:image/svg+xml,&lt;svg/&gt;"/>` +
			`<use href="#s" xlink:href="#s" y="2"/></svg>`,
		svgOpen + ` xmlns:xlink="http://www.w3.org/1999/xlink"><defs><symbol id="s"><circle r="1"/></symbol></defs>` +
			`<use/><use x="1"/><use/><use href="#s" xlink:href="#s" y="2"/></svg>`},
	{"xlink under another prefix",
		svgOpen + ` xmlns:l="http://www.w3.org/1999/xlink"><use l:href="#s"/></svg>`,
		svgOpen + ` xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#s"/></svg>`},
	{"undeclared xlink prefix",
		svgOpen + `><use xlink:href="#s"/></svg>`,
		svgOpen + `><use/></svg>`},
	{"style and class",
		svgOpen + `><rect style="fill:url(https://example.com/x)" class="brand" fill="red"/></svg>`,
		svgOpen + `><rect fill="red"/></svg>`},
	{"url references",
		svgOpen + `><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="rgb(0, 51, 102)"/></linearGradient></defs>` +
			`<rect fill="url(http://example.com/x)" stroke="url(#g)"/><rect fill="url(#g)" clip-path="URL(https://example.com/c)" mask="url(data:x)"/>` +
			`<rect fill="url('#g')" stroke="url(#g) red"/><rect fill="url(#g)) url(http://x"/></svg>`,
		svgOpen + `><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="rgb(0, 51, 102)"/></linearGradient></defs>` +
			`<rect stroke="url(#g)"/><rect fill="url(#g)"/><rect/><rect/></svg>`},
	{"CSS tricks",
		svgOpen + `><rect fill="\75 rl(http://example.com/x)" stroke="src('http://example.com/y')" mask="image-set('x.png' 1x)"/>` +
			`<rect fill="ＵＲＬ(x)" transform="translate(1 2) rotate(45) scale(2) matrix(1 0 0 1 0 0) skewX(3)" font-family="'Open Sans', Arial"/></svg>`,
		svgOpen + `><rect/><rect transform="translate(1 2) rotate(45) scale(2) matrix(1 0 0 1 0 0) skewX(3)" font-family="&#39;Open Sans&#39;, Arial"/></svg>`},
	{"text and escaping",
		svgOpen + ` aria-label="Fish &amp; Chips &quot;Council&quot;" role="img"><title>Fish &amp; Chips</title>` +
			`<text x="1" font-size="3">A &lt;b&gt; <![CDATA[<script>]]><tspan>c</tspan>d<!-- e --><![CDATA[]]></text><desc></desc>` +
			`<g>stray text</g></svg>`,
		svgOpen + ` aria-label="Fish &amp; Chips &#34;Council&#34;" role="img"><title>Fish &amp; Chips</title>` +
			`<text x="1" font-size="3">A &lt;b&gt; &lt;script&gt;<tspan>c</tspan>d</text><desc/><g/></svg>`},
	{"other namespaces",
		svgOpen + ` xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:svg="http://www.w3.org/2000/svg" inkscape:version="1.3" xml:space="preserve">` +
			`<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>` +
			`<inkscape:g><rect/></inkscape:g><svg:g inkscape:label="Layer 1"><svg:rect/></svg:g><g xmlns="http://example.com"><rect/></g></svg>`,
		svgOpen + `><g><rect/></g></svg>`},
	{"svg prefix on the root",
		`<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="2"><svg:circle r="1"/></svg:svg>`,
		svgOpen + ` width="2"><circle r="1"/></svg>`},
	{"repeated attributes",
		svgOpen + ` xmlns:a="http://www.w3.org/1999/xlink" xmlns:b="http://www.w3.org/1999/xlink"><rect x="1" x="2" fill="url(http://x)" fill="red"/><use a:href="#a" b:href="#b"/></svg>`,
		svgOpen + ` xmlns:xlink="http://www.w3.org/1999/xlink"><rect x="1" fill="red"/><use xlink:href="#a"/></svg>`},
	{"values with white space",
		svgOpen + `><path d="M0 0
L1 1	z"/></svg>`,
		svgOpen + `><path d="M0 0&#xA;L1 1&#x9;z"/></svg>`},
	{"every element allowed",
		svgOpen + ` version="1.1" preserveAspectRatio="xMidYMid meet"><defs><linearGradient id="l" x1="0" y1="0" x2="1" y2="1" gradientUnits="userSpaceOnUse" gradientTransform="rotate(90)"><stop offset="0" stop-opacity="0.5"/></linearGradient>` +
			`<radialGradient id="r" cx="1" cy="1" r="1"/><clipPath id="c"><rect/></clipPath><mask id="m"><rect fill="#fff"/></mask><symbol id="s"/></defs>` +
			`<g clip-path="url(#c)" mask="url(#m)" opacity="0.9"><ellipse rx="1" ry="2" fill-opacity="1" fill-rule="evenodd" clip-rule="nonzero"/>` +
			`<line x1="0" y1="0" x2="1" y2="1" stroke="#000" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" stroke-opacity="1" stroke-dasharray="1 2"/>` +
			`<polyline points="0,0 1,1"/><polygon points="0,0 1,1 1,0"/><text text-anchor="middle" font-weight="bold">Hi</text><use href="#s"/></g></svg>`,
		svgOpen + ` version="1.1" preserveAspectRatio="xMidYMid meet"><defs><linearGradient id="l" x1="0" y1="0" x2="1" y2="1" gradientUnits="userSpaceOnUse" gradientTransform="rotate(90)"><stop offset="0" stop-opacity="0.5"/></linearGradient>` +
			`<radialGradient id="r" cx="1" cy="1" r="1"/><clipPath id="c"><rect/></clipPath><mask id="m"><rect fill="#fff"/></mask><symbol id="s"/></defs>` +
			`<g clip-path="url(#c)" mask="url(#m)" opacity="0.9"><ellipse rx="1" ry="2" fill-opacity="1" fill-rule="evenodd" clip-rule="nonzero"/>` +
			`<line x1="0" y1="0" x2="1" y2="1" stroke="#000" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" stroke-opacity="1" stroke-dasharray="1 2"/>` +
			`<polyline points="0,0 1,1"/><polygon points="0,0 1,1 1,0"/><text text-anchor="middle" font-weight="bold">Hi</text><use href="#s"/></g></svg>`},
	{"as deep as allowed", nestedSVG(surveys.MaxSVGDepth), nestedSVG(surveys.MaxSVGDepth)},
	{"as many elements as allowed",
		svgOpen + ">" + strings.Repeat("<g/>", surveys.MaxSVGElements-1) + "</svg>",
		svgOpen + ">" + strings.Repeat("<g/>", surveys.MaxSVGElements-1) + "</svg>"},
}

func TestCleanLogoSVG(t *testing.T) {
	t.Parallel()
	for _, tt := range svgCleanTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logo, err := surveys.CleanLogo([]byte(tt.in))
			if err != nil {
				t.Fatalf("CleanLogo: %v (%q)", err, surveys.ErrorMessage(err))
			}
			if logo.ContentType != "image/svg+xml" {
				t.Errorf("ContentType = %q; want image/svg+xml", logo.ContentType)
			}
			if got := string(logo.Data); got != tt.want {
				t.Errorf("cleaned SVG:\n got %s\nwant %s", got, tt.want)
			}
			cleanAgain(t, logo)
		})
	}
}
