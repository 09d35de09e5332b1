package coder

import (
	"testing"
)

// BenchmarkCode codes a realistic mix of voices (the labelled development
// comments, cycled) and reports voices coded per second.
func BenchmarkCode(b *testing.B) {
	comments := readLabelled(b, "../../testdata/labels/dev.jsonl")
	texts := make([]string, len(comments))
	for i, l := range comments {
		texts[i] = l.Text
	}
	c := newDefault(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Code(texts[i%len(texts)], "en")
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "voices/s")
}

// BenchmarkNew measures compiling the default codebook.
func BenchmarkNew(b *testing.B) {
	cb := DefaultCodebook()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := New(cb); err != nil {
			b.Fatal(err)
		}
	}
}
