package coder

import (
	"strings"
	"unicode"
)

// Language detection is deliberately cheap: the coder only needs to know
// whether it can read a voice, not to name every language. Non-Latin
// scripts are named by their letters. Latin-script text is scored by the
// little words each language cannot do without ("nie", "jest", "și",
// "dwi", "yn") and by the letters only it uses ("ł", "ț", "ŵ"), against
// the English words it contains.

// scripts names a language for each non-Latin script, in a fixed order so
// ties never depend on map order.
var scripts = []struct {
	table *unicode.RangeTable
	lang  string
}{
	{unicode.Arabic, "ar"}, {unicode.Cyrillic, "ru"}, {unicode.Greek, "el"}, {unicode.Hebrew, "he"},
	{unicode.Devanagari, "hi"}, {unicode.Bengali, "bn"}, {unicode.Gurmukhi, "pa"}, {unicode.Gujarati, "gu"},
	{unicode.Tamil, "ta"}, {unicode.Han, "zh"}, {unicode.Hiragana, "ja"}, {unicode.Katakana, "ja"},
	{unicode.Hangul, "ko"}, {unicode.Thai, "th"}, {unicode.Ethiopic, "ti"}, {unicode.Georgian, "ka"},
	{unicode.Armenian, "hy"},
}

// arabicScript tells apart languages written in Arabic letters by the
// letters Arabic itself does not use.
var arabicScript = []struct{ letters, lang string }{
	{"ەێۆڵڕ", "ckb"}, // Kurdish (Sorani)
	{"ټډړښږ", "ps"},  // Pashto
	{"ےٹڈڑں", "ur"},  // Urdu
	{"پچژگ", "fa"},   // Persian (after Sorani and Urdu, which use them too)
}

// latinLanguage is a Latin-script language the detector knows by sight.
type latinLanguage struct {
	lang    string
	letters string          // letters (before folding) that mark it
	words   map[string]bool // folded function words, none of them English
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var latinLanguages = []latinLanguage{
	{"pl", "ąęłśźżćń", wordSet("nie jest sie mnie moja moj moje mojej moim ze jak ale bardzo za czy jestem mam mi tak juz tez sa byc tylko bo gdy kiedy dla przez ja ty ona oni wy sobie chce lubie nigdy zawsze jego jej ich tu tam na w z jestes mamy mnie niej nim")},
	{"ro", "ăâîșțşţ", wordSet("si nu este sunt eu el ea noi voi ei imi mea meu mele mei pe cu ce care sa un pentru dar foarte acasa vreau cand cum unde mult prea mi e o la")},
	{"cy", "ŵŷ", wordSet("yn mae dwi dw rwy rwyn dwin ddim dim gyda efo fy ei eu ein eich ond ac yr iawn hefyd wedi roedd mewn gan nhw chi ni ti fi fe yma yna pob oes ydw ydy hoffi eisiau isio gallu gwneud mynd maen dydw dydy oedd cael ar ir")},
	{"es", "ñ¿¡", wordSet("el la los las es estoy muy pero que con por para mi tengo mis soy esta bien mal escuela familia yo tu nosotros")},
	{"fr", "çèêùœ", wordSet("je tu il elle nous vous est suis pas ne les des une et mais avec pour tres mon ma mes ca cest jai")},
	{"pt", "ãõ", wordSet("eu nao voce muito com para estou sou minha meu mas que uma")},
	{"de", "äöüß", wordSet("ich und nicht ist der das mit mein meine sehr aber auch es ein eine")},
	{"it", "", wordSet("io sono che il mio mia molto ma con sto")},
	{"lt", "ėųū", wordSet("nera yra labai mano ir su")},
	{"tr", "ğı", wordSet("bir ve bu cok degil iyi okul annem babam")},
	{"ku", "êû", wordSet("ez te hun di ji ne pir bas dixwazim")},
	{"so", "", wordSet("waxaan iyo waa ku ka aan aad aniga hooyo")},
	{"sq", "ë", wordSet("une dhe nuk eshte shume te ka")},
}

// detectLanguage returns the language of the text and whether the text
// shows it clearly; when it does not (an emoji, a name, "ok"), the caller
// falls back on the survey's language.
func (n *normaliser) detectLanguage(text string, toks []token) (string, bool) {
	if lang, ok := scriptLanguage(text); ok {
		return lang, true
	}
	v := n.tally(text, toks)
	best := 0
	for k := range v.scores {
		if v.scores[k] > v.scores[best] {
			best = k
		}
	}
	top := v.scores[best]
	switch {
	case v.words == 0:
		return "", false
	case top >= 2 && top > v.english, top >= 1 && v.english == 0:
		return latinLanguages[best].lang, true
	case v.english > 0:
		return "en", true
	case v.words >= 4 && v.known == 0:
		return "und", true // a language the coder does not know by sight
	}
	return "", false
}

// votes counts the evidence for each language in Latin-script text.
type votes struct {
	words, known int
	english      float64
	scores       []float64 // by latinLanguages
}

func (n *normaliser) tally(text string, toks []token) votes {
	v := votes{scores: make([]float64, len(latinLanguages))}
	for i := range toks {
		t := &toks[i]
		if t.src == "" || t.emoji || isNumber(t.src) {
			continue
		}
		v.words++
		isEnglish := n.isEnglish(t.src) || n.slang[t.src] != nil || n.isEnglish(t.text)
		if isEnglish {
			v.english++
		}
		if isEnglish || n.known[t.src] {
			v.known++
		}
		raw := text[t.start:t.end]
		for k, l := range latinLanguages {
			if l.words[t.src] {
				v.scores[k]++
			}
			if l.letters != "" && strings.ContainsAny(raw, l.letters) {
				v.scores[k]++
			}
			if l.lang == "cy" && !isEnglish && welshLooking(t.src) {
				v.scores[k] += 0.5
			}
		}
	}
	return v
}

// isEnglish reports a word, or a base form of it, in the English list.
func (n *normaliser) isEnglish(w string) bool {
	var buf [4]string
	for _, f := range forms(buf[:0], w) {
		if n.english[f] {
			return true
		}
	}
	return false
}

// welshLooking reports letter pairs common in Welsh and rare in English.
func welshLooking(w string) bool {
	return strings.Contains(w, "dd") || strings.HasPrefix(w, "ll") || strings.Contains(w, "wy") ||
		strings.HasPrefix(w, "ch") && strings.ContainsAny(w[2:], "wy")
}

// scriptLanguage names the language of text written mostly in a
// non-Latin script.
func scriptLanguage(text string) (string, bool) {
	latin := 0
	counts := make([]int, len(scripts))
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			latin++
			continue
		}
		for k, s := range scripts {
			if unicode.Is(s.table, r) {
				counts[k]++
				break
			}
		}
	}
	best := 0
	for k := range counts {
		if counts[k] > counts[best] {
			best = k
		}
	}
	if counts[best] == 0 || counts[best] <= latin {
		return "", false
	}
	lang := scripts[best].lang
	switch lang {
	case "ar":
		for _, a := range arabicScript {
			if strings.ContainsAny(text, a.letters) {
				return a.lang, true
			}
		}
	case "ru":
		if strings.ContainsAny(text, "іїєґІЇЄҐ") {
			return "uk", true
		}
	}
	return lang, true
}
