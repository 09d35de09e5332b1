package redact

import "sort"

// A later pass runs over Redact's own output, where placeholders stand in
// for what was replaced. mapBack turns what it finds into offsets in the
// original text, and merge folds it in, so that one call to Redact is
// already a fixed point.

// mapBack converts spans found in out (= apply(text, spans)) to offsets in
// text. A span that touches a placeholder is widened to cover all of the
// text that the placeholder replaced.
func mapBack(text string, spans, found []span) []span {
	// outStart[i] is where spans[i]'s placeholder begins in out.
	outStart := make([]int, len(spans))
	shift := 0 // len(out) - len(text) up to the current span
	for i, s := range spans {
		outStart[i] = s.start + shift
		shift += len(placeholders[s.kind]) - (s.end - s.start)
	}
	toText := func(p int, isEnd bool) int {
		// spans[k-1] is the last placeholder that starts at or before p
		// (strictly before, for an end).
		k := sort.Search(len(spans), func(i int) bool {
			return outStart[i] > p || (isEnd && outStart[i] == p)
		})
		if k == 0 {
			return p
		}
		s := spans[k-1]
		phEnd := outStart[k-1] + len(placeholders[s.kind])
		switch {
		case p >= phEnd:
			return s.end + (p - phEnd)
		case isEnd:
			return s.end
		default:
			return s.start
		}
	}
	mapped := make([]span, 0, len(found))
	for _, f := range found {
		start, end := toText(f.start, false), toText(f.end, true)
		if start < end && end <= len(text) {
			mapped = append(mapped, span{kind: f.kind, start: start, end: end, rank: f.rank})
		}
	}
	return mapped
}

// merge adds found to spans. Where they overlap, the two become one span
// with the kind of the first, so that replacements never overlap.
func merge(spans, found []span) []span {
	all := append(append([]span(nil), spans...), found...)
	sortByStart(all)
	out := all[:0]
	for _, s := range all {
		if n := len(out); n > 0 && s.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}
