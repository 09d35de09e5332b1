package cluster

import (
	"cmp"
	"slices"
)

// bigramCover is how often a two-word phrase must occur, as a share of
// the group's items that hold one of its words, to stand for that word:
// when most who write "skate" write "skate park", the phrase says the
// same thing better, and "skate" is not listed too.
const bigramCover = 0.8

// describe turns a group of docs into a Cluster: its items, most typical
// first, and its most telling phrases.
func (s *space) describe(g []int32) Cluster {
	cent := s.centroid(g)
	type member struct {
		item int
		sim  float64
	}
	var members []member
	for _, d := range g {
		sim := dot(s.docs[d].vec, cent)
		for _, i := range s.docs[d].items {
			members = append(members, member{i, sim})
		}
	}
	// Most typical first: the most like the centroid. Items are sorted by
	// id, so ties go to the smaller id.
	slices.SortFunc(members, func(a, b member) int {
		return cmp.Or(cmp.Compare(b.sim, a.sim), cmp.Compare(a.item, b.item))
	})
	c := Cluster{Size: len(members), IDs: make([]string, len(members))}
	for k, m := range members {
		c.IDs[k] = s.items[m.item].ID
	}
	c.Phrases = s.phrases(g)
	return c
}

func dot(a, b vector) float64 {
	sum := 0.0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].term < b[j].term:
			i++
		case a[i].term > b[j].term:
			j++
		default:
			sum += a[i].w * b[j].w
			i++
			j++
		}
	}
	return sum
}

// phrases picks up to MaxPhrases terms that tell a group apart.
//
// A term's score is its weight summed over the group's items, times the
// share of its weight over all items that falls in the group: high for a
// term both common in the group and rare outside it ("halal"), low for one
// common everywhere ("food") or rare in the group. Only terms at least two
// items of the group hold count, so a phrase is typical of the group,
// not of one voice in it. A two-word phrase held by at least bigramCover
// of the items holding one of its words stands for that word and takes
// its place (and its score, if higher).
func (s *space) phrases(g []int32) []string {
	in := map[int32]float64{}
	held := map[int32]float64{}
	var order []int32
	size := 0.0
	for _, d := range g {
		doc := &s.docs[d]
		size += doc.mult
		for _, e := range doc.vec {
			if _, ok := in[e.term]; !ok {
				order = append(order, e.term)
			}
			in[e.term] += e.w * doc.mult
			held[e.term] += doc.mult
		}
	}
	slices.Sort(order)
	type cand struct {
		term  int32
		score float64
	}
	need := min(2.0, size)
	score := map[int32]float64{}
	var cands []cand
	for _, t := range order {
		if held[t] < need {
			continue
		}
		x := in[t] * in[t] / s.terms[t].total
		score[t] = x
		cands = append(cands, cand{t, x})
	}
	if len(cands) == 0 {
		// Every member holds a term held by no other: cannot happen for a
		// group of two or more alike, but a phrase is owed.
		for _, t := range order {
			cands = append(cands, cand{t, in[t] * in[t] / s.terms[t].total})
		}
	}
	covered := map[int32]bool{}
	for i, c := range cands {
		t := s.terms[c.term]
		if !t.bigram {
			continue
		}
		for _, p := range t.parts {
			if ps, ok := score[p]; ok && held[c.term] >= bigramCover*held[p] {
				covered[p] = true
				cands[i].score = max(cands[i].score, ps)
			}
		}
	}
	cands = slices.DeleteFunc(cands, func(c cand) bool { return covered[c.term] })
	slices.SortFunc(cands, func(a, b cand) int {
		// Stronger first; on a tie a phrase before a word, then by term
		// (its first use in id order), which is stable.
		ab, bb := s.terms[a.term].bigram, s.terms[b.term].bigram
		return cmp.Or(cmp.Compare(b.score, a.score), boolFirst(ab, bb), cmp.Compare(a.term, b.term))
	})
	var out []string
	for _, c := range cands {
		if len(out) == MaxPhrases {
			break
		}
		out = append(out, s.display(c.term, g))
	}
	return out
}

// boolFirst orders true before false.
func boolFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// display is how the group's items most often wrote a term: the stems
// are for matching ("hundr" for "hundred"), people read the words. Ties go to the
// text that sorts first.
func (s *space) display(t int32, g []int32) string {
	counts := map[string]int{}
	for _, d := range g {
		for _, i := range s.docs[d].items {
			for _, sf := range s.surf[i] {
				if sf.term == t {
					counts[sf.text] += sf.n
				}
			}
		}
	}
	best, bestN := "", 0
	for text, n := range counts {
		if n > bestN || (n == bestN && text < best) {
			best, bestN = text, n
		}
	}
	return best
}
