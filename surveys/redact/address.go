package redact

import (
	"strings"
	"unicode/utf8"
)

// Street addresses: a house number, one to four words, and a street word
// ("12 Church Road", "3a oak st"); the same without a number when every word
// is capitalised ("Church Road"); and flat or house numbers ("flat 3",
// "no. 12").

// streetWords end a street name in any case: they are rarely anything else.
var streetWords = setOf(`road rd street st avenue ave av lane ln drive dr crescent cres
	terrace tce gardens gdns mews boulevard parade square sq grove`)

// capitalStreetWords end a street name only when capitalised, because they
// are everyday words too ("2 really close friends", "10 minutes walk").
var capitalStreetWords = setOf(`close way walk view hill park place court green rise row
	mount gate vale fold croft brow meadow meadows chase wharf end heights`)

// namedStreetWords end a street named without a house number ("I live on
// Bluebell Lane"); all words must then be capitalised.
var namedStreetWords = setOf(`road street avenue lane crescent grove terrace gardens mews`)

// genericStreets are street names that say nothing about where someone
// lives ("the High Street").
var genericStreets = setOf(`high main back front side ring new old`)

// flatWords come before a flat or house number.
var flatWords = setOf(`flat apartment apt`)

const maxStreetNameWords = 4

func findAddresses(text string, toks []token, c *candidates) {
	for i, t := range toks {
		switch {
		case isHouseNumber(text, t):
			if end := streetAfter(text, toks, i); end > 0 {
				c.add(KindAddress, t.start, end, rankPattern)
			}
		case t.mark != "":
		case flatWords[t.norm] || t.norm == "no" && dotAfter(text, t):
			if end := flatNumber(text, toks, i); end > 0 {
				c.add(KindAddress, t.start, end, rankPattern)
			}
		case t.capital() && namedStreetWords[t.norm]:
			if start := namedStreetStart(text, toks, i); start >= 0 {
				c.add(KindAddress, start, t.end, rankPattern)
			}
		}
	}
}

// isHouseNumber reports "12" or "12a", not a price, a time or a date.
func isHouseNumber(text string, t token) bool {
	if t.mark != "" || runeBefore(text, t.start, "£$€:/.,#-") {
		return false
	}
	n := t.end - t.start
	if t.digits {
		return n <= 4
	}
	return n >= 2 && n <= 5 && isLetterByte(text[t.end-1]) && allDigits(text[t.start:t.end-1])
}

// streetAfter returns the end of "Church Road" after the house number at
// toks[i], or 0. It takes the last street word within reach, so "12 Park
// Road" is one address, not "12 Park".
func streetAfter(text string, toks []token, i int) int {
	end := 0
	capitals := true
	for j := i + 1; j < len(toks) && j <= i+1+maxStreetNameWords; j++ {
		t := toks[j]
		gap := gapBetween(text, toks[j-1], t)
		if !t.word() || stopwords[t.norm] || !(spaced(gap) || gap == ". " && toks[j-1].norm == "st") {
			break
		}
		if j > i+1 && (streetWords[t.norm] || capitals && t.upper && capitalStreetWords[t.norm]) {
			end = t.end
		}
		capitals = capitals && t.upper
	}
	return end
}

// flatNumber returns the end of "flat 3" or "no. 12 Church Road", or 0.
func flatNumber(text string, toks []token, i int) int {
	j := i + 1
	if j >= len(toks) || !isHouseNumber(text, toks[j]) || len(gapBetween(text, toks[i], toks[j])) > 2 {
		return 0
	}
	if end := streetAfter(text, toks, j); end > 0 {
		return end
	}
	return toks[j].end
}

// namedStreetStart returns where "Bluebell Lane" starts, given its last
// word at toks[i], or -1: one to three capitalised words before it.
func namedStreetStart(text string, toks []token, i int) int {
	start := -1
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		t := toks[j]
		if !t.word() || !t.capital() || stopwords[t.norm] || !spaced(gapBetween(text, t, toks[j+1])) {
			break
		}
		start = t.start
		if t.sentence {
			break
		}
	}
	if start < 0 || (start == toks[i-1].start && genericStreets[toks[i-1].norm]) {
		return -1
	}
	return start
}

func dotAfter(text string, t token) bool {
	return t.end < len(text) && text[t.end] == '.'
}

// runeBefore reports whether the character before i is one of set.
func runeBefore(text string, i int, set string) bool {
	r, size := utf8.DecodeLastRuneInString(text[:i])
	return size > 0 && strings.ContainsRune(set, r)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
