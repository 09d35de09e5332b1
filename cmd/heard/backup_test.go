package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heard-app/heard/secret"
	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/mongo/backup"
	"github.com/heard-app/heard/surveys/redact"
	"github.com/heard-app/heard/surveys/surveytest"
	"github.com/heard-app/heard/surveys/templates"
)

// runHere runs a heard command in this process, with settings from env.
func runHere(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(t.Context(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &out)
	return out.String(), err
}

// logoPNG is a small valid PNG for the council's logo.
func logoPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 8))
	for x := range 16 {
		img.Set(x, x%8, color.RGBA{R: 200, G: 30, B: 90, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// populateInstance fills the embedded database in dataDir with every kind
// of record, through the domain services as the server and the demo do,
// and returns the session token of a member of staff who logged in.
func populateInstance(t *testing.T, dataDir string, sealer surveys.Sealer) string {
	t.Helper()
	ctx := surveys.NewContextWithActor(t.Context(), surveys.ActorCommandLine)
	log := slog.New(slog.DiscardHandler)
	cfg, _, err := loadConfig(func(k string) string { return map[string]string{"HEARD_DATA_DIR": dataDir}[k] },
		flag.NewFlagSet("test", flag.ContinueOnError), nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := openStorage(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	responses, err := mongo.NewResponseStore(ctx, st.db, mongo.ResponseOptions{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	themes, err := loadThemes(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := mongo.EnsureVoiceDigests(ctx, st.db); err != nil {
		t.Fatal(err)
	}
	voices := &surveys.Voices{Store: mongo.NewVoiceStore(st.db), Themes: themes, Audit: st.audit, Now: time.Now}
	intake := &surveys.Intake{Surveys: st.surveys, Responses: responses, Now: time.Now, Coder: themes}
	catalog := &surveys.Catalog{Store: st.surveys, Audit: st.audit, Now: time.Now}
	settings := st.settings(cfg)
	councils := &surveys.Councils{Store: mongo.NewCouncilStore(st.db), Voices: voices.Store, Themes: themes, Settings: settings,
		Audit: st.audit, Now: time.Now, Catalog: catalog, Templates: templates.All, Redactor: redact.ForSchools}
	steps := []struct {
		name string
		do   func() error
	}{
		{"demo surveys and answers", func() error { return loadDemo(ctx, catalog, intake, st, log) }},
		{"demo actions", func() error { return loadDemoActions(ctx, st.actions(st.surveys, themes), st, log) }},
		{"demo MADE session", func() error {
			return loadDemoSessions(ctx, st.liveSessions(settings, st.surveys, themes), st, log)
		}},
		{"demo school councils", func() error { return loadDemoCouncils(ctx, councils, st, log) }},
		{"a worrying answer, flagged", func() error {
			def := surveytest.Definition(t)
			if _, err := catalog.Create(ctx, def); err != nil {
				return err
			}
			if _, err := catalog.SetStatus(ctx, def.Slug, surveys.StatusOpen); err != nil {
				return err
			}
			_, err := intake.Submit(ctx, def.Slug, surveys.Submission{ID: "00000000-0000-4000-8000-00000000b001", Version: "11-18", Lang: "en",
				Answers: map[string]json.RawMessage{"area": json.RawMessage(`"north"`), "feel_safe": json.RawMessage(`"never"`),
					"talk_to": json.RawMessage(`"no"`), "happy": json.RawMessage(`2`), "better": json.RawMessage(`"i want to kill myself"`)}})
			return err
		}},
		{"a request to talk", func() error {
			contacts := &surveys.Contacts{Store: mongo.NewContactStore(st.db), Surveys: st.surveys, Sealer: sealer, Audit: st.audit, Now: time.Now}
			_, err := contacts.Request(ctx, surveytest.Slug, surveys.ContactInput{Name: "Sam", Reach: "07700 900123", Message: "Please ring after school.", Lang: "en"})
			return err
		}},
		{"settings with a logo", func() error {
			s, err := settings.Current(ctx)
			if err != nil {
				return err
			}
			if s.Logo, err = surveys.CleanLogo(logoPNG(t)); err != nil {
				return err
			}
			_, err = settings.Save(ctx, s.Revision, s)
			return err
		}},
		{"access codes", func() error {
			codes := &surveys.Codes{Store: mongo.NewCodeStore(st.db), Surveys: st.surveys, Audit: st.audit, Now: time.Now}
			_, _, err := codes.Generate(ctx, "cared-for-2026", 5, "team north")
			return err
		}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	accounts := st.accounts(time.Hour)
	if _, err := accounts.CreateUser(ctx, "lead@council.example", surveys.RoleSafeguardingLead, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	token, _, _, err := accounts.Login(ctx, "lead@council.example", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if err := responses.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return token
}

// instanceView is what the domain reads from a database, to compare two.
type instanceView struct {
	Surveys   []*surveys.Survey
	Tallies   map[string][]*surveys.Tally
	Voices    []*surveys.Voice
	Flags     []*surveys.Flag
	Settings  *surveys.Settings
	Logo      *surveys.Logo
	Actions   []*surveys.Action
	Audit     []*surveys.AuditEntry
	Users     []*surveys.User
	Batches   []*surveys.CodeBatch
	Meetings  []*surveys.CouncilMeeting
	Sessions  []*surveys.LiveSession
	Contacts  []*surveys.ContactRequest
	Codebooks bool
}

// view reads everything through the stores of the database in dataDir.
func view(t *testing.T, dataDir string, sealer surveys.Sealer) *instanceView {
	t.Helper()
	ctx := t.Context()
	st, err := openStorage(ctx, &Config{DataDir: dataDir, DB: "heard"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	v := &instanceView{Tallies: map[string][]*surveys.Tally{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	v.Surveys, err = st.surveys.FindSurveys(ctx, surveys.SurveyFilter{})
	must(err)
	for _, s := range v.Surveys {
		v.Tallies[s.Slug], err = st.tallies.FindTallies(ctx, s)
		must(err)
	}
	v.Voices, err = mongo.NewVoiceStore(st.db).FindVoices(ctx, surveys.VoiceFilter{})
	must(err)
	v.Flags, err = mongo.NewFlagStore(st.db).FindFlags(ctx, surveys.FlagFilter{})
	must(err)
	v.Settings, err = mongo.NewSettingsStore(st.db).FindSettings(ctx)
	must(err)
	v.Logo = v.Settings.Logo
	v.Actions, err = mongo.NewActionStore(st.db).FindActions(ctx)
	must(err)
	v.Audit, err = mongo.NewAuditStore(st.db).FindAudit(ctx, surveys.AuditFilter{})
	must(err)
	v.Users, err = st.users.FindUsers(ctx)
	must(err)
	v.Batches, err = mongo.NewCodeStore(st.db).FindCodeBatches(ctx, "cared-for-2026")
	must(err)
	v.Meetings, err = mongo.NewCouncilStore(st.db).FindMeetings(ctx, surveys.CouncilFilter{})
	must(err)
	v.Sessions, err = mongo.NewLiveSessionStore(st.db).FindLiveSessions(ctx)
	must(err)
	contacts := &surveys.Contacts{Store: mongo.NewContactStore(st.db), Surveys: st.surveys, Sealer: sealer, Audit: st.audit, Now: time.Now}
	// Opening them needs a safeguarding lead, and the key they were sealed with.
	lead := surveys.NewContextWithUser(ctx, &surveys.User{Email: "lead@council.example", Role: surveys.RoleSafeguardingLead})
	v.Contacts, err = contacts.List(lead)
	must(err)
	return v
}

// archiveDocs checks an archive and returns its manifest and every
// document, as the line of canonical Extended JSON the archive holds, by
// collection and sorted: the same documents give the same lines.
func archiveDocs(t *testing.T, file string) (*backup.Manifest, map[string][]string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := backup.Verify(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	docs := map[string][]string{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return m, docs
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		col, ok := strings.CutPrefix(strings.TrimSuffix(hdr.Name, ".jsonl"), "collections/")
		if !ok || len(data) == 0 {
			continue
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		slices.Sort(lines)
		docs[col] = lines
	}
}

// A populated instance, backed up with `heard backup` and loaded into a
// fresh data directory with `heard restore`, holds every record equal: a
// backup of the restored instance holds the same documents, byte for
// byte, and what the domain reads (results, voices, flags, settings and
// logo, actions, audit log, people, codes, councils, sessions, requests
// to talk, opened with the same key) is the same. The staff member's
// session goes on working.
func TestBackupRestoreRoundTripOfAPopulatedInstance(t *testing.T) {
	t.Parallel()
	key, err := secret.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	src, dst, dir := t.TempDir(), t.TempDir(), t.TempDir()
	token := populateInstance(t, src, sealer)

	first := filepath.Join(dir, "first.tar.gz")
	out, err := runHere(t, map[string]string{"HEARD_DATA_DIR": src}, "backup", "--out", first)
	if err != nil || !strings.Contains(out, "the copy is consistent: the backup held the embedded database") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if info, err := os.Stat(first); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the archive: %v, mode %v; want readable by its owner only", err, info.Mode())
	}
	out, err = runHere(t, map[string]string{"HEARD_DATA_DIR": dst}, "restore", first)
	if err != nil || !strings.Contains(out, `restored into the database "heard"`) {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	second := filepath.Join(dir, "second.tar.gz")
	if out, err := runHere(t, map[string]string{"HEARD_DATA_DIR": dst}, "backup", "--out", second); err != nil {
		t.Fatalf("backup of the restored instance: %v\n%s", err, out)
	}
	if left, _ := os.ReadDir(dir); len(left) != 2 {
		t.Errorf("the backups left %d files beside the archives", len(left)-2)
	}

	m, want := archiveDocs(t, first)
	_, got := archiveDocs(t, second)
	for _, col := range []string{"surveys", "responses", "tallies", "voices", "voice_days", "flags", "actions", "settings", "audit_log",
		"users", "sessions", "access_codes", "code_batches", "live_sessions", "council_meetings", "contact_requests", "codebooks", "meta"} {
		if len(want[col]) == 0 {
			t.Errorf("the populated instance has no %s; the test should fill it", col)
		}
	}
	if len(m.Collections) < len(want) {
		t.Errorf("%d collections in the manifest, %d with documents", len(m.Collections), len(want))
	}
	for col, docs := range want {
		if !slices.Equal(got[col], docs) {
			t.Errorf("%s: %d documents after restore, %d before, or some differ", col, len(got[col]), len(docs))
		}
	}

	before, after := view(t, src, sealer), view(t, dst, sealer)
	if len(before.Flags) == 0 || len(before.Contacts) != 1 || before.Logo == nil || len(before.Meetings) == 0 ||
		len(before.Sessions) != 1 || len(before.Voices) == 0 || len(before.Audit) == 0 {
		t.Errorf("the populated instance lacks something: %d flags, %d contacts, logo %v, %d meetings, %d sessions, %d voices, %d audit entries",
			len(before.Flags), len(before.Contacts), before.Logo != nil, len(before.Meetings), len(before.Sessions), len(before.Voices), len(before.Audit))
	}
	if len(after.Contacts) != 1 || after.Contacts[0].Message != "Please ring after school." {
		t.Errorf("the request to talk does not open after restore: %+v", after.Contacts)
	}
	bv, av := reflect.ValueOf(before).Elem(), reflect.ValueOf(after).Elem()
	for i := range bv.NumField() {
		if !reflect.DeepEqual(bv.Field(i).Interface(), av.Field(i).Interface()) {
			t.Errorf("%s differ after restore", bv.Type().Field(i).Name)
		}
	}
	for slug, tallies := range before.Tallies {
		for i := range tallies {
			if !tallies[i].Equal(after.Tallies[slug][i]) {
				t.Errorf("results of %s %s differ after restore", slug, tallies[i].Version)
			}
		}
	}

	st, err := openStorage(t.Context(), &Config{DataDir: dst, DB: "heard"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if _, u, err := st.accounts(time.Hour).Authenticate(t.Context(), token); err != nil || u.Email != "lead@council.example" {
		t.Errorf("the session after restore: %v", err)
	}
}

// flipByte changes one byte in the middle of a file.
func flipByte(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The commands, as an operator runs them: the archive is readable by its
// owner only and never replaced without --force; --check verifies without
// a database; restore refuses a database with data (naming what it
// holds), and a damaged archive, changing nothing.
func TestBackupAndRestoreCommands(t *testing.T) {
	t.Parallel()
	dataDir, dir := t.TempDir(), t.TempDir()
	importFixture(t, dataDir)
	archive := filepath.Join(dir, "heard.tar.gz")

	out, code := runHeard(t, dataDir, "", "backup", "--out", archive)
	if code != 0 || !regexp.MustCompile(`\n  surveys\s+1\n`).MatchString(out) || !strings.Contains(out, "the copy is consistent") {
		t.Fatalf("backup: exit %d\n%s", code, out)
	}
	info, err := os.Stat(archive)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the archive: %v %v", err, info.Mode())
	}
	written, _ := os.ReadFile(archive)

	t.Run("an existing archive is kept without --force", func(t *testing.T) {
		out, code := runHeard(t, dataDir, "", "backup", "--out", archive)
		if code != 1 || !strings.Contains(out, "exists already; choose another name, or add --force") {
			t.Errorf("backup over an archive: exit %d\n%s", code, out)
		}
		if now, _ := os.ReadFile(archive); !bytes.Equal(now, written) {
			t.Error("the archive changed")
		}
	})
	t.Run("the archive checks out", func(t *testing.T) {
		out, code := runHeard(t, t.TempDir(), "", "restore", "--check", archive)
		if code != 0 || !strings.Contains(out, "the archive is sound") {
			t.Errorf("restore --check: exit %d\n%s", code, out)
		}
	})
	t.Run("a database with data is refused", func(t *testing.T) {
		out, code := runHeard(t, dataDir, "", "restore", archive)
		if code != 1 || !strings.Contains(out, `the database is not empty: "heard" already holds documents in`) || !strings.Contains(out, "surveys") {
			t.Errorf("restore into the populated instance: exit %d\n%s", code, out)
		}
	})
	t.Run("a damaged archive is refused and nothing written", func(t *testing.T) {
		damaged := filepath.Join(t.TempDir(), "damaged.tar.gz")
		if err := os.WriteFile(damaged, written, 0o600); err != nil {
			t.Fatal(err)
		}
		flipByte(t, damaged)
		if out, code := runHeard(t, t.TempDir(), "", "restore", "--check", damaged); code != 1 || !strings.Contains(out, "the archive is damaged or is not a Heard backup") {
			t.Errorf("restore --check of a damaged archive: exit %d\n%s", code, out)
		}
		fresh := t.TempDir()
		if out, code := runHeard(t, fresh, "", "restore", damaged); code != 1 || !strings.Contains(out, "the archive is damaged or is not a Heard backup") {
			t.Errorf("restore of a damaged archive: exit %d\n%s", code, out)
		}
		if out, _ := runHeard(t, fresh, "", "survey", "list"); strings.Contains(out, "test-wellbeing") {
			t.Errorf("the refused restore wrote:\n%s", out)
		}
	})
	t.Run("an empty database takes it", func(t *testing.T) {
		fresh := t.TempDir()
		if out, code := runHeard(t, fresh, "", "restore", archive); code != 0 {
			t.Fatalf("restore: exit %d\n%s", code, out)
		}
		if out, _ := runHeard(t, fresh, "", "survey", "list"); !strings.Contains(out, "test-wellbeing") {
			t.Errorf("after restore, survey list:\n%s", out)
		}
	})
	t.Run("--force replaces", func(t *testing.T) {
		if out, code := runHeard(t, dataDir, "", "backup", "--out", archive, "--force"); code != 0 {
			t.Errorf("backup --force: exit %d\n%s", code, out)
		}
		if info, err := os.Stat(archive); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("the replaced archive: %v", err)
		}
	})
	t.Run("a failed backup leaves nothing", func(t *testing.T) {
		missing := filepath.Join(dir, "no-such-dir", "heard.tar.gz")
		if out, code := runHeard(t, dataDir, "", "backup", "--out", missing); code != 1 {
			t.Errorf("backup into a missing directory: exit %d\n%s", code, out)
		}
		if left, _ := os.ReadDir(dir); len(left) != 1 {
			t.Errorf("%d files beside the archive", len(left)-1)
		}
	})
}

// Through `heard database`, the embedded database is shared and offers no
// snapshot: the backup runs and says plainly that it may be inconsistent.
func TestBackupWithoutSnapshotSaysSo(t *testing.T) {
	t.Parallel()
	db := startDatabase(t, t.TempDir())
	env := []string{"MONGODB_URI=" + db.URI}
	archive := filepath.Join(t.TempDir(), "heard.tar.gz")
	out, code := runWithEnv(t, baseEnv(t.TempDir(), env...), "", "backup", "--out", archive)
	if code != 0 || !strings.Contains(out, "the copy is NOT guaranteed consistent") || !strings.Contains(out, "stop Heard's servers during a backup") {
		t.Errorf("backup through heard database: exit %d\n%s", code, out)
	}
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if m, err := backup.Verify(f); err != nil || m.Consistency != backup.Unguarded {
		t.Errorf("the archive: %v %+v", err, m)
	}
}
