package redact

// Once a word is known to be a name here ("my mate Will said"), every other
// capitalised "Will" in the same comment is the same person, even where no
// cue says so ("Will is sound"). The same holds for a surname met after a
// title ("Miss Hughes ... Hughes") and for a postcode district. Only words
// written with a capital are carried over, so "I will" stays.

// isKey reports a word of a chosen span worth looking for elsewhere: a
// capitalised word that is not a title, or any word of a handle ("@jaydenxx"
// then "add jaydenxx"), since handles are rarely ordinary words.
func isKey(t token, handle bool) bool {
	if !t.word() || stopwords[t.norm] || titlesAnyCase[t.norm] || titlesCapital[t.norm] {
		return false
	}
	return t.upper || handle && len(t.norm) >= 3 && !hasAmbiguous(t)
}

// propagate adds, to the chosen spans, every other occurrence of a
// capitalised word inside a chosen name or postcode.
func propagate(text string, toks []token, chosen []span) []span {
	keys := map[string]string{} // exact word -> kind
	ti := 0
	for _, s := range chosen {
		if s.kind != KindName && s.kind != KindPostcode {
			continue
		}
		for ti < len(toks) && toks[ti].start < s.start {
			ti++
		}
		handle := text[s.start] == '@'
		for j := ti; j < len(toks) && toks[j].baseEnd <= s.end; j++ {
			if t := toks[j]; isKey(t, handle) {
				keys[text[t.start:t.baseEnd]] = s.kind
			}
		}
	}
	if len(keys) == 0 {
		return chosen
	}
	taken := make([]bool, len(text))
	for _, s := range chosen {
		fill(taken, s.start, s.end)
	}
	added := false
	for _, t := range toks {
		if kind, ok := keys[text[t.start:t.baseEnd]]; ok && t.word() && free(taken, t.start, t.baseEnd) {
			chosen = append(chosen, span{kind: kind, start: t.start, end: t.baseEnd, rank: rankContext})
			fill(taken, t.start, t.baseEnd)
			added = true
		}
	}
	if added {
		sortByStart(chosen)
	}
	return chosen
}
