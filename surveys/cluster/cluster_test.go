package cluster

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// group returns the prefix of a voice's id: its made-up group.
func group(id string) string {
	g, _, _ := strings.Cut(id, "-")
	return g
}

// TestGroupFindsThemes groups the made-up voices: each of the four groups
// comes out as one cluster, whole or nearly, with nothing else in it and a
// phrase that names it; the noise is left out.
func TestGroupFindsThemes(t *testing.T) {
	t.Parallel()
	got := Group(voices, Options{})
	byGroup := map[string]Cluster{}
	for _, c := range got {
		g := group(c.IDs[0])
		if _, dup := byGroup[g]; dup {
			t.Errorf("group %q is split over two clusters: %v", g, got)
		}
		byGroup[g] = c
	}
	tests := []struct {
		group   string
		min     int      // members of the group that must be found
		phrases []string // one of these must be among the phrases
		first   string   // the phrase that must come first, or ""
	}{
		{group: "wifi", min: 8, phrases: []string{"wifi"}},
		{group: "pet", min: 8, phrases: []string{"dog", "pets"}, first: "dog"},
		{group: "halal", min: 7, phrases: []string{"halal", "halal food"}},
		{group: "skate", min: 8, phrases: []string{"skate park"}, first: "skate park"},
	}
	for _, tt := range tests {
		t.Run(tt.group, func(t *testing.T) {
			t.Parallel()
			c, ok := byGroup[tt.group]
			if !ok {
				t.Fatalf("no cluster for %q in %v", tt.group, got)
			}
			for _, id := range c.IDs {
				if group(id) != tt.group {
					t.Errorf("%s is in the %q cluster", id, tt.group)
				}
			}
			if c.Size < tt.min {
				t.Errorf("the %q cluster has %d voices, want at least %d: %v", tt.group, c.Size, tt.min, c.IDs)
			}
			found := false
			for _, p := range tt.phrases {
				found = found || slices.Contains(c.Phrases, p)
			}
			if !found {
				t.Errorf("the %q cluster's phrases are %q, want one of %q", tt.group, c.Phrases, tt.phrases)
			}
			if tt.first != "" && c.Phrases[0] != tt.first {
				t.Errorf("the %q cluster's first phrase is %q, want %q", tt.group, c.Phrases[0], tt.first)
			}
		})
	}
	if _, ok := byGroup["x"]; ok || len(got) != len(tests) {
		t.Errorf("got %d clusters, want %d and no cluster of noise: %v", len(got), len(tests), got)
	}
	for _, c := range got {
		for _, id := range c.IDs {
			if group(id) == "x" {
				t.Errorf("noise %s was put in a cluster", id)
			}
		}
	}
}

// TestGroupOptions checks MinSize, MaxClusters and Threshold are kept and
// clusters come in order of size, then first phrase.
func TestGroupOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		want int // clusters; -1 for any number
	}{
		{name: "defaults", opts: Options{}, want: 4},
		{name: "min size 9 keeps the two largest groups", opts: Options{MinSize: 9}, want: 2},
		{name: "min size 10 keeps none", opts: Options{MinSize: 10}, want: 0},
		{name: "min size 2", opts: Options{MinSize: 2}, want: -1},
		{name: "min size 1", opts: Options{MinSize: 1}, want: -1},
		{name: "max clusters 2", opts: Options{MaxClusters: 2}, want: 2},
		{name: "max clusters 1", opts: Options{MaxClusters: 1}, want: 1},
		{name: "max clusters 1 of many", opts: Options{MinSize: 1, MaxClusters: 1}, want: 1},
		{name: "high threshold", opts: Options{Threshold: 0.9}, want: 0},
		{name: "threshold above 1 is 1", opts: Options{Threshold: 7}, want: 0},
		{name: "low threshold", opts: Options{Threshold: 0.05}, want: -1},
		{name: "negative values take defaults", opts: Options{MinSize: -1, MaxClusters: -5, Threshold: -0.5}, want: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Group(voices, tt.opts)
			o := tt.opts.withDefaults()
			if tt.want >= 0 && len(got) != tt.want {
				t.Errorf("got %d clusters, want %d: %v", len(got), tt.want, got)
			}
			checkClusters(t, voices, o, got)
			for i := 1; i < len(got); i++ {
				a, b := got[i-1], got[i]
				if a.Size < b.Size || (a.Size == b.Size && a.Phrases[0] > b.Phrases[0]) {
					t.Errorf("cluster %d (%d, %q) is before cluster %d (%d, %q)", i-1, a.Size, a.Phrases[0], i, b.Size, b.Phrases[0])
				}
			}
		})
	}
	// MaxClusters keeps the largest.
	all := Group(voices, Options{})
	if top := Group(voices, Options{MaxClusters: 2}); !reflect.DeepEqual(top, all[:2]) {
		t.Errorf("MaxClusters 2 gave %v, want the first two of %v", top, all)
	}
}

