package exports

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText makes text safe to draw with gofpdf: valid UTF-8, on one line,
// without characters outside the Basic Multilingual Plane (emoji and the
// like, which make gofpdf fail the whole document) or invisible formatting
// characters (which join and style emoji, among other things), and with
// runs of white space as one space.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r > 0xFFFF:
			continue
		case r >= '\uFE00' && r <= '\uFE0F', unicode.Is(unicode.Cf, r) && r != '\u200C':
			// Variation selectors, and invisible format characters (zero
			// width joiners, direction marks and embeddings, soft hyphens)
			// but the zero width non-joiner, which Persian needs.
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// wrap breaks text into lines no wider than width, as measured. It breaks
// after spaces and after any of the runes in breakAfter (for addresses,
// which have no spaces), and inside a piece that is wider than a line on
// its own.
func wrap(measure func(string) float64, text string, width float64, breakAfter string) []string {
	var lines []string
	line := ""
	for _, piece := range pieces(text, breakAfter) {
		if measure(strings.TrimRight(line+piece, " ")) <= width {
			line += piece
			continue
		}
		if line != "" {
			lines = append(lines, strings.TrimRight(line, " "))
			line = ""
		}
		for measure(strings.TrimRight(piece, " ")) > width {
			// The longest start of the piece that fits, at least one rune.
			n, size := 0, 0
			for n < len(piece) {
				_, size = utf8.DecodeRuneInString(piece[n:])
				if n > 0 && measure(piece[:n+size]) > width {
					break
				}
				n += size
			}
			lines = append(lines, piece[:n])
			piece = piece[n:]
		}
		line = piece
	}
	if line = strings.TrimRight(line, " "); line != "" {
		lines = append(lines, line)
	}
	return lines
}

// pieces splits text after each space and each rune in breakAfter.
func pieces(text, breakAfter string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if r == ' ' || strings.ContainsRune(breakAfter, r) {
			end := i + utf8.RuneLen(r)
			out = append(out, text[start:end])
			start = end
		}
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// shorten returns text, or if it is wider than width, as much of it as
// fits ending with "…".
func shorten(measure func(string) float64, text string, width float64) string {
	if measure(text) <= width {
		return text
	}
	runes := []rune(text)
	return withEllipsis(measure, string(runes[:len(runes)-1]), width)
}

// withEllipsis returns text ending with "…", shortened until it is no wider
// than width.
func withEllipsis(measure func(string) float64, text string, width float64) string {
	runes := []rune(text)
	for n := len(runes); n > 0; n-- {
		s := strings.TrimRight(string(runes[:n]), " ") + "…"
		if measure(s) <= width {
			return s
		}
	}
	return "…"
}
