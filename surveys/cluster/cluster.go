package cluster

import (
	"cmp"
	"math"
	"slices"
)

// Limits and defaults.
const (
	// MaxItems is the most items Group considers: the first MaxItems by
	// id (after dropping repeated ids). The rest are ignored, so that a
	// report over years of voices costs no more than a second.
	MaxItems = 5000
	// MaxTextLen is the most runes of an item's text read; the rest is
	// ignored, as the coder does (surveys.MaxCodeTextLen).
	MaxTextLen = 4000

	DefaultMinSize     = 3
	DefaultMaxClusters = 12
	// DefaultThreshold is the cosine similarity of TF-IDF vectors an item
	// needs to join a cluster. Two short comments that share one telling
	// word ("I really want a dog", "can we have a pet dog at the house")
	// score about 0.5; two that share only a common one ("pets would make
	// the house a real home", "no halal food at the children's home")
	// about 0.2. 0.3 joins the first and keeps the second apart, and on
	// the test sets it grouped the most voices with the fewest strays.
	DefaultThreshold = 0.3

	// MaxPhrases is the most phrases a cluster reports.
	MaxPhrases = 5
)

// Item is one voice to group: its id and its text.
type Item struct{ ID, Text string }

// Cluster is a group of similar voices.
type Cluster struct {
	IDs     []string // the voices, most typical first
	Phrases []string // the most typical words or two-word phrases, up to 5, most telling first
	Size    int
}

// Options tune grouping; the zero value takes sensible defaults.
type Options struct {
	MinSize     int     // smallest cluster reported (default 3)
	MaxClusters int     // most clusters reported (default 12)
	Threshold   float64 // similarity needed to join, 0 to 1 (default DefaultThreshold)
}

// withDefaults fills in the defaults: for zero, and for values that make
// no sense (negative sizes, a threshold that is not a number). A
// threshold above 1 is 1: only items that read the same are grouped.
func (o Options) withDefaults() Options {
	if o.MinSize <= 0 {
		o.MinSize = DefaultMinSize
	}
	if o.MaxClusters <= 0 {
		o.MaxClusters = DefaultMaxClusters
	}
	if math.IsNaN(o.Threshold) || o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	o.Threshold = min(o.Threshold, 1)
	return o
}

// Group groups items. Deterministic: the same items (in any order) give
// the same clusters, in order of size then first phrase.
//
// Items are read in order of id; an id given more than once counts once,
// with the text that sorts first. Only the first MaxItems ids are read,
// and only the first MaxTextLen runes of each text. Items with no words
// that count (emoji, punctuation, only stop words) are never grouped, nor
// are items unlike any other: they are noise, not forced into a cluster.
func Group(items []Item, o Options) []Cluster {
	o = o.withDefaults()
	s := newSpace(prepare(items))
	var out []Cluster
	for _, g := range s.cluster(o) {
		out = append(out, s.describe(g))
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		return cmp.Or(cmp.Compare(b.Size, a.Size), cmp.Compare(a.Phrases[0], b.Phrases[0]),
			cmp.Compare(a.IDs[0], b.IDs[0]))
	})
	if len(out) > o.MaxClusters {
		out = out[:o.MaxClusters]
	}
	return out
}

// prepare sorts a copy of the items by id (then text), keeps the first of
// each id and at most MaxItems. Sorting first is what makes Group
// independent of the order it is given items in.
func prepare(items []Item) []Item {
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, func(a, b Item) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Text, b.Text))
	})
	sorted = slices.CompactFunc(sorted, func(a, b Item) bool { return a.ID == b.ID })
	if len(sorted) > MaxItems {
		sorted = sorted[:MaxItems]
	}
	return sorted
}

// cluster groups the documents in two steps and returns the groups of
// documents, each of at least o.MinSize items.
//
// First, Butina's leader clustering, a deterministic method long used to
// group similar molecules: the document with the most neighbours (others
// at least o.Threshold alike) not yet grouped is a leader, and it and
// those neighbours form a group; repeat until no leader has enough
// neighbours left. A leader is the most central voice of a dense region,
// so a group gathers comments that share the leader's subject even when
// they share no word with each other ("a pet", "a dog", "a pet dog"), and
// an odd comment never leads. Unlike average-linkage agglomeration it
// needs no matrix of all pairs (5000 items would need 100 MB), and unlike
// one-pass leader-follower it does not depend on which comment comes
// first.
//
// Second, a few rounds of relocation, as in k-means with the leaders'
// groups as seeds: each document moves to the group whose centroid it is
// most like, if it is at least o.Threshold alike, and groups left smaller
// than o.MinSize dissolve. This moves a comment that a greedy early leader
// took to the group it fits best and picks up comments like a group as a
// whole but like no single member enough.
func (s *space) cluster(o Options) [][]int32 {
	groups := s.leaders(o)
	for range relocateRounds {
		next := s.relocate(groups, o)
		if slices.EqualFunc(next, groups, slices.Equal) {
			break
		}
		groups = next
	}
	return groups
}