// checkClusters checks what every result of Group must be: each id from
// the input, at most once; sizes right and at least o.MinSize; at most
// o.MaxClusters clusters; one to MaxPhrases phrases, none empty, all
// valid UTF-8 and different.
func checkClusters(t *testing.T, items []Item, o Options, got []Cluster) {
	t.Helper()
	ids := map[string]bool{}
	for _, it := range items {
		ids[it.ID] = true
	}
	if len(got) > o.MaxClusters {
		t.Errorf("got %d clusters, want at most %d", len(got), o.MaxClusters)
	}
	seen := map[string]bool{}
	for _, c := range got {
		if c.Size != len(c.IDs) || c.Size < o.MinSize {
			t.Errorf("cluster of size %d has %d ids, want %d >= %d", c.Size, len(c.IDs), c.Size, o.MinSize)
		}
		for _, id := range c.IDs {
			if !ids[id] {
				t.Errorf("id %q is not an input id", id)
			}
			if seen[id] {
				t.Errorf("id %q is in more than one place", id)
			}
			seen[id] = true
		}
		if len(c.Phrases) == 0 || len(c.Phrases) > MaxPhrases {
			t.Errorf("cluster %v has %d phrases, want 1 to %d", c.IDs, len(c.Phrases), MaxPhrases)
		}
		for k, p := range c.Phrases {
			if p == "" || !utf8Valid(p) || strings.TrimSpace(p) != p {
				t.Errorf("phrase %q is empty, invalid or padded", p)
			}
			if slices.Contains(c.Phrases[:k], p) {
				t.Errorf("phrase %q is listed twice: %q", p, c.Phrases)
			}
		}
	}
}

// TestGroupDeterministic shuffles the input: the clusters must not change
// by so much as the order of two ids.
func TestGroupDeterministic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		items []Item
		opts  Options
	}{
		{name: "made-up voices", items: voices},
		{name: "made-up voices, min size 1", items: voices, opts: Options{MinSize: 1, MaxClusters: 100}},
		{name: "synthetic", items: synthetic(600, 7)},
		{name: "repeated texts", items: repeated()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := Group(tt.items, tt.opts)
			if len(want) == 0 {
				t.Fatal("no clusters: the test tests nothing")
			}
			for seed := range uint64(5) {
				items := slices.Clone(tt.items)
				r := rand.New(rand.NewPCG(seed, 1))
				r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
				if seed == 0 {
					slices.Reverse(items)
				}
				if got := Group(items, tt.opts); !reflect.DeepEqual(got, want) {
					t.Fatalf("shuffle %d gave\n%v\nwant\n%v", seed, got, want)
				}
			}
		})
	}
}

// repeated is voices whose texts repeat, so that ties between ids and
// equal similarities are everywhere.
func repeated() []Item {
	texts := []string{"more wifi", "a dog", "a dog please", "halal food", "more wifi", "a dog"}
	var items []Item
	for i := range 30 {
		items = append(items, Item{ID: fmt.Sprintf("r%02d", i), Text: texts[i%len(texts)]})
	}
	return items
}

