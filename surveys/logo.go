package surveys

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"slices"
	"strings"
)

// Limits on a council's logo.
const (
	MaxLogoBytes  = 256 << 10 // an uploaded logo file, and the logo once cleaned
	MaxLogoPixels = 4000      // the widest or tallest PNG accepted, in pixels
	// MaxLogoArea bounds a PNG's width times height: a small file can
	// claim a huge blank image, and decoding 4000 by 4000 pixels of 16-bit
	// colour takes about 250 MB. A logo is shown at most a few hundred
	// pixels wide.
	MaxLogoArea    = 2000 * 2000
	MaxSVGDepth    = 64   // elements nested inside one another in an SVG logo
	MaxSVGElements = 5000 // elements in an SVG logo, counting those dropped
)

// Content types of a cleaned logo.
const (
	LogoPNG = "image/png"
	LogoSVG = "image/svg+xml"
)

// Logo is a council's logo, cleaned by CleanLogo and safe to serve.
type Logo struct {
	ContentType string // LogoPNG or LogoSVG
	Data        []byte
}

// Namespaces an SVG logo may use.
const (
	svgNS   = "http://www.w3.org/2000/svg"
	xlinkNS = "http://www.w3.org/1999/xlink"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// CleanLogo checks an uploaded logo and returns it rebuilt, so that only
// what a logo needs reaches a browser. The type is found from the content,
// never from a file name: a PNG (by its signature) or an SVG (XML whose root
// is svg in the SVG namespace); anything else is refused.
//
// A PNG is decoded in full and encoded again, so trailing data and ancillary
// chunks (text, EXIF, colour profiles, animation) do not survive; its size is
// read from its header first, so a huge image is refused before its pixels
// are decoded.
//
// An SVG is a document, not just a picture: it can carry script, event
// handlers, links, styles and references that make the browser load other
// files. Staff pages show the logo in an <img>, where browsers run no script
// and load nothing else, but the same URL can be opened on its own, and we
// would rather not rely on how it is shown. So an SVG is read token by token
// and written again from allowlists of elements and attributes: a DOCTYPE
// (and so any entity declaration) is refused, as is an SVG nested more than
// MaxSVGDepth deep or with more than MaxSVGElements elements; any other
// element is dropped with all it contains; comments and processing
// instructions are dropped; links must point into the file ("#id"), and so
// must url(...) in any attribute. The result is UTF-8 with the SVG namespace
// on its root, and cleaning it again gives the same bytes.
//
// Errors are *Error with code EINVALID naming the field "logo", except for a
// failure to encode a decoded PNG, which would be a fault of ours.
func CleanLogo(data []byte) (*Logo, error) {
	if len(data) > MaxLogoBytes {
		return nil, logoError(fmt.Sprintf("The logo is too large: it may be up to %d KB.", MaxLogoBytes>>10),
			fmt.Sprintf("must be at most %d KB", MaxLogoBytes>>10))
	}
	var logo *Logo
	var err error
	switch {
	case bytes.HasPrefix(data, pngSignature):
		logo, err = cleanPNG(data)
	case looksLikeXML(data):
		logo, err = cleanSVG(data)
	default:
		return nil, notLogo()
	}
	if err != nil {
		return nil, err
	}
	// Escaping, or a PNG compressed less tightly than it was, can make the
	// cleaned logo larger than the file; it must pass the same limit, or it
	// could not be cleaned again.
	if len(logo.Data) > MaxLogoBytes {
		return nil, logoError(fmt.Sprintf("The logo is too large once cleaned: it may be up to %d KB. Try a smaller or simpler file.", MaxLogoBytes>>10),
			fmt.Sprintf("must be at most %d KB once cleaned", MaxLogoBytes>>10))
	}
	return logo, nil
}

// logoError returns an EINVALID error about the logo field.
func logoError(message, field string) *Error {
	return FieldsError(message, map[string]string{"logo": field})
}

// notLogo is the error for a file that is neither a PNG nor an SVG.
func notLogo() *Error {
	return logoError("The logo must be a PNG or SVG file.", "must be a PNG or SVG file")
}

// cleanPNG decodes a PNG, refusing one wider or taller than MaxLogoPixels
// before decoding its pixels, and encodes it again.
func cleanPNG(data []byte) (*Logo, error) {
	damaged := logoError("The PNG file is damaged or cannot be read. Try saving it again.", "must be a PNG that can be read")
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, damaged
	}
	if cfg.Width > MaxLogoPixels {
		return nil, logoError(fmt.Sprintf("The PNG is %d pixels wide; the most is %d.", cfg.Width, MaxLogoPixels),
			fmt.Sprintf("must be at most %d pixels wide", MaxLogoPixels))
	}
	if cfg.Height > MaxLogoPixels {
		return nil, logoError(fmt.Sprintf("The PNG is %d pixels tall; the most is %d.", cfg.Height, MaxLogoPixels),
			fmt.Sprintf("must be at most %d pixels tall", MaxLogoPixels))
	}
	if cfg.Width*cfg.Height > MaxLogoArea {
		return nil, logoError(fmt.Sprintf("The PNG is %d by %d pixels, which is more than a logo needs; make it at most %d pixels in all (2000 by 2000, say).", cfg.Width, cfg.Height, MaxLogoArea),
			fmt.Sprintf("must have at most %d pixels", MaxLogoArea))
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, damaged
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("clean logo: encode PNG: %w", err)
	}
	return &Logo{ContentType: LogoPNG, Data: buf.Bytes()}, nil
}

