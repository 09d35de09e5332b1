package cluster

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkGroup groups 2000 synthetic comments: twenty subjects written
// in varied ways, with filler, text-speak, emoji and noise words, and a
// fifth of them about nothing in particular.
func BenchmarkGroup(b *testing.B) {
	items := synthetic(2000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Group(items, Options{})
	}
}

// BenchmarkGroupMax groups MaxItems synthetic comments.
func BenchmarkGroupMax(b *testing.B) {
	items := synthetic(MaxItems, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Group(items, Options{})
	}
}

// subjects are what the synthetic comments are about: a few words each
// that name the subject, of which a comment uses one to three.
var subjects = [][]string{
	{"wifi", "internet", "hostel", "signal", "router"},
	{"dog", "pet", "puppy", "cat", "hamster"},
	{"halal", "food", "meat", "menu", "kitchen"},
	{"skate park", "skateboard", "scooter", "ramps", "bowl"},
	{"pocket money", "allowance", "savings", "bank account", "cash"},
	{"bedtime", "curfew", "late", "night", "rules"},
	{"football", "team", "training", "pitch", "coach"},
	{"bus pass", "bus", "travel", "fares", "train"},
	{"phone", "contract", "screen time", "data", "charger"},
	{"bedroom", "decorate", "paint", "posters", "furniture"},
	{"contact", "brother", "sister", "siblings", "visits"},
	{"school", "teacher", "homework", "exams", "lessons"},
	{"dentist", "doctor", "appointment", "gp", "health"},
	{"holiday", "trip", "seaside", "abroad", "passport"},
	{"hair", "barber", "products", "braids", "salon"},
	{"gym", "swimming", "membership", "fitness", "classes"},
	{"music", "guitar", "drums", "band", "studio"},
	{"driving", "lessons", "licence", "car", "test"},
	{"job", "apprenticeship", "cv", "interview", "work experience"},
	{"church", "mosque", "faith", "prayer", "religion"},
}

var fillers = []string{
	"i really want", "can we have", "pls sort out the", "why cant we get", "the",
	"its not fair about the", "i wish there was more", "u never listen about",
	"we need better", "more", "i love the", "i hate the", "sometimes the",
	"my carers said no to the", "staff keep forgetting the", "honestly the",
}

var tails = []string{
	"", "", "!!!", " 😡", " lol", " tbh", " at the home", " every week", " please",
	" its rubbish", " in the house", " when im older", " 😭😭", "??", " asap",
}

// synthetic makes n comments, the same for the same seed.
func synthetic(n int, seed uint64) []Item {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	noise := make([]string, 400)
	for i := range noise {
		var w strings.Builder
		for range 2 + r.IntN(3) {
			w.WriteByte("bcdfghjklmnprstvwz"[r.IntN(18)])
			w.WriteByte("aeiou"[r.IntN(5)])
		}
		noise[i] = w.String()
	}
	items := make([]Item, n)
	for i := range items {
		var t strings.Builder
		t.WriteString(fillers[r.IntN(len(fillers))])
		if r.IntN(5) > 0 {
			s := subjects[r.IntN(len(subjects))]
			for range 1 + r.IntN(3) {
				t.WriteString(" " + s[r.IntN(len(s))])
				if r.IntN(2) == 0 {
					t.WriteString(" " + noise[r.IntN(len(noise))])
				}
			}
		}
		for range r.IntN(6) {
			t.WriteString(" " + noise[r.IntN(len(noise))])
		}
		t.WriteString(tails[r.IntN(len(tails))])
		items[i] = Item{ID: fmt.Sprintf("v%05d", i), Text: t.String()}
	}
	return items
}
