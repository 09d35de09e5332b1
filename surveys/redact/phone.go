package redact

import "strings"

// UK phone numbers: 10 or 11 digits starting with 0 ("07700 900123",
// "0151 443 2600"), the same after +44 or 0044 without the 0 (and with an
// optional "(0)"), and mobiles typed without their 0 ("7700 900123"). Digits
// may be grouped with spaces, dashes, dots or brackets, as people type them.
//
// Dates, times and prices are kept ("07/10/2024", "07:30", "£0.50"): a
// phone number's first group has at least three digits, and only spaces,
// dashes, dots and brackets join groups.

const maxSeparator = 3 // "0151 - 443 - 2600"

func isPhoneSeparator(c byte) bool { return strings.IndexByte(" -.()", c) >= 0 }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// findPhones looks for a number at each place one can start: a "+", or a
// digit that does not continue a word or a number.
func findPhones(text string, c *candidates) {
	for i := 0; i < len(text); i++ {
		ch := text[i]
		if ch != '+' && !isDigit(ch) {
			continue
		}
		if i > 0 && (isDigit(text[i-1]) || text[i-1] == '+' || text[i-1] == '.' && i > 1 && isDigit(text[i-2])) {
			continue
		}
		end := phoneAt(text, i)
		if end <= i {
			continue
		}
		start := i
		if start > 0 && text[start-1] == '(' && closesFirstGroup(text, start) {
			start-- // "(0151) 443 2600": the bracket belongs to the number
		}
		c.add(KindPhone, start, end, rankShape)
		i = end - 1
	}
}

// phoneAt returns the end of a phone number starting at i, or -1.
func phoneAt(text string, i int) int {
	switch {
	case strings.HasPrefix(text[i:], "+44"):
		return international(text, i+3)
	case strings.HasPrefix(text[i:], "0044"):
		return international(text, i+4)
	case text[i] == '0':
		return digitsRun(text, i, 10, 11, 3)
	case text[i] == '7':
		return digitsRun(text, i, 10, 10, 4)
	}
	return -1
}

// international reads the national number after +44: an optional "(0)",
// then 9 or 10 digits not starting with 0.
func international(text string, i int) int {
	j := i
	for j < len(text) && j-i < maxSeparator && (text[j] == ' ' || text[j] == '-') {
		j++
	}
	if strings.HasPrefix(text[j:], "(0)") {
		j = skipSeparators(text, j+3)
	}
	if j >= len(text) || !isDigit(text[j]) || text[j] == '0' {
		if j = skipSeparators(text, i); j >= len(text) || !isDigit(text[j]) || text[j] == '0' {
			return -1
		}
	}
	return digitsRun(text, j, 9, 10, 1)
}

// digitsRun reads groups of digits joined by separators from i, stopping
// before a group that would pass most digits. It returns the end of the
// last digit when the count is between least and most, the first group has
// at least firstGroup digits, and no digit or letter follows directly.
func digitsRun(text string, i, least, most, firstGroup int) int {
	count, end, j := 0, -1, i
	for group := 0; j < len(text) && isDigit(text[j]); group++ {
		k := j
		for k < len(text) && isDigit(text[k]) {
			k++
		}
		if count+(k-j) > most {
			if count == 0 {
				return -1
			}
			break
		}
		if group == 0 && k-j < firstGroup {
			return -1
		}
		count += k - j
		end = k
		j = skipSeparators(text, k)
		if j == k || j-k > maxSeparator {
			break
		}
	}
	if count < least || count > most || end < 0 || wordByteAt(text, end) {
		return -1
	}
	return end
}

// skipSeparators returns the first index at or after i that is not a
// separator, or i when more than maxSeparator separators follow.
func skipSeparators(text string, i int) int {
	j := i
	for j < len(text) && isPhoneSeparator(text[j]) {
		j++
	}
	if j-i > maxSeparator {
		return i
	}
	return j
}

// wordByteAt reports a digit or ASCII letter at i: the number goes on, so
// what was read is part of something longer (an ID, "07700900123x").
func wordByteAt(text string, i int) bool {
	return i < len(text) && isAlnum(text[i])
}

// closesFirstGroup reports "(0151)": digits from i then a ")".
func closesFirstGroup(text string, i int) bool {
	j := i
	for j < len(text) && isDigit(text[j]) {
		j++
	}
	return j > i && j < len(text) && text[j] == ')'
}
