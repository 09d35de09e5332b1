package cluster

import (
	"strings"
	"unicode/utf8"
)

// stopWords are dropped before vectors are made. Besides the usual English
// function words (with apostrophes dropped: "dont", "im") the list holds
// words that say how a young person feels about something or that they
// want it ("want", "wish", "love", "hate", "good", "rubbish") rather than
// what it is, and everyday words of time and size ("day", "new", "big")
// and doing ("keep", "take", "ask"). Those words are in almost every
// comment, so two comments about different things would look alike
// through "I really want..." or "every day"; the sentiment coder reads
// feelings, and clusters are about subjects.
var stopWords = setOf(`
a about above after again against all almost already also although always am an and any
anyone anything anyway are arent around as at away back be because been before being
below between both but by can cannot cant could couldnt did didnt do does doesnt doing
done dont down during each either else enough even ever every everyone everything far
few for from further get gets getting give given go goes going gone got gotten had hadnt
has hasnt have havent having he hed hell her here hers herself hes him himself his how
however i if im in into is isnt it its itself ive just kind lets like liked likes lot
lots made make makes making many may me might mine more most much must my myself near
need needed needing needs neither never no nobody none nor not nothing now of off often oh ok okay on
once one only or other others otherwise our ours ourselves out over own per perhaps
please pretty quite rather really said same say saying says see seem seems shall she
shes should shouldnt since so some somebody someone something sometimes somewhat soon
still such sure than thank thanks that thats the their theirs them themselves then there
theres these they theyd theyll theyre theyve thing things think thinking thinks thought this those though
through thru till to too toward towards try trying under until up upon us use used very
via want wanted wanting wants was wasnt way ways we wed well went were werent weve what
whatever whats when whenever where whereas whether which while who whoever whole whom
whos whose why will with within without wont would wouldnt yeah yep yes yet you youd
youll your youre yours yourself yourselves youve
able actually alright also anymore basically bit definitely especially etc else
hopefully honestly literally maybe probably proper properly sort stuff totally
usually
new old big little last next first day days week weeks year years time times today
tomorrow tonight yesterday ago ages keep keeps kept come comes came coming put puts
take takes took taking tell told ask asks asked asking gave
good bad nice great better best worse worst fine cool amazing awesome brilliant
excellent lovely perfect terrible awful horrible rubbish crap poor love loved loves
loving hate hated hates hating enjoy enjoyed enjoying enjoys happy sad feel feels felt feeling wish wishes
wished hope hoped hopes hoping would like know knew dunno idk lol omg pls plz thx
`)

// slang is text-speak and a few common spellings, read as the words they
// stand for. Most expand to stop words and so drop out; the rest matter
// because "sw" and "social worker" must meet.
var slang = func() map[string][]string {
	pairs := map[string]string{
		"u": "you", "ya": "you", "ur": "your", "r": "are", "n": "and", "nd": "and",
		"wiv": "with", "wid": "with", "da": "the", "dat": "that", "dis": "this",
		"dey": "they", "dem": "them", "cuz": "because", "coz": "because", "cos": "because",
		"bc": "because", "b4": "before", "wanna": "want to", "gonna": "going to",
		"gotta": "got to", "gimme": "give me", "dunno": "dont know", "luv": "love",
		"gr8": "great", "2day": "today", "2moro": "tomorrow", "2morrow": "tomorrow",
		"tmrw": "tomorrow", "tmr": "tomorrow", "2nite": "tonight", "m8": "mate",
		"m8s": "mates", "ppl": "people", "peeps": "people", "bday": "birthday",
		"xmas": "christmas", "sw": "social worker", "sws": "social workers",
		"fone": "phone", "phne": "phone", "hw": "homework", "skool": "school",
		"skl": "school", "tv": "tv", "telly": "tv", "footy": "football",
		"bff": "best friend", "bestie": "best friend", "besties": "best friends",
		"mom": "mum", "mam": "mum", "mummy": "mum", "ty": "thanks", "thnx": "thanks",
		"plez": "please", "pleez": "please", "wud": "would", "cud": "could",
		"shud": "should", "nuthin": "nothing", "nothin": "nothing", "sumthin": "something",
		"summat": "something", "wen": "when", "wot": "what", "wat": "what", "ova": "over",
		"alot": "a lot", "skatepark": "skate park", "skateparks": "skate parks",
		"carehome": "care home", "pocketmoney": "pocket money", "wifi": "wifi",
	}
	m := make(map[string][]string, len(pairs))
	for from, to := range pairs {
		m[from] = strings.Fields(to)
	}
	return m
}()

// compounds are words people write as two ("wi fi", "e-mail"), read as
// one.
var compounds = map[[2]string]string{
	{"wi", "fi"}: "wifi", {"e", "mail"}: "email", {"x", "box"}: "xbox",
	{"play", "station"}: "playstation", {"i", "pad"}: "ipad", {"i", "phone"}: "iphone",
	{"face", "time"}: "facetime", {"week", "end"}: "weekend", {"week", "ends"}: "weekends",
}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// reader turns the raw words of every text into the words that count. It
// knows how often each plainly written word occurs across the texts, so
// that an elongated word takes the reading the other texts use: "dogggg"
// is "dog" when others write "dog", "gooood" is "good".
type reader struct {
	plain map[string]int
}

