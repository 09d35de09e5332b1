package mongo_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
)

// codedSurvey stores the fixture survey, open and needing codes, with a
// batch of n codes, and returns it with the codes.
func codedSurvey(t *testing.T, db *mongo.DB, n int) (*surveys.Survey, []string, *surveys.Codes) {
	t.Helper()
	s := openSurvey(t, db)
	s.RequireCode = true // the store keeps it, but the committer only needs the hash
	codes := &surveys.Codes{Store: mongo.NewCodeStore(db), Surveys: mongo.NewSurveyStore(db), Now: time.Now}
	_, plain, err := codes.Generate(testCtx(t), s.Slug, n, "test batch")
	if err != nil {
		t.Fatal(err)
	}
	return s, plain, codes
}

func hash(s *surveys.Survey, code string) string { return surveys.HashCode(s.Slug, code) }

func problemOf(err error) string { return surveys.ErrorProblems(err)["code"].Code }

func TestCodeBatches(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s, plain, codes := codedSurvey(t, db, 30)
		cs := mongo.NewCodeStore(db)
		batches, err := cs.FindCodeBatches(ctx, s.Slug)
		if err != nil || len(batches) != 1 || batches[0].Count != 30 || batches[0].Spent != 0 || batches[0].Printed {
			t.Fatalf("batches %+v, err %v", batches, err)
		}
		id := batches[0].ID
		for _, code := range plain {
			if st, err := cs.CodeState(ctx, s.Slug, hash(s, code)); err != nil || st != surveys.CodeFree {
				t.Fatalf("code %s: %s %v", code, st, err)
			}
		}
		if _, err := cs.CodeState(ctx, "another-survey", hash(s, plain[0])); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("a code under another survey: %v", err)
		}

		b, printed, err := codes.Print(ctx, s.Slug, id)
		if err != nil || !b.Printed || fmt.Sprint(printed) != fmt.Sprint(plain) {
			t.Fatalf("print: %v; the printed codes differ from the generated ones: %v", err, printed)
		}
		if _, _, err := codes.Print(ctx, s.Slug, id); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("a second print: %v, want ECONFLICT", err)
		}
		if _, _, err := codes.Print(ctx, s.Slug, "no-such-batch"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
			t.Errorf("an unknown batch: %v", err)
		}
		stored, err := mongo.StoredBatch(ctx, db, id)
		if _, kept := stored["secret"]; err != nil || kept {
			t.Errorf("the batch keeps its secret after printing: %v", stored)
		}

		late := &surveys.Codes{Store: cs, Surveys: mongo.NewSurveyStore(db), Now: func() time.Time { return time.Now().Add(surveys.BatchPrintWindow + time.Minute) }}
		b2, _, err := codes.Generate(ctx, s.Slug, 2, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := late.Print(ctx, s.Slug, b2.ID); surveys.ErrorCode(err) != surveys.ECONFLICT {
			t.Errorf("printing after a day: %v, want ECONFLICT", err)
		}
		if stored, _ := mongo.StoredBatch(ctx, db, b2.ID); stored["secret"] != nil {
			t.Error("an expired batch keeps its secret")
		}
	})
}

func TestResponsesSpendCodes(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s, plain, _ := codedSurvey(t, db, 5)
		rs := newStore(t, db)
		cs := mongo.NewCodeStore(db)

		first := response(t, s, 1)
		if created, err := rs.CreateResponse(ctx, s, first, hash(s, plain[0])); err != nil || !created {
			t.Fatalf("with a fresh code: created=%v err=%v", created, err)
		}
		if err := rs.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := cs.CodeState(ctx, s.Slug, hash(s, plain[0])); st != surveys.CodeSpent {
			t.Errorf("the code is %s after its response was stored, want spent", st)
		}
		_, err := rs.CreateResponse(ctx, s, response(t, s, 2), hash(s, plain[0]))
		if surveys.ErrorCode(err) != surveys.ECONFLICT || problemOf(err) != surveys.ProblemCodeUsed {
			t.Errorf("a spent code again: %v, want code_used", err)
		}
		if created, err := rs.CreateResponse(ctx, s, response(t, s, 1), hash(s, plain[0])); err != nil || created {
			t.Errorf("a retry with the same code: created=%v err=%v, want already stored", created, err)
		}
		if created, err := rs.CreateResponse(ctx, s, response(t, s, 1), hash(s, plain[1])); err != nil || created {
			t.Errorf("a retry with another code: created=%v err=%v, want already stored", created, err)
		}
		if err := rs.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := cs.CodeState(ctx, s.Slug, hash(s, plain[1])); st != surveys.CodeFree {
			t.Errorf("a retry spent a second code: it is %s", st)
		}
		_, err = rs.CreateResponse(ctx, s, response(t, s, 3), surveys.HashCode(s.Slug, "ABCABCABC"))
		if surveys.ErrorCode(err) != surveys.EINVALID || problemOf(err) != surveys.ProblemCodeUnknown {
			t.Errorf("an unknown code: %v, want code_unknown", err)
		}
		tallies := assertTalliesMatchRecount(t, db, rs, s)
		if n := tallies[0].Slice(surveys.AllSlice).Responses; len(tallies) != 1 || n != 1 {
			t.Errorf("counted %d, want only the first response", n)
		}
	})
}

