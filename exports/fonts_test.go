package exports

import (
	"bytes"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
)

// TestFontsSafeConcurrently makes the same cards in several goroutines at
// once, as several staff printing at the same moment would. Every PDF must
// come out the same, and the embedded font files must be unchanged after:
// gofpdf writes into the font bytes it is given, so sharing them raced.
func TestFontsSafeConcurrently(t *testing.T) {
	t.Parallel()
	fonts := map[string][]byte{"sans": fontSans, "sans bold": fontSansBold, "mono bold": fontMonoBold}
	before := make(map[string][32]byte, len(fonts))
	for name, b := range fonts {
		before[name] = sha256.Sum256(b)
	}
	c := CodeCards{
		Council:     "Knowsley Council",
		SurveyTitle: "Twoje życie w opiece 2026 استطلاع",
		Codes:       surveys.CodesFromSecret([]byte("concurrent"), 9),
		Link:        func(code string) string { return "https://heard.example/s/x?code=" + code },
		Address:     "heard.example/s/x",
		Created:     time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
	}
	const workers = 6
	outputs := make([][]byte, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			var buf bytes.Buffer
			errs[i] = WriteCodeCards(&buf, c)
			outputs[i] = buf.Bytes()
		})
	}
	wg.Wait()
	for i := range workers {
		if errs[i] != nil {
			t.Fatalf("worker %d: %v", i, errs[i])
		}
		if !bytes.Equal(outputs[i], outputs[0]) {
			t.Errorf("worker %d made a different PDF from worker 0", i)
		}
	}
	for name, b := range fonts {
		if sha256.Sum256(b) != before[name] {
			t.Errorf("the embedded %s font changed while making PDFs", name)
		}
	}
}
