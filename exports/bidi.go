package exports

import (
	"unicode"

	"golang.org/x/text/unicode/bidi"
)

// gofpdf draws the characters of a string left to right, as they come, one
// glyph each. Text in Arabic script (Arabic, Persian, Urdu) and Hebrew
// needs two more steps to read right: Arabic letters take the shape that
// joins them to their neighbours, and right-to-left runs are laid out in
// the order they are seen, right to left. visual does both for one line, so
// that what gofpdf draws is what a reader expects. It is a small part of
// the Unicode bidirectional algorithm (no explicit embeddings or isolates;
// cleanText removes those) and of Arabic shaping (the letters the
// embedded fonts have joining forms for, and lam-alef), enough for a title.

// isRTL tells whether text is right-to-left as a whole: whether its first
// letter with a strong direction is Arabic or Hebrew.
func isRTL(text string) bool {
	for _, r := range text {
		switch bidiClass(r) {
		case bidi.L:
			return false
		case bidi.R, bidi.AL:
			return true
		}
	}
	return false
}

// visual returns a line of text shaped and in visual order, left to right,
// in a paragraph that is right-to-left as a whole if rtl.
func visual(line string, rtl bool) string {
	runes := shapeArabic([]rune(line))
	if !hasRTL(runes) && !rtl {
		return string(runes)
	}
	levels := bidiLevels(runes, rtl)

	// Combining marks stay with the letter before them, so that they are
	// drawn over it whichever way the letter's run goes.
	type cluster struct {
		runes []rune
		level int
	}
	var clusters []cluster
	for i, r := range runes {
		if len(clusters) > 0 && unicode.Is(unicode.Mn, r) {
			clusters[len(clusters)-1].runes = append(clusters[len(clusters)-1].runes, r)
			continue
		}
		clusters = append(clusters, cluster{runes: []rune{r}, level: levels[i]})
	}

	// Reverse each run at a level of at least lvl, from the highest level
	// down to the lowest odd one (rule L2).
	highest, lowestOdd := 0, 3
	for _, c := range clusters {
		highest = max(highest, c.level)
		if c.level%2 == 1 {
			lowestOdd = min(lowestOdd, c.level)
		}
	}
	for lvl := highest; lvl >= lowestOdd; lvl-- {
		for i := 0; i < len(clusters); {
			if clusters[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(clusters) && clusters[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				clusters[a], clusters[b] = clusters[b], clusters[a]
			}
			i = j
		}
	}

	out := make([]rune, 0, len(runes))
	for _, c := range clusters {
		if c.level%2 == 1 {
			// Brackets in right-to-left text face the other way (rule L4).
			if p, _ := bidi.LookupRune(c.runes[0]); p.IsBracket() {
				c.runes[0] = []rune(bidi.ReverseString(string(c.runes[0])))[0]
			}
		}
		out = append(out, c.runes...)
	}
	return string(out)
}

func bidiClass(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

func hasRTL(runes []rune) bool {
	for _, r := range runes {
		if c := bidiClass(r); c == bidi.R || c == bidi.AL || c == bidi.AN {
			return true
		}
	}
	return false
}

// bidiLevels resolves the embedding level of each rune of one line with no
// explicit embeddings: rules W1-W7, N1-N2 and I1-I2 of the Unicode
// bidirectional algorithm.
func bidiLevels(runes []rune, rtl bool) []int {
	n := len(runes)
	base, e := 0, bidi.L
	if rtl {
		base, e = 1, bidi.R
	}
	t := make([]bidi.Class, n)
	for i, r := range runes {
		t[i] = bidiClass(r)
		switch t[i] {
		case bidi.B, bidi.S, bidi.WS, bidi.BN, bidi.Control, bidi.LRO, bidi.RLO, bidi.LRE, bidi.RLE, bidi.PDF, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI:
			t[i] = bidi.ON
		}
	}
	// W1: a mark takes the type of what it marks.
	for i := range t {
		if t[i] == bidi.NSM {
			t[i] = e
			if i > 0 {
				t[i] = t[i-1]
			}
		}
	}
	// W2, W3: numbers after Arabic letters are Arabic numbers; Arabic
	// letters are right-to-left.
	last := e
	for i := range t {
		switch t[i] {
		case bidi.L, bidi.R, bidi.AL:
			last = t[i]
		case bidi.EN:
			if last == bidi.AL {
				t[i] = bidi.AN
			}
		}
	}
	for i := range t {
		if t[i] == bidi.AL {
			t[i] = bidi.R
		}
	}
	// W4: one separator between two numbers of a kind joins them.
	for i := 1; i < n-1; i++ {
		a, b := t[i-1], t[i+1]
		if a == b && (t[i] == bidi.ES && a == bidi.EN || t[i] == bidi.CS && (a == bidi.EN || a == bidi.AN)) {
			t[i] = a
		}
	}
	// W5: terminators (%, currency signs) next to a number are part of it.
	for i := 0; i < n; {
		if t[i] != bidi.ET {
			i++
			continue
		}
		j := i
		for j < n && t[j] == bidi.ET {
			j++
		}
		if i > 0 && t[i-1] == bidi.EN || j < n && t[j] == bidi.EN {
			for k := i; k < j; k++ {
				t[k] = bidi.EN
			}
		}
		i = j
	}
	// W6, W7: other separators are neutral; European numbers in
	// left-to-right text are left-to-right.
	last = e
	for i := range t {
		switch t[i] {
		case bidi.ES, bidi.ET, bidi.CS:
			t[i] = bidi.ON
		case bidi.L, bidi.R:
			last = t[i]
		case bidi.EN:
			if last == bidi.L {
				t[i] = bidi.L
			}
		}
	}
	// N1, N2: neutrals take the direction of the text around them when it
	// is the same on both sides (numbers count as right-to-left), and the
	// paragraph's otherwise.
	strong := func(c bidi.Class) bidi.Class {
		if c == bidi.L {
			return bidi.L
		}
		return bidi.R
	}
	for i := 0; i < n; {
		if t[i] != bidi.ON {
			i++
			continue
		}
		j := i
		for j < n && t[j] == bidi.ON {
			j++
		}
		before, after := e, e
		if i > 0 {
			before = strong(t[i-1])
		}
		if j < n {
			after = strong(t[j])
		}
		dir := e
		if before == after {
			dir = before
		}
		for k := i; k < j; k++ {
			t[k] = dir
		}
		i = j
	}
	// I1, I2.
	levels := make([]int, n)
	for i, c := range t {
		switch {
		case base == 0 && c == bidi.R:
			levels[i] = 1
		case base == 0 && (c == bidi.EN || c == bidi.AN):
			levels[i] = 2
		case base == 1 && c != bidi.R:
			levels[i] = 2
		default:
			levels[i] = base
		}
	}
	return levels
}

// Arabic joining types.
const (
	joinNone  = iota // does not join: hamza, and letters without joining forms here
	joinRight        // joins to the letter before it only: alef, dal, reh, waw...
	joinDual         // joins on both sides
	joinCause        // tatweel: joins on both sides and stays as it is
)

// arabicForm is where a letter's presentation forms start (isolated, final,
// then for dual-joining letters initial and medial) and how it joins.
type arabicForm struct {
	start rune
	join  int
}

// arabicForms covers the Arabic letters and the Persian and Urdu ones that
// the embedded fonts have presentation forms for.
var arabicForms = map[rune]arabicForm{
	0x0621: {0xFE80, joinNone},
	0x0622: {0xFE81, joinRight}, 0x0623: {0xFE83, joinRight}, 0x0624: {0xFE85, joinRight},
	0x0625: {0xFE87, joinRight}, 0x0626: {0xFE89, joinDual}, 0x0627: {0xFE8D, joinRight},
	0x0628: {0xFE8F, joinDual}, 0x0629: {0xFE93, joinRight}, 0x062A: {0xFE95, joinDual},
	0x062B: {0xFE99, joinDual}, 0x062C: {0xFE9D, joinDual}, 0x062D: {0xFEA1, joinDual},
	0x062E: {0xFEA5, joinDual}, 0x062F: {0xFEA9, joinRight}, 0x0630: {0xFEAB, joinRight},
	0x0631: {0xFEAD, joinRight}, 0x0632: {0xFEAF, joinRight}, 0x0633: {0xFEB1, joinDual},
	0x0634: {0xFEB5, joinDual}, 0x0635: {0xFEB9, joinDual}, 0x0636: {0xFEBD, joinDual},
	0x0637: {0xFEC1, joinDual}, 0x0638: {0xFEC5, joinDual}, 0x0639: {0xFEC9, joinDual},
	0x063A: {0xFECD, joinDual}, 0x0641: {0xFED1, joinDual}, 0x0642: {0xFED5, joinDual},
	0x0643: {0xFED9, joinDual}, 0x0644: {0xFEDD, joinDual}, 0x0645: {0xFEE1, joinDual},
	0x0646: {0xFEE5, joinDual}, 0x0647: {0xFEE9, joinDual}, 0x0648: {0xFEED, joinRight},
	0x0649: {0xFEEF, joinRight}, 0x064A: {0xFEF1, joinDual},
	0x0640: {0x0640, joinCause},
	// Persian and Urdu.
	0x0679: {0xFB66, joinDual}, 0x067E: {0xFB56, joinDual}, 0x0686: {0xFB7A, joinDual},
	0x0688: {0xFB88, joinRight}, 0x0691: {0xFB8C, joinRight}, 0x0698: {0xFB8A, joinRight},
	0x06A4: {0xFB6A, joinDual}, 0x06A9: {0xFB8E, joinDual}, 0x06AF: {0xFB92, joinDual},
	0x06BE: {0xFBAA, joinDual}, 0x06CC: {0xFBFC, joinDual},
}

// lamAlef is the isolated form of the ligature of lam with each alef; the
// final form follows it.
var lamAlef = map[rune]rune{0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB}

// shapeArabic replaces Arabic letters, in logical order, with the
// presentation forms that join them to their neighbours. Zero width
// non-joiners do their work here and are then dropped.
func shapeArabic(runes []rune) []rune {
	joinOf := func(i int) int {
		if f, ok := arabicForms[runes[i]]; ok {
			return f.join
		}
		return joinNone
	}
	// neighbour returns the index of the nearest letter before (step -1)
	// or after (step 1) i, skipping combining marks, or -1.
	neighbour := func(i, step int) int {
		for j := i + step; j >= 0 && j < len(runes); j += step {
			if !unicode.Is(unicode.Mn, runes[j]) {
				return j
			}
		}
		return -1
	}
	out := make([]rune, 0, len(runes))
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		if r == '\u200C' {
			continue
		}
		f, ok := arabicForms[r]
		if !ok || f.join == joinNone || f.join == joinCause {
			if ok {
				r = f.start
			}
			out = append(out, r)
			continue
		}
		prev := neighbour(i, -1)
		joinsBefore := prev >= 0 && (joinOf(prev) == joinDual || joinOf(prev) == joinCause)
		if r == 0x0644 && i+1 < len(runes) {
			if lig, ok := lamAlef[runes[i+1]]; ok {
				if joinsBefore {
					lig++
				}
				out = append(out, lig)
				i++
				continue
			}
		}
		next := neighbour(i, 1)
		joinsAfter := f.join == joinDual && next >= 0 && joinOf(next) != joinNone
		switch {
		case joinsBefore && joinsAfter:
			out = append(out, f.start+3)
		case joinsBefore:
			out = append(out, f.start+1)
		case joinsAfter:
			out = append(out, f.start+2)
		default:
			out = append(out, f.start)
		}
	}
	return out
}
