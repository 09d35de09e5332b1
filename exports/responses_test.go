package exports_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/heard-app/heard/exports"
	"github.com/heard-app/heard/surveys"
)

// inBatches serves the responses as ResponseBatches, size at a time.
func inBatches(rs []*surveys.Response, size int) exports.ResponseBatches {
	return func(each func([]*surveys.Response) error) error {
		for len(rs) > 0 {
			n := min(size, len(rs))
			if err := each(slices.Clone(rs[:n])); err != nil {
				return err
			}
			rs = rs[n:]
		}
		return nil
	}
}

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatalf("parse CSV: %v\n%s", err, data)
	}
	return records
}

// exportResponses are three responses, given in the order they "arrived".
func exportResponses() []*surveys.Response {
	return []*surveys.Response{
		{ID: "c0000000-0000-4000-8000-000000000003", Version: "11-18", Lang: "pl", Day: "2026-11-22", Answers: map[string]surveys.Answer{
			"area": {Choice: "south"}, "feel_safe": {Choice: "sometimes"}, "why_unsafe": {Choices: []string{"home", "online"}},
			"happy": {Number: 0}, "talk_to": {Choice: "yes"}, "talk_who": {Text: "=HYPERLINK(\"https://evil.example\")"},
			"better": {Text: "more trips,\n\"and\" clubs"}}},
		{ID: "a0000000-0000-4000-8000-000000000001", Version: "8-11", Lang: "en", Day: "2026-11-23", Answers: map[string]surveys.Answer{
			"area": {Choice: "north"}, "feel_safe": {Choice: "always"}, "happy": {Number: 10}, "better": {Text: "-1 for school"}}},
		{ID: "b0000000-0000-4000-8000-000000000002", Version: "11-18", Lang: "en", Day: "2026-11-23", Answers: map[string]surveys.Answer{
			"talk_to": {Choice: "no"}, "better": {Text: "@everyone\tlisten"}}},
	}
}

func TestWriteResponses(t *testing.T) {
	t.Parallel()
	s := fixtureSurvey(t)
	written := func(_ *surveys.Response, _ *surveys.Question, a surveys.Answer) string { return a.Text }
	cases := []struct {
		name   string
		text   exports.TextCell
		header []string
		rows   [][]string
	}{
		{
			name:   "without text",
			header: []string{"response_id", "version", "language", "day", "area", "feel_safe", "why_unsafe", "happy", "talk_to"},
			rows: [][]string{
				{"a0000000-0000-4000-8000-000000000001", "8-11", "en", "2026-11-23", "north", "always", "", "10", ""},
				{"c0000000-0000-4000-8000-000000000003", "11-18", "pl", "2026-11-22", "south", "sometimes", "home;online", "0", "yes"},
				{"b0000000-0000-4000-8000-000000000002", "11-18", "en", "2026-11-23", "", "", "", "", "no"},
			},
		},
		{
			name:   "with text",
			text:   written,
			header: []string{"response_id", "version", "language", "day", "area", "feel_safe", "why_unsafe", "happy", "better", "talk_to", "talk_who"},
			rows: [][]string{
				{"a0000000-0000-4000-8000-000000000001", "8-11", "en", "2026-11-23", "north", "always", "", "10", "'-1 for school", "", ""},
				{"c0000000-0000-4000-8000-000000000003", "11-18", "pl", "2026-11-22", "south", "sometimes", "home;online", "0",
					"more trips,\n\"and\" clubs", "yes", "'=HYPERLINK(\"https://evil.example\")"},
				{"b0000000-0000-4000-8000-000000000002", "11-18", "en", "2026-11-23", "", "", "", "", "'@everyone\tlisten", "no", ""},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			// Batches of two: the first two rows are sorted by id, the
			// third comes after them.
			if err := exports.WriteResponses(&buf, s, tc.text, inBatches(exportResponses(), 2)); err != nil {
				t.Fatal(err)
			}
			records := readCSV(t, buf.Bytes())
			if !slices.Equal(records[0], tc.header) {
				t.Errorf("header %q, want %q", records[0], tc.header)
			}
			if len(records)-1 != len(tc.rows) {
				t.Fatalf("%d rows, want %d", len(records)-1, len(tc.rows))
			}
			for i, want := range tc.rows {
				if !slices.Equal(records[i+1], want) {
					t.Errorf("row %d:\n got %q\nwant %q", i+1, records[i+1], want)
				}
			}
		})
	}
}

