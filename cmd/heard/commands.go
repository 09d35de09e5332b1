package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/heard-app/heard/surveys"
	"github.com/heard-app/heard/surveys/mongo"
	"github.com/heard-app/heard/surveys/templates"
)

// withStorage opens the database for a command and closes it after.
func withStorage(ctx context.Context, e *env, f func(st *storage) error) error {
	st, err := openStorage(ctx, e.cfg, e.log)
	if err != nil {
		return err
	}
	defer st.close()
	return f(st)
}

type userAddOptions struct{ email, role string }

func userAddFlags(fs *flag.FlagSet) any {
	o := &userAddOptions{}
	fs.StringVar(&o.email, "email", "", "the person's email address")
	fs.StringVar(&o.role, "role", "", "one of admin, analyst, facilitator, school_lead, safeguarding_lead, board")
	return o
}

// runUserAdd creates a staff account. The password is read from standard
// input: typed twice without echo at a terminal, or one line from a pipe.
func runUserAdd(ctx context.Context, e *env, opts any) error {
	o := opts.(*userAddOptions)
	if o.email == "" || o.role == "" {
		return errors.New("user add needs --email and --role")
	}
	if !surveys.Role(o.role).Valid() {
		return fmt.Errorf("--role %q is not a role; use admin, analyst, facilitator, school_lead, safeguarding_lead or board", o.role)
	}
	pw, err := readPassword(e.stdin, e.stdout)
	if err != nil {
		return err
	}
	return withStorage(ctx, e, func(st *storage) error {
		u, err := st.accounts(e.cfg.SessionIdle).CreateUser(ctx, o.email, surveys.Role(o.role), pw)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(e.stdout, "created %s (%s)\n", u.Email, u.Role)
		return nil
	})
}