// utf8BOM is the byte order mark some editors put at the start of a UTF-8
// file; encoding/xml would read it as text before the root.
var utf8BOM = []byte("\ufeff")

// looksLikeXML reports whether data, after a byte order mark and white
// space, starts with "<".
func looksLikeXML(data []byte) bool {
	data = bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n")
	return len(data) > 0 && data[0] == '<'
}

// svgElements are the SVG elements a logo may keep.
var svgElements = setOf("svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
	"text", "tspan", "title", "desc", "defs", "linearGradient", "radialGradient", "stop",
	"clipPath", "mask", "use", "symbol")

// svgTextElements are the elements whose text is kept; text anywhere else
// is only white space between tags.
var svgTextElements = setOf("text", "tspan", "title", "desc")

// svgAttributes are the attributes, outside any namespace, a logo's
// elements may keep. xmlns is written by the cleaner itself; xlink:href is
// the one namespaced attribute kept.
var svgAttributes = setOf("id", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2",
	"cx", "cy", "r", "rx", "ry", "d", "points", "transform",
	"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
	"stroke-opacity", "stroke-dasharray", "opacity", "font-family", "font-size", "font-weight",
	"text-anchor", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
	"clip-path", "clip-rule", "mask", "preserveAspectRatio", "version", "role", "aria-label", "href")

// cssFunctions are the functions an attribute value may call besides
// url(#id): colours and transforms. Any other, such as src() or image(),
// might load something, and drops the attribute.
var cssFunctions = setOf("rgb", "rgba", "hsl", "hsla", "matrix", "translate", "scale", "rotate", "skewx", "skewy")

func setOf(names ...string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// cleanSVG reads an SVG and writes it again from the allowlists.
func cleanSVG(data []byte) (*Logo, error) {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	d.Strict = true // and no CharsetReader: a file in another encoding is refused
	var c svgCleaner
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var syntax *xml.SyntaxError
			if errors.As(err, &syntax) {
				return nil, logoError(fmt.Sprintf("The SVG file is damaged: it is not well-formed XML (line %d).", syntax.Line),
					"must be a well-formed SVG file")
			}
			return nil, logoError("The SVG file cannot be read. Save it as SVG in UTF-8 and try again.",
				"must be an SVG file in UTF-8")
		}
		if err := c.token(tok); err != nil {
			return nil, err
		}
	}
	if !c.closedRoot {
		return nil, notLogo()
	}
	var out bytes.Buffer
	out.Grow(len(`<svg xmlns="" xmlns:xlink=""`) + len(svgNS) + len(xlinkNS) + c.head.Len() + c.body.Len())
	out.WriteString(`<svg xmlns="` + svgNS + `"`)
	if c.xlink {
		out.WriteString(` xmlns:xlink="` + xlinkNS + `"`)
	}
	out.Write(c.head.Bytes())
	out.Write(c.body.Bytes())
	return &Logo{ContentType: LogoSVG, Data: out.Bytes()}, nil
}

// svgCleaner writes the cleaned SVG as the tokens of the uploaded one come.
// The root's start tag is written last, when it is known whether it must
// declare the xlink namespace.
type svgCleaner struct {
	head       bytes.Buffer // the root's kept attributes
	body       bytes.Buffer // everything after them
	names      []string     // the kept elements open in the output
	depth      int          // the elements open in the input
	skipFrom   int          // the depth of the dropped element being skipped, or 0
	elements   int          // the elements seen so far
	open       bool         // the last start tag written still lacks its ">"
	xlink      bool         // an xlink:href was kept
	closedRoot bool         // the root has ended
}

func (c *svgCleaner) token(tok xml.Token) error {
	switch t := tok.(type) {
	case xml.StartElement:
		return c.start(t)
	case xml.EndElement:
		c.end()
	case xml.CharData:
		return c.text(t)
	case xml.Directive:
		return logoError("The SVG may not have a DOCTYPE or entity declarations.", "must not have a DOCTYPE")
	}
	return nil // comments and processing instructions are dropped
}

