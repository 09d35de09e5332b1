package redact

import "strings"

// UK postcodes: an outward code (area letters, district digits: "L36",
// "WA10", "SW1A") and an inward code (a digit and two letters: "9YU").
// Full postcodes are always redacted, spaced or not, in any case. An outward
// code alone is redacted only when it is clearly a postcode: after "in" or
// "postcode", next to a place or an address, or on its own, because codes
// like "M57" are also motorways and "B12" a vitamin.

// postcodeAreas are the letters that begin UK postcodes. "Y" is not one, so
// "Y10" (year 10) is never a postcode.
var postcodeAreas = setOf(`ab al b ba bb bd bh bl bn br bs bt ca cb cf ch cm co cr ct cv cw
	da dd de dg dh dl dn dt dy e ec eh en ex fk fy g gl gu gy ha hd hg hp hr hs hu hx
	ig im ip iv je ka kt kw ky l la ld le ll ln ls lu m me mk ml n ne ng nn np nr nw
	ol ox pa pe ph pl po pr rg rh rm s sa se sg sk sl sm sn so sp sr ss st sw sy
	ta td tf tn tq tr ts tw ub w wa wc wd wf wn wr ws wv yo ze`)

// letteredDistricts are the London areas whose districts may end in a
// letter ("SW1A", "EC1V", "W1D").
var letteredDistricts = setOf(`e ec n nw se sw w wc`)

// inwardLetters are the letters used in the last two places of a postcode.
const inwardLetters = "abdefghjlnpqrstuwxyz"

// outwardCues are the words that make a lone outward code a postcode.
var outwardCues = setOf(`in from near around round postcode postcodes area to`)

func isOutward(s string) bool {
	i := 0
	for i < len(s) && i < 2 && isLetterByte(s[i]) {
		i++
	}
	area, district := s[:i], s[i:]
	if !postcodeAreas[area] || len(district) == 0 || len(district) > 2 || !isDigit(district[0]) {
		return false
	}
	if len(district) == 2 && !isDigit(district[1]) {
		return letteredDistricts[area] && isLetterByte(district[1])
	}
	return true
}

func isInward(s string) bool {
	return len(s) == 3 && isDigit(s[0]) &&
		strings.IndexByte(inwardLetters, s[1]) >= 0 && strings.IndexByte(inwardLetters, s[2]) >= 0
}

// isFullPostcode reports "l369yu": an outward and inward code written as one.
func isFullPostcode(s string) bool {
	return len(s) >= 5 && len(s) <= 7 && isInward(s[len(s)-3:]) && isOutward(s[:len(s)-3])
}

func findPostcodes(text string, toks []token, c *candidates) {
	near := placeEdges(*c)
	for i, t := range toks {
		if t.mark != "" || t.end-t.start > 7 {
			continue
		}
		code := t.norm
		switch {
		case isFullPostcode(code):
			c.add(KindPostcode, t.start, t.end, rankShape)
		case !isOutward(code):
		case i+1 < len(toks) && isInward(toks[i+1].norm) && spaced(gapBetween(text, t, toks[i+1])):
			c.add(KindPostcode, t.start, toks[i+1].end, rankShape)
		case clearlyPostcode(text, toks, i, near):
			c.add(KindPostcode, t.start, t.end, rankContext)
		}
	}
}

// clearlyPostcode decides for a lone outward code.
func clearlyPostcode(text string, toks []token, i int, near map[int]bool) bool {
	if len(toks) == 1 {
		return true
	}
	if i > 0 && !toks[i].sentence {
		prev := toks[i-1]
		if outwardCues[prev.norm] || isPlaceMark(prev) && nextTo(text, prev, toks[i]) || near[prev.end] && nextTo(text, prev, toks[i]) {
			return true
		}
		if prev.norm == "is" && i > 1 && (toks[i-2].norm == "postcode" || toks[i-2].norm == "code") {
			return true
		}
	}
	if i+1 < len(toks) && !toks[i+1].sentence {
		next := toks[i+1]
		if (isPlaceMark(next) || near[next.start]) && nextTo(text, toks[i], next) {
			return true
		}
	}
	return false
}

func isPlaceMark(t token) bool {
	return t.mark == KindPlace || t.mark == KindAddress
}

// nextTo reports two tokens separated only by a few spaces or a comma.
func nextTo(text string, a, b token) bool {
	gap := gapBetween(text, a, b)
	return len(gap) <= 3 && strings.Trim(gap, " ,\t") == ""
}

// placeEdges returns the start and end offsets of every proposed place and
// address, so that "Huyton L36" and "12 Church Road, L36" can be seen.
func placeEdges(c candidates) map[int]bool {
	edges := map[int]bool{}
	for _, s := range c {
		if s.kind == KindPlace || s.kind == KindAddress {
			edges[s.start], edges[s.end] = true, true
		}
	}
	return edges
}

// setOf makes a set from words separated by white space.
func setOf(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}
