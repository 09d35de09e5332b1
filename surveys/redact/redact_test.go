package redact_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys/redact"
)

// council is a council's settings as an analyst would enter them.
var council = redact.Places{
	Schools: []string{"St Mary's Catholic Primary", "Halewood Academy", "The Prescot School",
		"All Saints Catholic Primary", "Knowsley Park Centre for Learning"},
	Places: []string{"Kirkby", "Huyton", "Stockbridge Village", "Page Moss", "Tower Hill",
		"Halewood", "Prescot", "St Helens"},
	Names: []string{"Jo Bloggs", "Zephyrine"},
}

func newCouncil(t testing.TB) *redact.Redactor {
	t.Helper()
	r, err := redact.New(council)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// hardCases are comments written the way young people write, with what the
// analyst should be offered. Each says in its name what it is about.
var hardCases = []struct {
	name, in, want string
}{
	// names
	{"first name in lower case", "my sw sarah never rings", "my sw [name] never rings"},
	{"first name capitalised", "my sw Sarah never rings", "my sw [name] never rings"},
	{"first name and surname", "Sarah Jones is my carer", "[name] is my carer"},
	{"possessive keeps the s", "Sarah's house is nice", "[name]'s house is nice"},
	{"hyphenated name", "me and Lily-Mae went", "me and [name] went"},
	{"title and surname", "Miss Hughes is the best teacher", "[name] is the best teacher"},
	{"title in lower case", "mr smith shouts at us", "[name] shouts at us"},
	{"title with a full stop", "Mrs. O'Neill helped me", "[name] helped me"},
	{"miss as a verb", "I miss home and I miss my mum", "I miss home and I miss my mum"},
	{"will as a verb", "I will go if they let me", "I will go if they let me"},
	{"Will as a name with said", "my mate Will said it was fine", "my mate [name] said it was fine"},
	{"Will at the start of a question", "Will you listen to me?", "Will you listen to me?"},
	{"the same name again without a cue", "my mate Will said so. Will is sound", "my mate [name] said so. [name] is sound"},
	{"May the month", "in May we went to the beach", "in May we went to the beach"},
	{"May with a date", "on 3 May I moved", "on 3 May I moved"},
	{"May as a name mid-sentence", "I told May about it", "I told [name] about it"},
	{"june the month", "we moved in June", "we moved in June"},
	{"Rose as a name", "my foster carer Rose is kind", "my foster carer [name] is kind"},
	{"rose as a verb", "the price rose again", "the price rose again"},
	{"hope as a word", "I hope things get better", "I hope things get better"},
	{"Hope called by name", "a girl called Hope helped me", "a girl called [name] helped me"},
	{"jack all", "there is jack all to do round here", "there is jack all to do round here"},
	{"Polish name", "Kasia mówi że jest dobrze", "[name] mówi że jest dobrze"},
	{"Polish name with accents and without", "Łukasz i Lukasz", "[name] i [name]"},
	{"Arabic names in Latin script", "Mohammed and Fatima are my friends", "[name] and [name] are my friends"},
	{"Nigerian name", "Chidinma helps me with maths", "[name] helps me with maths"},
	{"short forms", "kez and mo and jay and liv came round", "[name] and [name] and [name] and [name] came round"},
	{"short form at the start", "Jo my social worker takes me out", "[name] my social worker takes me out"},
	{"name with a hyphen and surname", "My name is Jayden-Lee Smith and I'm 14", "My name is [name] and I'm 14"},
	{"unknown capitalised name after a person", "my PA Bronagh helps with money", "my PA [name] helps with money"},
	{"title case is not a name", "My Social Worker Is Rubbish", "My Social Worker Is Rubbish"},
	{"title case modal", "I Will Never Forget It", "I Will Never Forget It"},
	{"season", "in the summer holidays", "in the summer holidays"},
	{"season as a name", "Summer said hi", "[name] said hi"},
	{"place-like name before a place word", "Chester Zoo was fun", "Chester Zoo was fun"},
	{"place-like name after to", "we went to Chester Zoo", "we went to Chester Zoo"},
	{"Miss and Sir as forms of address", "Yes Miss, the Dr said Sir is sound", "Yes Miss, the Dr said Sir is sound"},
	{"unknown name given after my name is", "hiya my name is zaydee", "hiya my name is [name]"},
	{"unknown name after called", "my new sw is a man called Brannagh", "my new sw is a man called [name]"},
	{"an app called is not a person", "there is an app called Wizz", "there is an app called Wizz"},
	{"council's extra names", "Zephyrine and jo bloggs run MADE", "[name] and [name] run MADE"},
	{"handle", "@jaydenxx on snap", "[name] on snap"},
	{"handle then the same handle bare", "add @kayz.22 or kayz on insta", "add [name] or [name] on insta"},
	{"@ for at", "meet @ 3 or @3pm", "meet @ 3 or @3pm"},

	// phones and emails
	{"mobile", "ring me on 07700 900123", "ring me on [phone]"},
	{"mobile with +44 and dashes", "+44 7700-900-123", "[phone]"},
	{"landline", "0151 443 2600", "[phone]"},
	{"landline with brackets and dots", "call (0151) 443.2600 pls", "call [phone] pls"},
	{"international with (0)", "text +44 (0)7700 900 123 x", "text [phone] x"},
	{"mobile without spaces", "07700900123", "[phone]"},
	{"helpline is not a person", "ring Childline on 0800 1111", "ring Childline on 0800 1111"},
	{"email", "email me at jo.bloggs@gmail.com", "email me at [email]"},
	{"email at the end of a sentence", "it's kai_99@hotmail.co.uk.", "it's [email]."},

	// postcodes and addresses
	{"full postcode", "I live in L36 9YU", "I live in [postcode]"},
	{"postcode without a space, lower case", "l369yu", "[postcode]"},
	{"outward code after in", "there's nothing to do in L36", "there's nothing to do in [postcode]"},
	{"outward code alone", "L36", "[postcode]"},
	{"outward code after a place", "Huyton L36 is alright", "[place] [postcode] is alright"},
	{"motorway is not a postcode", "we went on the M57 to get there", "we went on the M57 to get there"},
	{"address and place", "12 Church Road Huyton", "[address] [place]"},
	{"address in lower case", "i live at 3a oak st now", "i live at [address] now"},
	{"address with a capitalised street word", "we moved to 7 Bluebell Close", "we moved to [address]"},
	{"close as a word", "I have 2 really close friends", "I have 2 really close friends"},
	{"flat number", "I'm in flat 3 on my own", "I'm in [address] on my own"},
	{"no. and a street", "no. 12 Elm Grove", "[address]"},
	{"street without a number", "I live on Bluebell Lane", "I live on [address]"},
	{"address, place and postcode", "14 Station Rd, Kirkby L32 8RR", "[address], [place] [postcode]"},
	{"flat and street", "Flat 2, 16 Hall Lane", "[address], [address]"},
	{"the high street is anywhere", "shops on the High Street", "shops on the High Street"},

	// schools and places
	{"listed school by its short name", "St Mary's is boss", "[school] is boss"},
	{"listed school without apostrophe", "i go st marys", "i go [school]"},
	{"listed school in full", "St Mary's Catholic Primary is ok", "[school] is ok"},
	{"listed school", "Halewood Academy is strict", "[school] is strict"},
	{"school by pattern", "I go to Bluecoat Academy now", "I go to [school] now"},
	{"high school by pattern", "Ruffwood High School was better", "[school] was better"},
	{"generic school words", "my Secondary School is big", "my Secondary School is big"},
	{"place", "we went to Kirkby", "we went to [place]"},
	{"place in lower case", "nothing for kids in page moss", "nothing for kids in [place]"},
	{"place with two words", "Stockbridge Village has a youth club", "[place] has a youth club"},
	{"name run into a school's name", "Jay Halewood Academy", "[school]"},
	{"name and listed place as a surname", "Sarah Kirkby was my sw", "[name] was my sw"},

	// things that must stay
	{"money", "I get £20 a week", "I get £20 a week"},
	{"time", "contact is at 3:30 on a friday", "contact is at 3:30 on a friday"},
	{"school years", "I'm in year 9 and my brother is in Y10", "I'm in year 9 and my brother is in Y10"},
	{"scores and years", "10/10 better than 2024", "10/10 better than 2024"},
	{"age", "I'm 15", "I'm 15"},
	{"date", "moved on 07/10/2024 at 07:30", "moved on 07/10/2024 at 07:30"},
	{"already redacted", "[name] said ring [phone] at [address], [postcode]", "[name] said ring [phone] at [address], [postcode]"},
	{"no comment", "", ""},
}

func TestRedactHardCases(t *testing.T) {
	t.Parallel()
	r := newCouncil(t)
	for _, tc := range hardCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, reps := r.Redact(tc.in)
			if got != tc.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q\nreplacements %+v", tc.in, got, tc.want, reps)
			}
		})
	}
}

// TestHardCasesProperties checks, over the table, that redacting twice
// changes nothing and that no replaced text survives elsewhere in the
// output.
func TestHardCasesProperties(t *testing.T) {
	t.Parallel()
	r := newCouncil(t)
	for _, tc := range hardCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			once, reps := r.Redact(tc.in)
			twice, again := r.Redact(once)
			if twice != once || len(again) != 0 {
				t.Errorf("not idempotent: %q -> %q -> %q (%+v)", tc.in, once, twice, again)
			}
			for _, rep := range reps {
				if containsWord(once, rep.Original) {
					t.Errorf("%q still contains %s %q", once, rep.Kind, rep.Original)
				}
			}
		})
	}
}

// containsWord reports s in text as a whole word, in the same case.
func containsWord(text, s string) bool {
	re := regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(s) + `($|[^\pL\pN])`)
	return strings.TrimSpace(s) != "" && re.MatchString(text)
}
