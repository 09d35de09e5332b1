package profanity_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys/profanity"
)

func TestCheckHolds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, term string
	}{
		{"plain", "this is fuck all", "fuck"},
		{"capitals", "FUCK THIS", "fuck"},
		{"ending", "fucking hate it", "fuck"},
		{"compound ending", "he is a dickhead", "dick"},
		{"doubled consonant", "shitty food", "shit"},
		{"dropped e", "raping", "rape"},
		{"long term prefix", "bastardised", "bastard"},
		{"inside a word", "motherfucker", "fuck"},
		{"inside a word 2", "what bullshit", "shit"},
		{"held down", "fuuuuuck", "fuck"},
		{"held down 2", "shiiiiiit", "shit"},
		{"held down, term with a double", "piiiiisssss off", "piss"},
		{"doubled", "fuuck off", "fuck"},
		{"leet 4 and 3", "b4st4rd", "bastard"},
		{"leet @", "tw@t", "twat"},
		{"leet 1 as i", "sh1t", "shit"},
		{"leet 1 as l", "be11end", "bellend"},
		{"leet !", "sh!t", "shit"},
		{"leet 0", "c0ck", "cock"},
		{"leet 5 and $", "$h1t and 5hit", "shit"},
		{"leet at the ends", "a$$hole", "asshole"},
		{"leet v for u", "fvck", "fuck"},
		{"punctuation after", "fuck!!!", "fuck"},
		{"spaced letters", "f u c k", "fuck"},
		{"spaced letters in a sentence", "you are a t w a t ok", "twat"},
		{"dotted letters", "F.U.C.K.", "fuck"},
		{"dashed letters", "c-u-n-t", "cunt"},
		{"spaced leet", "$ h ! t", "shit"},
		{"spelt with an ending", "F U C K I N G", "fuck"},
		{"broken by punctuation", "sh-it", "shit"},
		{"broken compound", "ass-hole", "asshole"},
		{"broken by underscore", "wan_ker", "wank"},
		{"star", "f*ck", "fuck"},
		{"stars", "b***h", "bitch"},
		{"zero width space", "fu\u200bck", "fuck"},
		{"soft hyphen", "fu\u00adck", "fuck"},
		{"accents", "fück", "fuck"},
		{"combining accent", "fu\u0308ck", "fuck"},
		{"fullwidth", "ｆｕｃｋ", "fuck"},
		{"mathematical bold", "𝐟𝐮𝐜𝐤", "fuck"},
		{"circled", "ⓕⓤⓒⓚ", "fuck"},
		{"cyrillic look-alike", "fuсk", "fuck"},
		{"all look-alikes", "ѕһіт", "shit"},
		{"uk bellend", "bellend", "bellend"},
		{"uk wanker", "wankers", "wank"},
		{"uk twat", "twat", "twat"},
		{"uk bollocks", "bollocks to that", "bollock"},
		{"uk minge", "minge", "minge"},
		{"uk slag", "slag", "slag"},
		{"uk tosser", "tosser", "tosser"},
		{"uk knobhead", "Knobhead", "knobhead"},
		{"uk arsehole", "arsehole", "arsehole"},
		{"uk slur", "spaz", "spaz"},
		{"exact-only abbreviation", "wtf is this", "wtf"},
		{"spelt round", "fcuk", "fcuk"},
		{"inside a sentence", "The trip was good but the bus was shit.", "shit"},
		{"newlines", "good\nfuck\nbad", "fuck"},
		{"apostrophe", "fuckin'", "fuck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := profanity.Check(tt.text)
			if !r.Hold || !slices.Contains(r.Terms, tt.term) {
				t.Errorf("Check(%q) = %+v; want held for %q", tt.text, r, tt.term)
			}
			if r.TooLong {
				t.Errorf("Check(%q) says too long", tt.text)
			}
		})
	}
}