func newReader(texts [][]rawWord) *reader {
	rd := &reader{plain: map[string]int{}}
	for _, t := range texts {
		for _, w := range t {
			if w.alt == "" {
				rd.plain[w.w]++
			}
		}
	}
	return rd
}

// resolve picks the reading of an elongated word: a known text-speak or
// stop word first, then the reading written more often elsewhere (the
// doubled one on a tie, since double letters are common in English).
func (rd *reader) resolve(w rawWord) string {
	if w.alt == "" {
		return w.w
	}
	for _, c := range []string{w.alt, w.w} {
		if _, ok := slang[c]; ok || stopWords[c] {
			return c
		}
	}
	if rd.plain[w.alt] > rd.plain[w.w] {
		return w.alt
	}
	return w.w
}

// words reads one text's raw words: it expands text-speak, joins
// compounds, drops stop words, numbers and single letters, and stems the
// rest.
func (rd *reader) words(raw []rawWord) []word {
	// Expand text-speak: each expansion word follows the one before
	// softly.
	type part struct {
		w    string
		soft bool
	}
	parts := make([]part, 0, len(raw))
	for _, r := range raw {
		w := rd.resolve(r)
		if exp, ok := slang[w]; ok {
			for k, e := range exp {
				parts = append(parts, part{e, r.soft || k > 0})
			}
			continue
		}
		parts = append(parts, part{w, r.soft})
	}
	out := make([]word, 0, len(parts))
	joined := false // the word before counts and nothing hard stands between
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if i+1 < len(parts) && parts[i+1].soft {
			if c, ok := compounds[[2]string{p.w, parts[i+1].w}]; ok {
				p.w = c
				i++
			}
		}
		if !p.soft {
			joined = false
		}
		if stopWords[p.w] || isNumber(p.w) || utf8.RuneCountInString(p.w) < 2 {
			joined = false
			continue
		}
		out = append(out, word{surface: p.w, stem: stemWord(p.w), joined: joined})
		joined = true
	}
	return out
}

// stemWord strips the commonest English endings so that "dogs" meets
// "dog", "skating" meets "skate" and "bullied" meets "bully". It is a
// light version of the first step of Porter's stemmer: plurals, -ed and
// -ing (after a plural too), with the stem mended (undoubled, or given back a silent e) so
// that it is usually a real word. Only plain ASCII words of four letters
// or more are stemmed.
func stemWord(w string) string {
	n := len(w)
	if n < 4 || !isASCIIWord(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "sses"):
		return w[:n-2]
	case n >= 5 && (strings.HasSuffix(w, "ies") || strings.HasSuffix(w, "ied")):
		return w[:n-3] + "y"
	case strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") ||
		strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "zzes"):
		return w[:n-2]
	case strings.HasSuffix(w, "eed"):
		if measure(w[:n-3]) > 0 {
			return w[:n-1] // "agreed" -> "agree"; "need", "feed" stay
		}
		return w
	case strings.HasSuffix(w, "ing"):
		return mendStem(w, w[:n-3])
	case strings.HasSuffix(w, "ed"):
		return mendStem(w, w[:n-2])
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return stemWord(w[:n-1]) // "feelings" -> "feeling" -> "feel"
	}
	return w
}

// mendStem returns the stem left by -ing or -ed, undoubled ("swimm" ->
// "swim") or with a silent e after a short consonant-vowel-consonant
// ending ("skat" -> "skate", "car" -> "care"), or w itself when the stem
// has no vowel ("thing", "bed").
func mendStem(w, stem string) string {
	if !hasVowel(stem) {
		return w
	}
	n := len(stem)
	switch {
	case strings.HasSuffix(stem, "at") && !strings.HasSuffix(stem, "eat") || stem == "creat" ||
		strings.HasSuffix(stem, "bl") || strings.HasSuffix(stem, "iz"):
		// "relat" -> "relate", "troubl" -> "trouble"; but "eat", "heat",
		// "treat" are words already.
		return stem + "e"
	case n >= 2 && stem[n-1] == stem[n-2] && !isVowel(stem, n-1) && !strings.ContainsRune("lsz", rune(stem[n-1])):
		return stem[:n-1]
	case measure(stem) == 1 && cvc(stem):
		return stem + "e"
	}
	return stem
}

// isVowel reports whether w[i] is a vowel; y is one after a consonant.
func isVowel(w string, i int) bool {
	switch w[i] {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	case 'y':
		return i > 0 && !isVowel(w, i-1)
	}
	return false
}

func hasVowel(w string) bool {
	for i := range len(w) {
		if isVowel(w, i) {
			return true
		}
	}
	return false
}

// measure counts the vowel-consonant sequences of a stem: Porter's m.
func measure(w string) int {
	m := 0
	for i := 1; i < len(w); i++ {
		if isVowel(w, i-1) && !isVowel(w, i) {
			m++
		}
	}
	return m
}

// cvc reports a stem ending consonant, vowel, consonant (not w, x or y).
func cvc(w string) bool {
	n := len(w)
	return n >= 3 && !isVowel(w, n-3) && isVowel(w, n-2) && !isVowel(w, n-1) &&
		!strings.ContainsRune("wxy", rune(w[n-1]))
}