func TestOneCodeUnlocksOneResponse(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, db *mongo.DB) {
		ctx := testCtx(t)
		s, plain, _ := codedSurvey(t, db, 1)
		rs := newStore(t, db)
		const tries = 12
		var wg sync.WaitGroup
		var mu sync.Mutex
		var created, used int
		for i := range tries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := rs.CreateResponse(ctx, s, response(t, s, 10+i), hash(s, plain[0]))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && ok:
					created++
				case problemOf(err) == surveys.ProblemCodeUsed:
					used++
				default:
					t.Errorf("try %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if created != 1 || used != tries-1 {
			t.Errorf("%d stored and %d refused, want 1 and %d", created, used, tries-1)
		}
		total := 0
		for _, tl := range assertTalliesMatchRecount(t, db, rs, s) {
			total += tl.Slice(surveys.AllSlice).Responses
		}
		if total != 1 {
			t.Errorf("counted %d responses, want 1", total)
		}
	})
}

func TestNothingLinksACodeToItsResponse(t *testing.T) {
	t.Parallel()
	db := openEmbedded(t)
	ctx := testCtx(t)
	s, plain, _ := codedSurvey(t, db, 3)
	rs := newStore(t, db)
	r := response(t, s, 1)
	if _, err := rs.CreateResponse(ctx, s, r, hash(s, plain[0])); err != nil {
		t.Fatal(err)
	}
	if err := rs.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	code, err := mongo.StoredCode(ctx, db, hash(s, plain[0]))
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for k := range code {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	if fmt.Sprint(fields) != "[_id batch state survey]" || code["state"] != "spent" {
		t.Errorf("a spent code is stored as %v, want only _id, batch, state (spent) and survey", code)
	}
	resp, err := mongo.StoredResponse(ctx, db, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	codeHash := hash(s, plain[0])
	for k, v := range resp {
		if str, ok := v.(string); ok && (str == plain[0] || str == codeHash || str == code["batch"]) {
			t.Errorf("the response's %s holds the code, its hash or its batch", k)
		}
	}
	if n, err := mongo.PendingBatches(ctx, db); err != nil || n != 0 {
		t.Errorf("%d journal entries left (they name reserved codes), want 0", n)
	}
}

func TestRecoverSettlesReservedCodes(t *testing.T) {
	t.Parallel()
	for _, stored := range []bool{true, false} {
		t.Run(fmt.Sprintf("response stored %v", stored), func(t *testing.T) {
			t.Parallel()
			db := openEmbedded(t)
			ctx := testCtx(t)
			s, plain, _ := codedSurvey(t, db, 2)
			dead := mongo.NewInstanceID(time.Now())
			if err := mongo.SimulateCodedBatch(ctx, db, dead, 1, s, response(t, s, 1), hash(s, plain[0]), stored); err != nil {
				t.Fatal(err)
			}
			cs := mongo.NewCodeStore(db)
			if st, _ := cs.CodeState(ctx, s.Slug, hash(s, plain[0])); st != surveys.CodeReserved {
				t.Fatalf("before recovery the code is %s, want reserved", st)
			}
			if _, err := mongo.Recover(ctx, db, mongo.NewInstanceID(time.Now()), time.Now()); err != nil {
				t.Fatal(err)
			}
			want := surveys.CodeFree
			if stored {
				want = surveys.CodeSpent
			}
			if st, _ := cs.CodeState(ctx, s.Slug, hash(s, plain[0])); st != want {
				t.Errorf("after recovery the code is %s, want %s", st, want)
			}
			if code, _ := mongo.StoredCode(ctx, db, hash(s, plain[0])); code["journal"] != nil {
				t.Errorf("the code still names its journal entry: %v", code)
			}
		})
	}
}