func TestWriteResponsesFailures(t *testing.T) {
	t.Parallel()
	s := fixtureSurvey(t)
	broken := errors.New("the database went away")
	cases := []struct {
		name string
		w    func() *failingWriter
		read exports.ResponseBatches
	}{
		{"reading fails", func() *failingWriter { return &failingWriter{after: 1 << 20} },
			func(each func([]*surveys.Response) error) error {
				if err := each(exportResponses()[:1]); err != nil {
					return err
				}
				return broken
			}},
		{"writing fails", func() *failingWriter { return &failingWriter{after: 10} }, inBatches(exportResponses(), 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := tc.w()
			err := exports.WriteResponses(w, s, nil, tc.read)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.name == "reading fails" && !errors.Is(err, broken) {
				t.Errorf("error %v does not wrap the reader's", err)
			}
		})
	}
}

// failingWriter fails once more than after bytes are written.
type failingWriter struct {
	after int
	n     int
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.after {
		return 0, errors.New("the client went away")
	}
	w.n += len(p)
	return len(p), nil
}

func TestWriteDictionary(t *testing.T) {
	t.Parallel()
	s := fixtureSurvey(t)
	// The 8-11s are asked in simpler words, and see a simpler label.
	young := s.Version("8-11")
	young.Question("feel_safe").Text = surveys.Text{"en": "Do you feel safe at home?"}
	young.Question("area").Choices[2].Label = surveys.Text{"en": "=South"}
	var buf bytes.Buffer
	if err := exports.WriteDictionary(&buf, s); err != nil {
		t.Fatal(err)
	}
	records := readCSV(t, buf.Bytes())
	if want := []string{"column", "choice", "type", "versions", "section", "text", "min", "max"}; !slices.Equal(records[0], want) {
		t.Fatalf("header %q", records[0])
	}
	has := func(want ...string) {
		t.Helper()
		for _, r := range records {
			if slices.Equal(r, want) {
				return
			}
		}
		t.Errorf("no row %q", want)
	}
	has("response_id", "", "response", "8-11;11-18", "", "The response's id: a random UUID made by the young person's device. It names no one.", "", "")
	has("version", "8-11", "response", "8-11", "", "Ages 8 to 11", "", "")
	has("version", "11-18", "response", "11-18", "", "Ages 11 to 18", "", "")
	has("area", "", "single_choice", "8-11;11-18", "about", "Which part of the borough do you live in?", "", "")
	has("area", "north", "single_choice", "8-11;11-18", "about", "North", "", "")
	has("area", "south", "single_choice", "8-11", "about", "'=South", "", "")
	has("area", "south", "single_choice", "11-18", "about", "South", "", "")
	has("feel_safe", "", "scale", "8-11", "safety", "Do you feel safe at home?", "", "")
	has("feel_safe", "", "scale", "11-18", "safety", "Do you feel safe where you live?", "", "")
	has("why_unsafe", "out", "multi_choice", "8-11;11-18", "safety", "Out and about", "", "")
	has("happy", "", "rating", "8-11;11-18", "about", "How happy were you yesterday?", "0", "10")
	has("talk_to", "", "single_choice", "11-18", "safety", "Is there an adult you can talk to when you are worried?", "", "")
	has("talk_to", "yes", "single_choice", "11-18", "safety", "Yes", "", "")
	has("talk_who", "", "text", "11-18", "words", "Who do you talk to?", "", "")
	// Every question key and choice key appears, and every column of the
	// responses export is described.
	described := map[string]bool{}
	for _, r := range records[1:] {
		described[r[0]+"/"+r[1]] = true
	}
	for _, v := range s.Versions {
		for _, q := range v.Questions {
			if !described[q.Key+"/"] {
				t.Errorf("question %s is not described", q.Key)
			}
			for _, c := range q.Choices {
				if !described[q.Key+"/"+c.Key] {
					t.Errorf("choice %s/%s is not described", q.Key, c.Key)
				}
			}
		}
	}
	for _, col := range []string{"response_id", "version", "language", "day"} {
		if !described[col+"/"] {
			t.Errorf("column %s is not described", col)
		}
	}
	for _, r := range records {
		for _, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
}
