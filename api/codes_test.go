package api_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-app/heard/surveys"
)

// codedSurvey adds the fixture survey, open and needing a code.
func (h *harness) codedSurvey() *surveys.Survey {
	h.t.Helper()
	d := surveytestDefinition(h.t)
	d.Slug, d.RequireCode = "coded-survey", true
	ctx := context.Background()
	if _, err := h.catalog.Create(ctx, d); err != nil {
		h.t.Fatal(err)
	}
	s, err := h.catalog.SetStatus(ctx, d.Slug, surveys.StatusOpen)
	if err != nil {
		h.t.Fatal(err)
	}
	return s
}

// makeCodes makes a batch through the API and prints it, returning the codes
// read back from the PDF.
func (h *harness) makeCodes(as *staff, slug string, n int) []string {
	h.t.Helper()
	res := h.do(request{method: "POST", path: "/api/v1/surveys/" + slug + "/codes", json: map[string]any{"count": n, "label": "team north"}, as: as})
	if res.status != 201 {
		h.t.Fatalf("make codes: %d %s", res.status, res.body)
	}
	var made struct {
		Batch surveys.CodeBatch `json:"batch"`
		PDF   string            `json:"pdf"`
	}
	res.decode(h.t, &made)
	pdf := h.do(request{method: "GET", path: made.PDF, as: as})
	if pdf.status != 200 || pdf.headers.Get("Content-Type") != "application/pdf" {
		h.t.Fatalf("cards: %d %s", pdf.status, pdf.headers.Get("Content-Type"))
	}
	if again := h.do(request{method: "GET", path: made.PDF, as: as}); again.status != 409 {
		h.t.Errorf("cards printed twice: %d, want 409", again.status)
	}
	return codesInPDF(h.t, pdf.body, n)
}

// codesInPDF reads the formatted codes back out of a PDF of cards.
func codesInPDF(t *testing.T, pdf []byte, n int) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cards.pdf")
	if err := writeBytes(path, pdf); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (Debian package poppler-utils): %v", err)
	}
	var codes []string
	for _, word := range strings.Fields(string(out)) {
		if c, ok := surveys.NormalizeCode(word); ok && len(word) == surveys.CodeLength+2 {
			codes = append(codes, c)
		}
	}
	if len(codes) != n {
		t.Fatalf("found %d codes in the cards, want %d:\n%s", len(codes), n, out)
	}
	return codes
}

func TestAccessCodes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.codedSurvey()
	analyst := h.signIn(surveys.RoleAnalyst)
	codes := h.makeCodes(&analyst, s.Slug, 3)

	respond := func(id int, code string) response {
		body := submission(id, validAnswers())
		if code != "" {
			body["code"] = code
		}
		return h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: body})
	}
	check := func(code string) response {
		return h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/codes/check", json: map[string]string{"code": code}})
	}
	problem := func(res response) string {
		var body struct {
			Problems map[string]surveys.Problem `json:"problems"`
		}
		res.decode(t, &body)
		return body.Problems["code"].Code
	}

	if res := check(surveys.FormatCode(codes[0])); res.status != 200 {
		t.Errorf("check a fresh code: %d %s", res.status, res.body)
	}
	if res := respond(1, ""); res.status != 422 || problem(res) != surveys.ProblemCodeMissing {
		t.Errorf("no code: %d %s", res.status, res.body)
	}
	if res := respond(1, strings.ToLower(codes[0])); res.status != 201 {
		t.Fatalf("a fresh code, typed in lower case: %d %s", res.status, res.body)
	}
	if res := respond(1, codes[0]); res.status != 200 {
		t.Errorf("the device's retry: %d %s, want 200", res.status, res.body)
	}
	if res := respond(2, codes[0]); res.status != 409 || problem(res) != surveys.ProblemCodeUsed {
		t.Errorf("a used code for another response: %d %s", res.status, res.body)
	}
	if res := check(codes[0]); res.status != 409 || problem(res) != surveys.ProblemCodeUsed {
		t.Errorf("check a used code: %d %s", res.status, res.body)
	}
	if res := respond(3, "ABC-ABC-ABC"); res.status != 422 || problem(res) != surveys.ProblemCodeUnknown {
		t.Errorf("an unknown code: %d %s", res.status, res.body)
	}

	list := h.do(request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/codes", as: &analyst})
	var batches struct {
		Batches []surveys.CodeBatch `json:"batches"`
	}
	list.decode(t, &batches)
	if list.status != 200 || len(batches.Batches) != 1 || batches.Batches[0].Spent != 1 || batches.Batches[0].Count != 3 || !batches.Batches[0].Printed {
		t.Errorf("batches: %d %s", list.status, list.body)
	}
	if n := h.countResponses(s); n != 1 {
		t.Errorf("counted %d responses, want 1", n)
	}
}

func TestWrongCodesAreLimitedPerClient(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.codedSurvey()
	analyst := h.signIn(surveys.RoleAnalyst)
	codes := h.makeCodes(&analyst, s.Slug, 1)
	path := "/api/v1/surveys/" + s.Slug + "/codes/check"
	for i := range 10 {
		if res := h.do(request{method: "POST", path: path, json: map[string]string{"code": "ABC-ABC-AB" + string(surveys.CodeAlphabet[i])}}); res.status != 422 {
			t.Fatalf("wrong code %d: %d", i+1, res.status)
		}
	}
	res := h.do(request{method: "POST", path: path, json: map[string]string{"code": codes[0]}})
	if res.status != 429 || res.headers.Get("Retry-After") == "" {
		t.Errorf("a right code after 10 wrong ones: %d, want 429 with Retry-After", res.status)
	}
	body := submission(1, validAnswers())
	body["code"] = codes[0]
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/responses", json: body}); res.status != 429 {
		t.Errorf("a submission with a code from a blocked client: %d, want 429", res.status)
	}
	if strings.Contains(h.logs.String(), "0.0.0.0") {
		t.Error("the log carries the client's address")
	}
}

func TestMakingCodesNeedsAManager(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	s := h.codedSurvey()
	board := h.signIn(surveys.RoleBoard)
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/codes", json: map[string]any{"count": 5}, as: &board}); res.status != 403 {
		t.Errorf("board makes codes: %d, want 403", res.status)
	}
	analyst := h.signIn(surveys.RoleAnalyst)
	for _, bad := range []map[string]any{{"count": 0}, {"count": surveys.MaxCodesPerBatch + 1}, {"count": 5, "label": strings.Repeat("x", 101)}} {
		if res := h.do(request{method: "POST", path: "/api/v1/surveys/" + s.Slug + "/codes", json: bad, as: &analyst}); res.status != 422 {
			t.Errorf("batch %v: %d %s, want 422", bad, res.status, res.body)
		}
	}
	if res := h.do(request{method: "POST", path: "/api/v1/surveys/no-such/codes", json: map[string]any{"count": 5}, as: &analyst}); res.status != 404 {
		t.Errorf("codes for an unknown survey: %d, want 404", res.status)
	}
	if res := h.do(request{method: "GET", path: "/api/v1/surveys/" + s.Slug + "/codes/0123456789abcdef.pdf", as: &analyst}); res.status != 404 {
		t.Errorf("cards of an unknown batch: %d, want 404", res.status)
	}
}