// readPassword reads a new password.
func readPassword(in io.Reader, out io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(out, "Password (at least %d characters): ", surveys.MinPasswordLength)
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(out, "The same password again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(out)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(io.LimitReader(in, surveys.MaxPasswordLength+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

type importOptions struct{ open bool }

func importFlags(fs *flag.FlagSet) any {
	o := &importOptions{}
	fs.BoolVar(&o.open, "open", false, "open the survey for answers at once")
	return o
}

// runSurveyImport imports a definition file.
func runSurveyImport(ctx context.Context, e *env, opts any) error {
	o := opts.(*importOptions)
	if len(e.args) != 1 {
		return errors.New("survey import needs one FILE")
	}
	data, err := readLimited(e.args[0], surveys.MaxDefinitionBytes)
	if err != nil {
		return err
	}
	def, err := surveys.ParseDefinition(data)
	if err != nil {
		return describe(err)
	}
	return withStorage(ctx, e, func(st *storage) error {
		catalog := &surveys.Catalog{Store: st.surveys, Audit: st.audit, Now: time.Now}
		s, err := catalog.Create(ctx, def)
		if err != nil {
			return describe(err)
		}
		if o.open {
			if s, err = catalog.SetStatus(ctx, s.Slug, surveys.StatusOpen); err != nil {
				return describe(err)
			}
		}
		fmt.Fprintf(e.stdout, "imported %s (edition %d, %d versions), %s\n", s.Slug, s.Edition, len(s.Versions), s.Status)
		return nil
	})
}

// readLimited reads a file of at most limit bytes.
func readLimited(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return data, nil
}

func runSurveyList(ctx context.Context, e *env, _ any) error {
	return withStorage(ctx, e, func(st *storage) error {
		list, err := st.surveys.FindSurveys(ctx, surveys.SurveyFilter{})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SLUG\tEDITION\tSTATUS\tVERSIONS\tTITLE")
		for _, s := range list {
			keys := make([]string, len(s.Versions))
			for i, v := range s.Versions {
				keys[i] = v.Key
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", s.Slug, s.Edition, s.Status, strings.Join(keys, ","), s.Title.In("en"))
		}
		return tw.Flush()
	})
}

func runSurveyTemplate(_ context.Context, e *env, _ any) error {
	if len(e.args) != 1 {
		return errors.New("survey template needs one SLUG: cared-for-2026, care-leavers-2026 or school-council-2026")
	}
	data, err := templates.Raw(e.args[0])
	if err != nil {
		return describe(err)
	}
	_, err = e.stdout.Write(data)
	return err
}

type surveyOption struct{ slug string }

func surveyFlag(fs *flag.FlagSet) any {
	o := &surveyOption{}
	fs.StringVar(&o.slug, "survey", "", "only this survey (default: every survey)")
	return o
}

// surveysFor returns the one survey asked for, or all.
func surveysFor(ctx context.Context, st *storage, slug string) ([]*surveys.Survey, error) {
	if slug != "" {
		s, err := st.surveys.FindSurvey(ctx, slug)
		if err != nil {
			return nil, describe(err)
		}
		return []*surveys.Survey{s}, nil
	}
	return st.surveys.FindSurveys(ctx, surveys.SurveyFilter{})
}

// runTallyRebuild recounts tallies. Unfinished batches are settled first,
// or they would be counted again on top of the recount.
func runTallyRebuild(ctx context.Context, e *env, opts any) error {
	o := opts.(*surveyOption)
	return withStorage(ctx, e, func(st *storage) error {
		if !st.exclusive {
			fmt.Fprintln(e.stdout, "note: with MONGODB_URI, run this only while no Heard server accepts answers to these surveys")
		}
		if _, err := st.settle(ctx); err != nil {
			return err
		}
		list, err := surveysFor(ctx, st, o.slug)
		if err != nil {
			return err
		}
		for _, s := range list {
			if retainedTallies(e.stdout, s) {
				continue
			}
			tallies, err := st.tallies.CountTallies(ctx, s)
			if err != nil {
				return err
			}
			if err := st.tallies.ReplaceTallies(ctx, s, tallies); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s: %d responses counted\n", s.Slug, countResponses(tallies))
		}
		return nil
	})
}

// runTallyVerify compares tallies with a recount, changing nothing.
func runTallyVerify(ctx context.Context, e *env, opts any) error {
	o := opts.(*surveyOption)
	return withStorage(ctx, e, func(st *storage) error {
		list, err := surveysFor(ctx, st, o.slug)
		if err != nil {
			return err
		}
		bad := 0
		for _, s := range list {
			if retainedTallies(e.stdout, s) {
				continue
			}
			stored, err := st.tallies.FindTallies(ctx, s)
			if err != nil {
				return err
			}
			counted, err := st.tallies.CountTallies(ctx, s)
			if err != nil {
				return err
			}
			if !sameTallies(stored, counted) {
				bad++
				fmt.Fprintf(e.stdout, "%s: tallies count %d responses, the stored responses are %d: DIFFERENT\n",
					s.Slug, countResponses(stored), countResponses(counted))
				continue
			}
			fmt.Fprintf(e.stdout, "%s: %d responses, tallies match\n", s.Slug, countResponses(counted))
		}
		if pending, err := pendingBatches(ctx, st); err == nil && pending > 0 {
			fmt.Fprintf(e.stdout, "%d tally batches are unfinished; starting the server settles them\n", pending)
		}
		if bad > 0 {
			return fmt.Errorf("%d surveys' tallies differ from their responses; run \"heard tally rebuild\"", bad)
		}
		return nil
	})
}

func countResponses(tallies []*surveys.Tally) int {
	n := 0
	for _, t := range tallies {
		n += t.Slice(surveys.AllSlice).Responses
	}
	return n
}

// sameTallies compares tallies version by version; a version with no
// tally equals an empty one.
func sameTallies(a, b []*surveys.Tally) bool {
	byVersion := func(ts []*surveys.Tally) map[string]*surveys.Tally {
		m := map[string]*surveys.Tally{}
		for _, t := range ts {
			m[t.Version] = t
		}
		return m
	}
	ma, mb := byVersion(a), byVersion(b)
	for _, m := range []map[string]*surveys.Tally{ma, mb} {
		for v := range m {
			ta, tb := ma[v], mb[v]
			if ta == nil {
				ta = surveys.NewTally("", v)
			}
			if tb == nil {
				tb = surveys.NewTally("", v)
			}
			if !ta.Equal(tb) {
				return false
			}
		}
	}
	return true
}

// describe turns a domain error into a message with its fields, for the
// command line.
func describe(err error) error {
	fields := surveys.ErrorFields(err)
	if fields == nil {
		if surveys.ErrorCode(err) == surveys.EINTERNAL {
			return err
		}
		return errors.New(surveys.ErrorMessage(err))
	}
	var b strings.Builder
	b.WriteString(surveys.ErrorMessage(err))
	for _, k := range sortedKeys(fields) {
		fmt.Fprintf(&b, "\n  %s: %s", k, fields[k])
	}
	return errors.New(b.String())
}

func pendingBatches(ctx context.Context, st *storage) (int64, error) {
	return mongo.PendingBatches(ctx, st.db)
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