func TestCheckDoesNotHold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
	}{
		// Innocent words with a listed word inside: the Scunthorpe problem.
		{"place", "Scunthorpe"},
		{"place with a dash", "a Scunthorpe-based team"},
		{"class", "class"},
		{"assessment", "assessment"},
		{"cocktail", "a mocktail or a cocktail"},
		{"author", "Dickens"},
		{"mushroom", "shitake and shiitake"},
		{"grape", "grape"},
		{"therapist", "my therapist"},
		{"analysis", "analysis"},
		{"hello", "hello"},
		{"button", "button"},
		{"cucumber", "cucumber"},
		{"document", "document"},
		{"county", "Sussex"},
		{"passage", "passage"},
		{"assistant", "assistant"},
		{"county 2", "Essex"},
		{"title", "title"},
		{"surname", "hancock"},
		{"bass", "bass guitar"},
		{"spice", "cumin"},
		{"cake", "muffin"},
		{"place 2", "Penistone"},
		{"words across a space", "this hit me hard"},
		{"missing space after a full stop", "I was sad.this hit me"},
		{"contraction", "who're you"},
		{"music", "my brother is a rapper, he likes rapping"},
		{"watches", "saltwater, smartwatch, wristwatch"},
		{"snigger", "sniggering at me"},
		{"fire", "fire retardant"},
		{"telling off", "they keep slagging me off"},
		{"hat", "a cocked hat"},
		{"dog", "a cocker spaniel"},
		{"trap", "a booby trap"},
		{"tired?", "the kitchen floor is shaggy"},
		{"brand", "Dickies trousers"},
		// Mild words are not held (Ofcom's mildest tier).
		{"bloody", "bloody hell"},
		{"crap", "that was crap"},
		{"arse", "get off your arse"},
		{"bugger", "bugger"},
		{"git", "he is a git"},
		{"pillock", "pillock"},
		{"damn", "damn it"},
		{"sod", "sod off"},
		{"balls", "we need more balls for PE"},
		{"butt", "butt"},
		{"naked", "naked eye"},
		{"nips", "she nips to the shop"},
		{"knob", "the door knob fell off"},
		// Words young people use about themselves or their lessons.
		{"identity", "I am queer and gay"},
		{"lessons", "sex education and the Nazis in history"},
		// Numbers are not leetspeak.
		{"numbers", "455 5318008 2024 1000"},
		{"year group", "year 7 and y10"},
		// Few single letters are not a spelt word.
		{"initials", "the U K"},
		{"empty", ""},
		{"spaces", "   \n\t "},
		{"emoji", "😀👍🏽❤️"},
		{"other scripts", "Привет, как дела? 你好 مرحبا"},
		{"stars for emphasis", "*really* good"},
		{"masked with too few letters", "f***"},
		{"invalid UTF-8", "\xff\xfe hello \xc3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if r := profanity.Check(tt.text); r.Hold || len(r.Terms) > 0 || r.Reason() != "" {
				t.Errorf("Check(%q) = %+v, reason %q; want not held", tt.text, r, r.Reason())
			}
		})
	}
}

func TestCheckTerms(t *testing.T) {
	t.Parallel()
	r := profanity.Check("shit, SHIT, fuck this, F U C K that, sh1t")
	if want := []string{"fuck", "shit"}; !slices.Equal(r.Terms, want) {
		t.Errorf("Terms = %q; want %q: each listed word once, sorted", r.Terms, want)
	}
	if got, want := r.Reason(), "contains a word on the profanity list (fuck, shit)"; got != want {
		t.Errorf("Reason() = %q; want %q", got, want)
	}
}

func TestCheckLength(t *testing.T) {
	t.Parallel()
	innocent := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name    string
		text    string
		hold    bool
		tooLong bool
		reason  string
	}{
		{"at the limit", innocent(profanity.MaxTextBytes), false, false, ""},
		{"one byte over", innocent(profanity.MaxTextBytes + 1), true, true, "too long to check in full"},
		{"far over", innocent(10 * profanity.MaxTextBytes), true, true, "too long to check in full"},
		{"over with a word", "fuck " + innocent(profanity.MaxTextBytes), true, true,
			"too long to check in full; contains a word on the profanity list (fuck)"},
		// The cut lands inside a two-byte letter: it moves back to the
		// letter's start rather than leave half a letter.
		{"cut inside a letter", innocent(profanity.MaxTextBytes-1) + "é", true, true, "too long to check in full"},
		{"longest post", strings.Repeat("é", 500) + " fuck", true, false, "contains a word on the profanity list (fuck)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := profanity.Check(tt.text)
			if r.Hold != tt.hold || r.TooLong != tt.tooLong || r.Reason() != tt.reason {
				t.Errorf("Check(%d bytes) = hold %v, too long %v, reason %q; want %v, %v, %q",
					len(tt.text), r.Hold, r.TooLong, r.Reason(), tt.hold, tt.tooLong, tt.reason)
			}
		})
	}
}

// TestFilter checks the adapter the live sessions use (surveys.Profanity)
// gives Check's answer.
func TestFilter(t *testing.T) {
	t.Parallel()
	var f profanity.Filter
	if !f.Holds("you are a b e l l e n d") || f.Holds("Scunthorpe") {
		t.Error("Filter.Holds does not follow Check")
	}
}
