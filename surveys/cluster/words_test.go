package cluster

import (
	"reflect"
	"strings"
	"testing"
)

// TestWords checks how a text is read: the words that count, as stems
// and as written, and which follow one another closely enough to make a
// phrase.
func TestWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want string // stem/surface, "+" before a word joined to the one before
	}{
		{"", ""},
		{"I really want a DOG!!!", "dog/dog"},
		{"The dogs' beds", "dog/dogs +bed/beds"},
		{"the children's home", "children/children +home/home"},
		{"childrens home", "children/childrens +home/home"},
		{"wi-fi in the hostel", "wifi/wifi hostel/hostel"},
		{"Wi Fi", "wifi/wifi"},
		{"skatepark", "skate/skate +park/park"},
		{"skate-park, skating", "skate/skate +park/park skate/skating"},
		{"my sw is great", "social/social +worker/worker"},
		{"u r gr8 m8", "mate/mate"},
		{"bullied and bullying", "bully/bullied bully/bullying"},
		{"moved, moving", "move/moved move/moving"},
		{"swimming lessons", "swim/swimming +lesson/lessons"},
		{"feelings", "feel/feelings"},
		{"parties and boxes and buses", "party/parties box/boxes buse/buses"},
		{"need agreed thing door", "agree/agreed door/door"},
		{"café Szkoła", "cafe/cafe +szkola/szkola"},
		{"dog 😡 park", "dog/dog park/park"},
		{"dog. park", "dog/dog park/park"},
		{"dog park 2024 x", "dog/dog +park/park"},
		{"sooooo goood", ""},
		{"don't can’t won`t", ""},
		{"dog\xffpark", "dog/dog +park/park"},
		{strings.Repeat("a", 31) + " dog", "dog/dog"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			raw := split(tt.text)
			var got []string
			for _, w := range newReader([][]rawWord{raw}).words(raw) {
				s := w.stem + "/" + w.surface
				if w.joined {
					s = "+" + s
				}
				got = append(got, s)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("words(%q) = %q, want %q", tt.text, g, tt.want)
			}
		})
	}
}

// TestElongated checks that an elongated word takes the reading the
// other texts use.
func TestElongated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		texts []string
		want  string // the reading of the first word of the first text
	}{
		{[]string{"dogggg", "dog"}, "dog"},
		{[]string{"dogggg", "dogg"}, "dogg"},
		{[]string{"dogggg"}, "dogg"},
		{[]string{"gooood food"}, "food"}, // "good" is a stop word
		{[]string{"coooool", "cool"}, ""},
		{[]string{"plzzzz dog"}, "dog"},
		{[]string{"wifiiii", "wifi", "wifi"}, "wifi"},
	}
	for _, tt := range tests {
		t.Run(tt.texts[0], func(t *testing.T) {
			t.Parallel()
			var raws [][]rawWord
			for _, text := range tt.texts {
				raws = append(raws, split(text))
			}
			words := newReader(raws).words(raws[0])
			got := ""
			if len(words) > 0 {
				got = words[0].surface
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestStemWord checks the stemmer meets inflections at one form and
// leaves words that only look inflected alone.
func TestStemWord(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"dog": "dog", "dogs": "dog", "skating": "skate", "skated": "skate", "skate": "skate",
		"bullied": "bully", "bullies": "bully", "bully": "bully", "bullying": "bully",
		"caring": "care", "cared": "care", "hoping": "hope", "hopping": "hop",
		"stopped": "stop", "falling": "fall", "missed": "miss", "visited": "visit",
		"classes": "class", "class": "class", "bus": "bus", "this": "this",
		"matches": "match", "wishes": "wish", "need": "need", "feed": "feed",
		"agreed": "agree", "thing": "thing", "things": "thing", "bed": "bed",
		"meetings": "meet", "played": "play", "eating": "eat", "cooking": "cook",
		"buildings": "build", "rated": "rate", "troubled": "trouble", "heated": "heat",
		"created": "create", "related": "relate", "chatting": "chat",
		"ab": "ab", "ies": "ies", "szkoła": "szkoła", "DOGS": "DOGS",
	}
	for w, want := range tests {
		if got := stemWord(w); got != want {
			t.Errorf("stemWord(%q) = %q, want %q", w, got, want)
		}
	}
}

// TestSplitSoft checks which separators let two words make a phrase.
func TestSplitSoft(t *testing.T) {
	t.Parallel()
	got := split("a b-c,d  e😀f\ng")
	want := []rawWord{{w: "a"}, {w: "b", soft: true}, {w: "c", soft: true}, {w: "d"}, {w: "e", soft: true}, {w: "f"}, {w: "g"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("split = %+v, want %+v", got, want)
	}
}