// TestGroupEdgeCases covers inputs with little or odd text.
func TestGroupEdgeCases(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("the hostel wifi is down again ", 20000) // far over MaxTextLen
	tests := []struct {
		name  string
		items []Item
		opts  Options
		want  []Cluster
	}{
		{name: "nil", items: nil},
		{name: "empty", items: []Item{}},
		{name: "one item", items: []Item{{"a", "I want a dog"}}},
		{name: "one item, min size 1", items: []Item{{"a", "I want a dog"}}, opts: Options{MinSize: 1},
			want: []Cluster{{IDs: []string{"a"}, Phrases: []string{"dog"}, Size: 1}}},
		{name: "all identical", items: []Item{{"e", "I want a dog"}, {"b", "I want a dog"}, {"d", "I want a dog"}, {"a", "I want a dog"}, {"c", "I want a dog"}},
			want: []Cluster{{IDs: []string{"a", "b", "c", "d", "e"}, Phrases: []string{"dog"}, Size: 5}}},
		{name: "identical as read", items: []Item{{"a", "I want a DOG!!!"}, {"b", "i wanna dog"}, {"c", "a dog 🐶 pls"}},
			want: []Cluster{{IDs: []string{"a", "b", "c"}, Phrases: []string{"dog"}, Size: 3}}},
		{name: "emoji and punctuation only", items: []Item{{"a", "😂😂👍"}, {"b", "😂😂👍"}, {"c", "!!!???"}, {"d", "..."}, {"e", "😂😂👍"}}},
		{name: "stop words only", items: []Item{{"a", "I would really like it"}, {"b", "I would really like it"}, {"c", "idk lol"}}},
		{name: "empty texts", items: []Item{{"a", ""}, {"b", ""}, {"c", " "}}},
		{name: "empty ids", items: []Item{{"", "a dog"}, {"", "a dog"}, {"x", "a dog"}}},
		{name: "repeated id counts once", items: []Item{{"a", "a dog"}, {"a", "a dog"}, {"a", "a dog"}, {"b", "a dog"}}},
		{name: "repeated id keeps the first text", items: []Item{{"a", "the wifi"}, {"a", "a dog"}, {"b", "a dog"}, {"c", "a dog"}},
			want: []Cluster{{IDs: []string{"a", "b", "c"}, Phrases: []string{"dog"}, Size: 3}}},
		{name: "very long texts", items: []Item{{"a", long}, {"b", long + "x"}, {"c", "wifi hostel " + long}},
			want: []Cluster{{IDs: []string{"a", "b", "c"}, Phrases: []string{"hostel wifi"}, Size: 3}}},
		{name: "one very long word", items: []Item{{"a", strings.Repeat("x", 100000)}, {"b", strings.Repeat("x", 100000)}, {"c", strings.Repeat("x", 100000)}}},
		{name: "invalid UTF-8", items: []Item{{"a", "dog\xff\xfepark"}, {"b", "\xc3\x28dog park"}, {"c", "dog park\xe2\x82"}},
			want: []Cluster{{IDs: []string{"a", "b", "c"}, Phrases: []string{"dog park"}, Size: 3}}},
		{name: "text-speak", items: []Item{{"a", "my social worker never calls"}, {"b", "sw never calls back"}, {"c", "SWs never call"}},
			want: []Cluster{{IDs: []string{"a", "b", "c"}, Phrases: []string{"social worker", "calls"}, Size: 3}}},
		{name: "other scripts", items: []Item{{"a", "أريد كلبا"}, {"b", "أريد كلبا"}, {"c", "أريد كلبا"}},
			want: []Cluster{{IDs: []string{"a", "b", "c"}, Phrases: []string{"أريد كلبا"}, Size: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Group(tt.items, tt.opts)
			checkClusters(t, tt.items, tt.opts.withDefaults(), got)
			if len(got) != len(tt.want) || (len(got) > 0 && !reflect.DeepEqual(got, tt.want)) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestGroupMaxItems checks that only the first MaxItems ids are read: three
// alike voices whose ids sort last are ignored until the items before them
// number fewer than MaxItems.
func TestGroupMaxItems(t *testing.T) {
	t.Parallel()
	var items []Item
	for i := range MaxItems {
		items = append(items, Item{ID: fmt.Sprintf("a%05d", i), Text: fmt.Sprintf("zq%d", i)})
	}
	for i := range 3 {
		items = append(items, Item{ID: fmt.Sprintf("z%d", i), Text: "a puppy"})
	}
	if got := Group(items, Options{}); len(got) != 0 {
		t.Errorf("over MaxItems: got %v, want nothing", got)
	}
	got := Group(items[3:], Options{})
	want := []Cluster{{IDs: []string{"z0", "z1", "z2"}, Phrases: []string{"puppy"}, Size: 3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("at MaxItems: got %v, want %v", got, want)
	}
}

// TestGroupTypicalFirst checks a cluster lists the voice most like the
// rest first and the least like it last.
func TestGroupTypicalFirst(t *testing.T) {
	t.Parallel()
	items := []Item{
		{"a", "the dog barks at night and wakes the house up"},
		{"b", "a dog"},
		{"c", "the dog at my house"},
		{"d", "I want a dog"},
		{"e", "dog walking on the beach with my nan"},
	}
	got := Group(items, Options{})
	if len(got) != 1 {
		t.Fatalf("got %v, want one cluster", got)
	}
	if ids := got[0].IDs; ids[0] != "b" || ids[1] != "d" || ids[len(ids)-1] == "b" {
		t.Errorf("ids %v: want b and d (only \"dog\") first", ids)
	}
}
