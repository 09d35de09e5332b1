package redact

// Kinds of replacement, and the placeholder each leaves in the text.
const (
	KindName     = "name"
	KindPhone    = "phone"
	KindEmail    = "email"
	KindPostcode = "postcode"
	KindAddress  = "address"
	KindSchool   = "school"
	KindPlace    = "place"
)

var placeholders = map[string]string{
	KindName:     "[name]",
	KindPhone:    "[phone]",
	KindEmail:    "[email]",
	KindPostcode: "[postcode]",
	KindAddress:  "[address]",
	KindSchool:   "[school]",
	KindPlace:    "[place]",
}

// Places are the council's own words to redact, from its settings.
type Places struct {
	Schools []string // e.g. "St Mary's Catholic Primary", "Halewood Academy"
	Places  []string // areas, estates, towns: "Kirkby", "Huyton", "Stockbridge Village"
	Names   []string // extra names to redact (e.g. staff names a council adds)
}

// Redactor finds what identifies a young person in a comment. It is safe
// for concurrent use; the zero value redacts with the built-in rules and no
// council lists.
type Redactor struct {
	phrases *trie // the council's schools, places and names
	short   *trie // schools' short names ("St Mary's"), matched only with capitals
}

// Replacement is one change Redact made, for the page to highlight.
type Replacement struct {
	Kind       string // "name", "phone", "email", "postcode", "address", "school", "place"
	Start, End int    // byte offsets in the original text
	Original   string // the original text[Start:End]
}

// New compiles the council's lists. It refuses lists that are too long, and
// entries that are empty or too long, with a *ListError naming the entry.
func New(p Places) (*Redactor, error) {
	if err := validate(p); err != nil {
		return nil, err
	}
	t, short := newTrie(), newTrie()
	// Schools first: a phrase in two lists takes the first list's kind.
	for _, s := range p.Schools {
		t.add(s, KindSchool)
		if name := shortSchoolName(s); name != "" {
			short.add(name, KindSchool)
		}
	}
	for _, s := range p.Places {
		t.add(s, KindPlace)
	}
	for _, s := range p.Names {
		t.add(s, KindName)
	}
	return &Redactor{phrases: t, short: short}, nil
}

// maxPasses bounds the passes Redact makes over its own output. A pass
// after the first only finds something when a replacement changed the
// context of a nearby word; two passes almost always settle it.
const maxPasses = 4

// Redact returns text with every match replaced by its placeholder, and the
// replacements in order of position. Redacting the result again changes
// nothing: Redact checks its own output and folds anything new it finds
// there back into the answer.
func (r *Redactor) Redact(text string) (string, []Replacement) {
	spans := r.find(text)
	out := apply(text, spans)
	for pass := 1; pass < maxPasses && len(spans) > 0; pass++ {
		more := r.find(out)
		if len(more) == 0 {
			break
		}
		spans = merge(spans, mapBack(text, spans, more))
		out = apply(text, spans)
	}
	reps := make([]Replacement, len(spans))
	for i, s := range spans {
		reps[i] = Replacement{Kind: s.kind, Start: s.start, End: s.end, Original: text[s.start:s.end]}
	}
	return out, reps
}

// find runs every rule over text and returns the chosen matches, in order
// of position, none overlapping.
func (r *Redactor) find(text string) []span {
	toks := tokenize(text)
	var c candidates
	findEmails(text, &c)
	findHandles(text, &c)
	findPhones(text, &c)
	if r != nil && r.phrases != nil {
		r.phrases.find(text, toks, false, &c)
		r.short.find(text, toks, true, &c)
	}
	findAddresses(text, toks, &c)
	findSchools(text, toks, &c)
	findPostcodes(text, toks, &c)
	findNames(text, toks, &c)
	chosen := resolve(text, c)
	return propagate(text, toks, chosen)
}
