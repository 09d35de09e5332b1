package redact

// Schools named by shape, for schools missing from the council's list:
// capitalised words before "Primary", "High", "Academy", "College",
// "School", "Juniors" or "Infants" ("Halewood Academy", "St Edmund
// Arrowsmith Catholic High School"), and "St Mary's" alone.

var schoolWords = setOf(`primary high academy college school juniors infants grammar`)

// genericSchoolWords describe a school without naming it: "Sixth Form
// College" or "Catholic High" says nothing about which one.
var genericSchoolWords = setOf(`primary secondary high junior juniors infant infants catholic
	ce rc c e church of england community special new old school college academy sixth
	form upper lower middle first local my our big little girls boys grammar county
	state private free independent st and the de nursery further education`)

// connectorWords may sit inside a school's name in lower case.
var connectorWords = setOf(`of and the de`)

// saintTowns are places, not schools, when written "St Helens" with no
// apostrophe; a council that wants them redacted lists them as places.
var saintTowns = setOf(`helens albans ives andrews austell neots davids annes`)

const maxSchoolNameWords = 5

func findSchools(text string, toks []token, c *candidates) {
	for i, t := range toks {
		switch {
		case t.word() && t.upper && schoolWords[t.norm]:
			if start := schoolNameStart(text, toks, i); start >= 0 {
				c.add(KindSchool, start, schoolEnd(text, toks, i), rankPattern)
			}
		case t.word() && t.norm == "st":
			if end := saintsSchool(text, toks, i); end > 0 {
				c.add(KindSchool, t.start, end, rankPattern)
			}
		}
	}
}

// schoolNameStart returns where the name before the school word at toks[i]
// starts, or -1 if there is no name or only generic words.
func schoolNameStart(text string, toks []token, i int) int {
	start, first, named := -1, i, false
	for j := i - 1; j >= 0 && j >= i-maxSchoolNameWords; j-- {
		t := toks[j]
		gap := gapBetween(text, t, toks[j+1])
		if !t.word() || !(spaced(gap) || gap == ". " && t.norm == "st") {
			break
		}
		ok := t.upper && !stopwords[t.norm] || t.norm == "st" || connectorWords[t.norm]
		if !ok {
			break
		}
		first = j
		if t.sentence {
			break
		}
	}
	// A name starts with a capitalised word, not "of" or "the".
	for first < i && connectorWords[toks[first].norm] && !toks[first].upper {
		first++
	}
	for j := first; j < i; j++ {
		if !genericSchoolWords[toks[j].base] && !genericSchoolWords[toks[j].norm] {
			named = true
		}
	}
	if first < i && named {
		start = toks[first].start
	}
	return start
}

// schoolEnd takes in "High School", "Primary School" after the first
// school word.
func schoolEnd(text string, toks []token, i int) int {
	end := toks[i].end
	for j := i + 1; j < len(toks) && j <= i+2; j++ {
		t := toks[j]
		if !t.word() || !t.upper || !schoolWords[t.norm] || !spaced(gapBetween(text, toks[j-1], t)) {
			break
		}
		end = t.end
	}
	return end
}

// saintsSchool returns the end of "St Mary's" (or "st marys") after "St" at
// toks[i], or 0.
func saintsSchool(text string, toks []token, i int) int {
	if i+1 >= len(toks) {
		return 0
	}
	t := toks[i+1]
	gap := gapBetween(text, toks[i], t)
	if !t.word() || !(spaced(gap) || gap == ". ") || stopwords[t.norm] {
		return 0
	}
	if t.baseEnd != t.end { // "St Mary's"
		return t.end
	}
	if len(t.norm) > 2 && t.norm[len(t.norm)-1] == 's' && !saintTowns[t.norm] {
		return t.end // "st marys", typed without the apostrophe
	}
	return 0
}
