package frontend

import (
	"testing"

	"github.com/valyala/fasthttp"
)

// FuzzDecodeLiveForm feeds the phone's form decoder any body: it never
// panics, and what it accepts stays within the form's limits.
func FuzzDecodeLiveForm(f *testing.F) {
	for _, seed := range []string{
		"id=v1&kind=vote&activity=poll&choice=0&choice=2",
		"id=r1&kind=rate&activity=charter&statements=3&face.0=5&face.1=0&face.2=2",
		"id=p1&kind=post&activity=board&column=1&text=More+trips",
		"id=w1&kind=words&activity=cloud&word=safe&word=&word=happy",
		"id=d1&kind=dots&activity=dots&dots_key=0&dots.0=2&dots_key=abc&dots.abc=1",
		"id=l1&kind=like&activity=board&target=p1&on=1",
		"kind=rate&statements=99999999999999999999",
		"choice=x&column=-1&dots_key=a&dots.a=%FF",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var args fasthttp.Args
		args.Parse(body)
		ev, err := decodeLiveForm(args.Peek, args.PeekMulti)
		if err != nil {
			return
		}
		if len(ev.Choices) > maxLiveFormFields+20 || len(ev.Words) > maxLiveFormFields || len(ev.Dots) > maxLiveFormFields {
			t.Fatalf("decoded beyond the form's limits: %d choices, %d words, %d dots", len(ev.Choices), len(ev.Words), len(ev.Dots))
		}
		for k, n := range ev.Dots {
			if n == 0 || k == "" && n == 0 {
				t.Fatalf("a zero dot kept for %q", k)
			}
		}
	})
}