// relocateRounds bounds relocation; it settles in two or three rounds.
const relocateRounds = 5

// leaders is the first step of cluster: Butina's method.
func (s *space) leaders(o Options) [][]int32 {
	n := len(s.docs)
	// count[d] is the number of items not yet grouped at least
	// o.Threshold like d, besides d itself; density[d] is d's summed
	// similarity to all its neighbours, which breaks ties between
	// leaders in favour of the more central.
	count := make([]float64, n)
	density := make([]float64, n)
	for d := range s.docs {
		count[d] = s.docs[d].mult - 1
	}
	r := s.newRower()
	for d := range s.docs {
		s.rowAfter(int32(d), r)
		for _, j := range r.touched {
			if sim := r.acc[j]; sim >= o.Threshold {
				count[d] += s.docs[j].mult
				count[j] += s.docs[d].mult
				density[d] += sim * s.docs[j].mult
				density[j] += sim * s.docs[d].mult
			}
		}
		r.reset()
	}
	grouped := make([]bool, n)
	var groups [][]int32
	for {
		lead := -1
		for d := range s.docs {
			if grouped[d] {
				continue
			}
			if lead < 0 || count[d] > count[lead] || (count[d] == count[lead] && density[d] > density[lead]) {
				lead = d
			}
		}
		if lead < 0 || count[lead]+1 < float64(o.MinSize) {
			break
		}
		g := []int32{int32(lead)}
		grouped[lead] = true
		s.row(int32(lead), r)
		for _, j := range r.touched {
			if !grouped[j] && r.acc[j] >= o.Threshold {
				g = append(g, j)
				grouped[j] = true
			}
		}
		r.reset()
		slices.Sort(g)
		// The members are gone: their neighbours have fewer left.
		for _, m := range g {
			s.row(m, r)
			for _, j := range r.touched {
				if !grouped[j] && r.acc[j] >= o.Threshold {
					count[j] -= s.docs[m].mult
				}
			}
			r.reset()
		}
		groups = append(groups, g)
	}
	return groups
}

// relocate is one round of the second step of cluster.
func (s *space) relocate(groups [][]int32, o Options) [][]int32 {
	cents := make([]vector, len(groups))
	for k, g := range groups {
		cents[k] = s.centroid(g)
	}
	// An index of the centroids by term.
	post := make([][]posting, len(s.terms))
	for k, c := range cents {
		for _, e := range c {
			post[e.term] = append(post[e.term], posting{doc: int32(k), w: e.w})
		}
	}
	acc := make([]float64, len(groups))
	var touched []int32
	next := make([][]int32, len(groups))
	for d := range s.docs {
		for _, e := range s.docs[d].vec {
			for _, p := range post[e.term] {
				if acc[p.doc] == 0 {
					touched = append(touched, p.doc)
				}
				acc[p.doc] += e.w * p.w
			}
		}
		best := int32(-1)
		for _, k := range touched {
			if acc[k] >= o.Threshold && (best < 0 || acc[k] > acc[best] || (acc[k] == acc[best] && k < best)) {
				best = k
			}
			acc[k] = 0
		}
		touched = touched[:0]
		if best >= 0 {
			next[best] = append(next[best], int32(d))
		}
	}
	kept := next[:0]
	for _, g := range next {
		if s.size(g) >= float64(o.MinSize) {
			kept = append(kept, g)
		}
	}
	return kept
}

// size is the number of items of a group of documents.
func (s *space) size(g []int32) float64 {
	n := 0.0
	for _, d := range g {
		n += s.docs[d].mult
	}
	return n
}

// centroid is the unit-length mean of a group's vectors, each document
// counted once per item.
func (s *space) centroid(g []int32) vector {
	sum := map[int32]float64{}
	var order []int32
	for _, d := range g {
		for _, e := range s.docs[d].vec {
			if _, ok := sum[e.term]; !ok {
				order = append(order, e.term)
			}
			sum[e.term] += e.w * s.docs[d].mult
		}
	}
	slices.Sort(order)
	c := make(vector, len(order))
	for i, t := range order {
		c[i] = entry{term: t, w: sum[t]}
	}
	c.normalise()
	return c
}
