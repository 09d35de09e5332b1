// Package cluster finds emerging themes: it groups voices that fit no
// theme of the codebook by how alike their words are, so that an analyst
// can name a new theme or fold a group into an existing one.
//
// Group reads each text as the coder does, in its own small way: lower
// case, accents folded, punctuation and emoji dropped, text-speak read as
// the words it stands for ("sw" is "social worker"), stop words dropped
// and plurals, -ed and -ing stemmed. Each text becomes a TF-IDF vector of
// its words and two-word phrases; texts are compared by cosine
// similarity, grouped by Butina's leader clustering and refined by a few
// rounds of relocation to the nearest group centroid (see space.cluster).
// Each group is described by the words and phrases most typical of it and
// least typical of the rest.
//
// Everything is deterministic: the same items, in any order, give the same
// clusters. Nothing is random and no map's order decides anything.
//
// Limits: at most MaxItems items (the first by id) and MaxTextLen runes of
// each text are read. Cost grows with the pairs of items that share a
// word, not with all pairs: 2000 comments take about 32 ms on one core
// (BenchmarkGroup), MaxItems about 120 ms.
// The stop words, text-speak and stemming are English; other languages'
// words are still compared, as written (lower case, accents folded).
//
// The package is pure: standard library only, no I/O.
package cluster
