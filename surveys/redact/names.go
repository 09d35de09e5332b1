package redact

// People's names: first names from names.txt in any case; names that are
// also words (ambiguous.txt) only with a cue; any capitalised word after a
// title ("Miss Hughes"), after "called" or "named", or after "my name is";
// and a capitalised surname after any of these ("Sarah Jones").

// A name is at most a first name, two more hyphenated parts and two
// surnames: enough for "Mary-Jane Smith-Jones", and it keeps each name's
// scan short whatever the text.
const (
	maxSurnameWords = 2
	maxNameParts    = 2
)

func findNames(text string, toks []token, c *candidates) {
	for i, t := range toks {
		if !t.word() {
			continue
		}
		switch {
		case titlesAnyCase[t.norm] || titlesCapital[t.norm]:
			if end := titledName(text, toks, i); end > 0 {
				c.add(KindName, t.start, end, rankContext)
			}
		case lex.names[t.base] || isAmbiguousName(toks, i) || isNamedByCue(toks, i):
			addName(text, toks, i, c)
		}
	}
}

// addName proposes the name at toks[i] alone and with what follows it:
// hyphenated parts ("Mary-Jane") and a capitalised surname ("Sarah Jones").
// Both are proposed so that, if the longer one loses to a school or place,
// the first name is still redacted.
func addName(text string, toks []token, i int, c *candidates) {
	t := toks[i]
	c.add(KindName, t.start, t.baseEnd, rankContext)
	if t.baseEnd != t.end {
		return // "Sarah's mum": nothing after a possessive is her name
	}
	if end := nameTail(text, toks, i); end > t.end {
		c.add(KindName, t.start, end, rankContext)
	}
}

// nameTail returns the end of the parts and surname after toks[i].
func nameTail(text string, toks []token, i int) int {
	end := toks[i].end
	for j, parts, surnames := i+1, 0, 0; j < len(toks); j++ {
		t, gap := toks[j], gapBetween(text, toks[j-1], toks[j])
		switch {
		case gap == "-" && t.word() && parts < maxNameParts && (lex.names[t.base] || hasAmbiguous(t) || surnames > 0):
			parts++
		case spaced(gap) && isSurname(t) && surnames < maxSurnameWords:
			surnames++
		default:
			return end
		}
		end = t.baseEnd
		if t.baseEnd != t.end {
			return end
		}
	}
	return end
}

// isSurname reports a word that can be part of a name after a first name
// or a title: capitalised, and not a function word.
func isSurname(t token) bool {
	return t.word() && t.upper && !t.sentence && !stopwords[t.norm] &&
		!titlesAnyCase[t.norm] && !titlesCapital[t.norm] && !speechWords[t.norm]
}

// titledName returns the end of "Mr Smith" or "Miss Hughes" from the title
// at toks[i], or 0. "Mr" and "Mrs" take a name in any case ("mr smith");
// "Miss", "Sir" and "Dr" only a capitalised one ("I miss home").
func titledName(text string, toks []token, i int) int {
	if i+1 >= len(toks) {
		return 0
	}
	next := toks[i+1]
	gap := gapBetween(text, toks[i], next)
	if !next.word() || next.digits || len(gap) > 2 || (gap != " " && gap != "." && gap != ". ") {
		return 0
	}
	if stopwords[next.norm] || speechWords[next.norm] || !next.upper && !titlesAnyCase[toks[i].norm] {
		return 0
	}
	if next.baseEnd != next.end {
		return next.baseEnd
	}
	return nameTail(text, toks, i+1)
}

func hasAmbiguous(t token) bool {
	_, ok := lex.ambiguous[t.base]
	return ok
}

// isAmbiguousName decides whether a word that is also an ordinary word
// ("Will", "May", "Rose") is a name here.
func isAmbiguousName(toks []token, i int) bool {
	t := toks[i]
	f, ok := lex.ambiguous[t.base]
	if !ok {
		return false
	}
	prev, prev2 := before(toks, i, 1), before(toks, i, 2)
	next := after(toks, i, 1)
	switch {
	case namingWords[prev] || prev == "is" && prev2 == "name" || prev == "names" && possessives[prev2]:
		return true
	case speechWords[next]:
		return true
	case personWords[prev]:
		return t.capital() || f&(flagModal|flagVerb) == 0
	case inPair(toks, i):
		return t.capital() || f&flagModal == 0
	case t.capital() && !t.sentence:
		return !vetoed(f, toks, i)
	case t.capital() && f&flagPlace == 0 && i+1 < len(toks) && isSurname(toks[i+1]) && toks[i+1].start-t.end <= 2:
		return !vetoed(f, toks, i) // "Will Smith came", but not "Chester Zoo"
	}
	return false
}

// inPair reports "me and Mo", "Mo and me", "Kez and mo": "and" joins the
// word to "me" or to another name.
func inPair(toks []token, i int) bool {
	prev, prev2 := before(toks, i, 1), before(toks, i, 2)
	next, next2 := after(toks, i, 1), after(toks, i, 2)
	return prev == "and" && (prev2 == "me" || lex.names[prev2]) ||
		next == "and" && (next2 == "me" || next2 == "i" || lex.names[next2])
}

// vetoed reports a capitalised ambiguous word that its neighbours show to
// be a verb, a month or a place after all.
func vetoed(f flags, toks []token, i int) bool {
	prev, next := before(toks, i, 1), after(toks, i, 1)
	switch {
	case f&flagModal != 0 && (subjectWords[prev] || modalNext[next]):
		return true
	case f&flagTime != 0 && (timeBefore[prev] || timeAfter[next] || numberNear(toks, i)):
		return true
	case f&flagPlace != 0 && placeBefore[prev]:
		return true
	}
	return false
}

// numberNear reports "3 May", "May 2024".
func numberNear(toks []token, i int) bool {
	if i > 0 && !toks[i].sentence && toks[i-1].digits {
		return true
	}
	return i+1 < len(toks) && !toks[i+1].sentence && toks[i+1].digits
}

// isNamedByCue reports an unknown word that the text says is a name: "a
// lad called Zeph", "my sw Bronagh" (capitalised), "my name is jaxx" (in any
// case after "name").
func isNamedByCue(toks []token, i int) bool {
	t := toks[i]
	if stopwords[t.norm] || t.digits {
		return false
	}
	prev, prev2 := before(toks, i, 1), before(toks, i, 2)
	switch {
	case namingWords[prev]:
		return t.upper && !thingWords[prev2]
	case personWords[prev]:
		return t.capital() && !t.sentence // "my sw Zeph"
	case prev == "is" && prev2 == "name", prev == "names" && possessives[prev2]:
		return true
	}
	return false
}

// before returns the normalised word n places before toks[i] in the same
// sentence, or "" (also for a placeholder, which could be anything).
func before(toks []token, i, n int) string {
	for k := 0; k < n; k++ {
		if toks[i-k].sentence || i-k == 0 {
			return ""
		}
	}
	return toks[i-n].norm
}

// after returns the normalised word n places after toks[i] in the same
// sentence, or "".
func after(toks []token, i, n int) string {
	if i+n >= len(toks) {
		return ""
	}
	for k := 1; k <= n; k++ {
		if toks[i+k].sentence {
			return ""
		}
	}
	return toks[i+n].norm
}
