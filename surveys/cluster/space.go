package cluster

import (
	"encoding/binary"
	"math"
	"slices"
)

// entry is one term of a vector and its weight.
type entry struct {
	term int32
	w    float64
}

// vector is a sparse vector, sorted by term.
type vector []entry

func (v vector) normalise() {
	sum := 0.0
	for _, e := range v {
		sum += e.w * e.w
	}
	if sum == 0 {
		return
	}
	norm := math.Sqrt(sum)
	for i := range v {
		v[i].w /= norm
	}
}

// posting is one document (or centroid) holding a term, with the term's
// weight there.
type posting struct {
	doc int32
	w   float64
}

// term is a word stem or a pair of stems ("skate park").
type term struct {
	bigram bool
	parts  [2]int32 // a bigram's unigrams
	df     int      // items holding the term
	total  float64  // the term's weight summed over all items
}

// surface is how an item wrote a term, and how often.
type surface struct {
	term int32
	text string
	n    int
}

// doc is a distinct vector: items that read the same (the same terms, the
// same number of times) share one, so that a voice sent five hundred
// times costs as much as one.
type doc struct {
	items []int   // the items, in order of id
	mult  float64 // len(items)
	vec   vector
	pos   []int // pos[i] is where this doc is in the postings of vec[i].term
}

// space is the items as TF-IDF vectors of unigrams and bigrams.
//
// Why TF-IDF of unigrams and bigrams: comments are short, so a shared
// word is most of the evidence two are alike, and IDF makes a rare shared
// word ("halal") count for more than a common one ("food"). Bigrams add
// the little word order there is: "skate park" is a subject when "skate"
// and "park" alone are not. Term frequency is dampened (1 + ln n) so that
// a word said five times is not five times the evidence.
type space struct {
	items []Item
	surf  [][]surface // per item
	terms []term
	docs  []doc
	post  [][]posting // per term, in order of doc
}

func newSpace(items []Item) *space {
	s := &space{items: items, surf: make([][]surface, len(items))}
	raws := make([][]rawWord, len(items))
	for i, it := range items {
		raws[i] = split(it.Text)
	}
	rd := newReader(raws)
	ids := map[string]int32{}
	id := func(key string, bigram bool, parts [2]int32) int32 {
		t, ok := ids[key]
		if !ok {
			t = int32(len(s.terms))
			ids[key] = t
			s.terms = append(s.terms, term{bigram: bigram, parts: parts})
		}
		return t
	}
	counts := make([]vector, len(items)) // raw counts, sorted by term
	for i := range items {
		words := rd.words(raws[i])
		tf := map[int32]float64{}
		var surf []surface
		add := func(t int32, text string) {
			tf[t]++
			for k := range surf {
				if surf[k].term == t && surf[k].text == text {
					surf[k].n++
					return
				}
			}
			surf = append(surf, surface{term: t, text: text, n: 1})
		}
		prev := int32(-1)
		for k, w := range words {
			t := id(w.stem, false, [2]int32{})
			add(t, w.surface)
			if w.joined && prev >= 0 && words[k-1].stem != w.stem {
				b := id(words[k-1].stem+" "+w.stem, true, [2]int32{prev, t})
				add(b, words[k-1].surface+" "+w.surface)
			}
			prev = t
		}
		v := make(vector, 0, len(tf))
		for t, n := range tf {
			v = append(v, entry{term: t, w: n})
			s.terms[t].df++
		}
		slices.SortFunc(v, func(a, b entry) int { return int(a.term - b.term) })
		counts[i] = v
		s.surf[i] = surf
	}
	// Weigh, and merge items that read the same into one doc.
	n := float64(len(items))
	byKey := map[string]int{}
	var key []byte
	for i, v := range counts {
		if len(v) == 0 {
			continue
		}
		key = key[:0]
		for _, e := range v {
			key = binary.AppendUvarint(key, uint64(e.term))
			key = binary.AppendUvarint(key, uint64(e.w))
		}
		if d, ok := byKey[string(key)]; ok {
			s.docs[d].items = append(s.docs[d].items, i)
			s.docs[d].mult++
			continue
		}
		for k := range v {
			t := s.terms[v[k].term]
			idf := math.Log((1+n)/(1+float64(t.df))) + 1
			v[k].w = (1 + math.Log(v[k].w)) * idf
			if t.bigram {
				v[k].w *= bigramWeight
			}
			if t.df == 1 {
				v[k].w *= hapaxWeight
			}
		}
		v.normalise()
		byKey[string(key)] = len(s.docs)
		s.docs = append(s.docs, doc{items: []int{i}, mult: 1, vec: v})
	}
	s.post = make([][]posting, len(s.terms))
	for d := range s.docs {
		doc := &s.docs[d]
		doc.pos = make([]int, len(doc.vec))
		for k, e := range doc.vec {
			doc.pos[k] = len(s.post[e.term])
			s.post[e.term] = append(s.post[e.term], posting{doc: int32(d), w: e.w})
			s.terms[e.term].total += e.w * doc.mult
		}
	}
	return s
}

// Weights beside TF-IDF, chosen on the made-up groups of the tests and
// on the labelled development comments (testdata/labels), where they gave
// the purest clusters for the most voices grouped.
const (
	// bigramWeight: a shared two-word phrase means its two words are
	// shared too; at full weight it would count three times.
	bigramWeight = 0.5
	// hapaxWeight: a term only one item holds cannot make two items
	// alike, and in short comments most terms are such. At full weight
	// (and the highest IDF) they drown the one word two comments share;
	// at none, a comment sharing one common word and saying much else
	// would look like it is about that word only.
	hapaxWeight = 0.5
)

// rower holds one row of similarities: acc[j] for every touched doc j.
type rower struct {
	acc     []float64
	touched []int32
}

func (s *space) newRower() *rower {
	return &rower{acc: make([]float64, len(s.docs))}
}

func (r *rower) reset() {
	for _, j := range r.touched {
		r.acc[j] = 0
	}
	r.touched = r.touched[:0]
}

// row computes the cosine similarity of doc d to every other doc that
// shares a term with it, through the postings, so the cost is the
// postings read rather than every pair. Every similarity is summed over
// the shared terms in order of term, so sim(a, b) and sim(b, a) are the
// same to the last bit and every threshold test agrees with itself.
func (s *space) row(d int32, r *rower) {
	for _, e := range s.docs[d].vec {
		for _, p := range s.post[e.term] {
			if p.doc != d {
				r.add(p.doc, e.w*p.w)
			}
		}
	}
}

// rowAfter is row for the docs after d only: one pass over all rowAfter
// visits every pair once.
func (s *space) rowAfter(d int32, r *rower) {
	doc := &s.docs[d]
	for k, e := range doc.vec {
		for _, p := range s.post[e.term][doc.pos[k]+1:] {
			r.add(p.doc, e.w*p.w)
		}
	}
}

func (r *rower) add(j int32, x float64) {
	if r.acc[j] == 0 {
		r.touched = append(r.touched, j)
	}
	r.acc[j] += x
}
