package redact_test

import (
	"strings"
	"testing"
)

// Comments of typical lengths: a one-liner (53 bytes), a paragraph (384
// bytes), and the longest a survey accepts (4,000 characters).
var benchComments = map[string]string{
	"short": "my sw Sarah never rings me back and I live in L36 now",
	"paragraph": "I like my foster carers, Rose and Mark are kind and they help me with homework. " +
		"My social worker Will said I could see my brother more but it hasn't happened. " +
		"I go to Halewood Academy and Miss Hughes is the best teacher. There is nothing " +
		"to do in Kirkby after 6 and the bus costs £2. Ring me on 07700 900123 or email " +
		"jo.bloggs@gmail.com if you want. I will keep going to MADE in May.",
}

func init() {
	benchComments["longest"] = strings.Repeat(benchComments["paragraph"]+" ", 11)[:4000]
}

func BenchmarkRedact(b *testing.B) {
	r := newCouncil(b)
	for _, name := range []string{"short", "paragraph", "longest"} {
		text := benchComments[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				r.Redact(text)
			}
		})
	}
}