func (c *svgCleaner) start(t xml.StartElement) error {
	if c.closedRoot {
		return logoError("The SVG file has more after the end of the picture.", "must have one svg element")
	}
	c.elements++
	if c.elements > MaxSVGElements {
		return logoError(fmt.Sprintf("The SVG has too many parts: it may have up to %d elements.", MaxSVGElements),
			fmt.Sprintf("must have at most %d elements", MaxSVGElements))
	}
	c.depth++
	if c.depth > MaxSVGDepth {
		return logoError(fmt.Sprintf("The SVG is nested too deeply: it may have up to %d levels.", MaxSVGDepth),
			fmt.Sprintf("must have at most %d levels of elements", MaxSVGDepth))
	}
	if c.depth == 1 {
		if t.Name.Local != "svg" {
			return notLogo()
		}
		if t.Name.Space != svgNS {
			return logoError(`The SVG must declare the SVG namespace: xmlns="`+svgNS+`".`, "must be in the SVG namespace")
		}
		c.names = append(c.names, "svg")
		c.writeAttrs(&c.head, t.Attr)
		c.open = true
		return nil
	}
	if c.skipFrom > 0 {
		return nil
	}
	if t.Name.Space != svgNS || !svgElements[t.Name.Local] {
		c.skipFrom = c.depth
		return nil
	}
	c.closeStartTag()
	c.body.WriteString("<" + t.Name.Local)
	c.writeAttrs(&c.body, t.Attr)
	c.names = append(c.names, t.Name.Local)
	c.open = true
	return nil
}

func (c *svgCleaner) end() {
	if c.skipFrom > 0 {
		if c.depth == c.skipFrom {
			c.skipFrom = 0
		}
		c.depth--
		return
	}
	c.depth--
	name := c.names[len(c.names)-1]
	c.names = c.names[:len(c.names)-1]
	if c.open {
		c.body.WriteString("/>")
		c.open = false
	} else {
		c.body.WriteString("</" + name + ">")
	}
	if len(c.names) == 0 {
		c.closedRoot = true
	}
}

func (c *svgCleaner) text(t xml.CharData) error {
	if c.depth == 0 {
		if len(bytes.TrimLeft(t, " \t\r\n")) > 0 {
			if c.closedRoot {
				return logoError("The SVG file has more after the end of the picture.", "must have one svg element")
			}
			return notLogo()
		}
		return nil
	}
	if c.skipFrom > 0 || len(t) == 0 || !svgTextElements[c.names[len(c.names)-1]] {
		return nil
	}
	c.closeStartTag()
	xml.EscapeText(&c.body, t)
	return nil
}

// closeStartTag ends a start tag left open in case the element was empty.
func (c *svgCleaner) closeStartTag() {
	if c.open {
		c.body.WriteByte('>')
		c.open = false
	}
}

// writeAttrs writes the attributes that are allowed and safe, each once.
func (c *svgCleaner) writeAttrs(w *bytes.Buffer, attrs []xml.Attr) {
	var written []string
	for _, a := range attrs {
		var name string
		switch {
		case a.Name.Space == "" && svgAttributes[a.Name.Local]:
			name = a.Name.Local
		case a.Name.Space == xlinkNS && a.Name.Local == "href":
			name = "xlink:href"
		default:
			continue
		}
		if !safeAttr(name, a.Value) || slices.Contains(written, name) {
			continue
		}
		written = append(written, name)
		if name == "xlink:href" {
			c.xlink = true
		}
		w.WriteString(" " + name + `="`)
		xml.EscapeText(w, []byte(a.Value))
		w.WriteByte('"')
	}
}

// safeAttr reports whether an allowed attribute's value may be kept: a link
// must be a fragment ("#id"); a value with url( must be just url(#id); and
// no value may call a CSS function other than cssFunctions, or have a
// backslash, which in CSS could spell any function by escapes.
func safeAttr(name, value string) bool {
	lower := strings.ToLower(value)
	switch {
	case name == "href" || name == "xlink:href":
		return isFragment(value)
	case strings.Contains(value, `\`), strings.Contains(lower, "javascript:"):
		return false
	case strings.Contains(lower, "url("):
		rest, ok := strings.CutPrefix(value, "url(")
		if !ok {
			return false
		}
		ref, ok := strings.CutSuffix(rest, ")")
		return ok && isFragment(ref)
	}
	for i := range len(lower) {
		if lower[i] != '(' {
			continue
		}
		j := i
		for j > 0 && isCSSNameByte(lower[j-1]) {
			j--
		}
		if fn := lower[j:i]; fn != "" && !cssFunctions[fn] {
			return false
		}
	}
	return true
}

// isCSSNameByte reports whether b may be part of a CSS function's name.
// Bytes of non-ASCII letters count, so that a name with them is not taken
// for a shorter, allowed one.
func isCSSNameByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b >= 0x80
}

// isFragment reports whether s is a reference into the same file, "#id",
// with an id of ASCII letters, digits, "-", "_", "." and ":".
func isFragment(s string) bool {
	id, ok := strings.CutPrefix(s, "#")
	if !ok || id == "" {
		return false
	}
	for i := range len(id) {
		b := id[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.' || b == ':') {
			return false
		}
	}
	return true
}
