package redact

import "strings"

// Email addresses and social media handles both hang off an "@"; each "@"
// is looked at once, and each scan stops at the next "@", so the work stays
// linear in the length of the text.

func isLocalByte(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+-'", c) >= 0
}

func isDomainByte(c byte) bool { return isAlnum(c) || c == '-' || c == '.' }

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isLetterByte(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// findEmails proposes "local@domain.tld" (ASCII, as addresses are typed).
func findEmails(text string, c *candidates) {
	for at := strings.IndexByte(text, '@'); at >= 0; {
		start := at
		for start > 0 && isLocalByte(text[start-1]) {
			start--
		}
		for start < at && !isAlnum(text[start]) { // no leading "." or "'"
			start++
		}
		if end := domainEnd(text, at+1); start < at && end > 0 {
			c.add(KindEmail, start, end, rankShape)
		}
		next := strings.IndexByte(text[at+1:], '@')
		if next < 0 {
			break
		}
		at += 1 + next
	}
}

// domainEnd returns the end of a domain with at least two labels and a
// final label of letters ("gmail.com", "sch.uk"), or 0 if there is none.
func domainEnd(text string, i int) int {
	end := i
	for end < len(text) && isDomainByte(text[end]) {
		end++
	}
	for end > i && !isAlnum(text[end-1]) { // a full stop ends the sentence
		end--
	}
	d := text[i:end]
	dot := strings.LastIndexByte(d, '.')
	if dot <= 0 || strings.Contains(d, "..") || d[0] == '-' || d[0] == '.' {
		return 0
	}
	tld := d[dot+1:]
	if len(tld) < 2 {
		return 0
	}
	for k := 0; k < len(tld); k++ {
		if !isLetterByte(tld[k]) {
			return 0
		}
	}
	return end
}

// findHandles proposes "@name" as a name: Snapchat, Instagram and TikTok
// handles identify a young person as surely as their name. "@ 3" and
// "@3pm" (for "at") are left alone.
func findHandles(text string, c *candidates) {
	for at := strings.IndexByte(text, '@'); at >= 0; {
		end := at + 1
		for end < len(text) && end-at <= 31 && (isAlnum(text[end]) || text[end] == '_' || text[end] == '.') {
			end++
		}
		for end > at+1 && text[end-1] == '.' {
			end--
		}
		if body := text[at+1 : end]; hasLetter(body) && !looksLikeTime(body) {
			c.add(KindName, at, end, rankShape)
		}
		next := strings.IndexByte(text[at+1:], '@')
		if next < 0 {
			break
		}
		at += 1 + next
	}
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if isLetterByte(s[i]) {
			return true
		}
	}
	return false
}

// looksLikeTime reports "3pm", "10am", "330pm": what "@" means in "meet @3pm".
func looksLikeTime(s string) bool {
	s = strings.ToLower(s)
	rest, ok := strings.CutSuffix(s, "pm")
	if !ok {
		rest, ok = strings.CutSuffix(s, "am")
	}
	if !ok || rest == "" || len(rest) > 4 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] < '0' || rest[i] > '9' {
			return false
		}
	}
	return true
}
