// Command heard runs Heard: the server, and the commands that manage it.
//
//	heard [serve]                     start the server (the default)
//	heard user add --email E --role R create a staff account; password from stdin
//	heard survey import FILE [--open] import a survey definition
//	heard survey list                 list surveys
//	heard survey template SLUG        print a shipped template, to edit and import
//	heard codes generate ...          make a batch of access codes and print its cards
//	heard codes list --survey SLUG    list batches of access codes
//	heard tally rebuild [--survey S]  recount tallies from stored responses
//	heard tally verify [--survey S]   check tallies against a recount
//	heard database                    run only the embedded database; prints MONGODB_URI
//	heard contact-key new --out FILE  write a new key for requests to talk
//	heard retention run [--dry-run]   delete what has been kept long enough
//	heard backup --out FILE [--force] write an archive of the whole database
//	heard restore FILE [--check]      load an archive into an empty database
//	heard help                        this help, with every setting
//
// Every command reads the same settings (environment variables, or flags of
// the same meaning). With the embedded database, commands other than serve
// open it themselves and refuse while a server holds it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/heard-app/heard/logging"
	"github.com/heard-app/heard/surveys"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "heard:", err)
		os.Exit(1)
	}
}

// command is one of heard's commands.
type command struct {
	name    string // "survey import"
	args    string // what follows the name, for help
	summary string
	// flags adds the command's own flags; run does the work.
	flags func(fs *flag.FlagSet) any
	run   func(ctx context.Context, e *env, opts any) error
}

// env is what a command runs with.
type env struct {
	cfg    *Config
	log    *slog.Logger
	args   []string // positional arguments after the command's name
	stdin  io.Reader
	stdout io.Writer
}

var commands []command

func init() {
	commands = []command{
		{name: "serve", summary: "start the server (what heard does with no command)", run: runServe},
		{name: "user add", args: "--email E --role R", summary: "create a staff account; reads the password from standard input", flags: userAddFlags, run: runUserAdd},
		{name: "survey import", args: "FILE [--open]", summary: "import a survey definition (JSON), as a draft or open", flags: importFlags, run: runSurveyImport},
		{name: "survey list", summary: "list surveys with their status", run: runSurveyList},
		{name: "survey template", args: "SLUG", summary: "print a shipped survey template, to edit and import", run: runSurveyTemplate},
		{name: "codes generate", args: "--survey SLUG --count N [--label L] --out FILE.pdf", summary: "make a batch of access codes and write its printable cards (codes are printed once)", flags: codesFlags, run: runCodesGenerate},
		{name: "codes list", args: "--survey SLUG", summary: "list a survey's batches of access codes and how many are spent", flags: codesFlags, run: runCodesList},
		{name: "report board", args: "--survey SLUG [--compare SLUG] --out FILE.pdf", summary: "write the Corporate Parenting Board's PDF summary of a survey", flags: reportFlags, run: runReportBoard},
		{name: "tally rebuild", args: "[--survey SLUG]", summary: "recount tallies from the stored responses (with no server accepting answers)", flags: surveyFlag, run: runTallyRebuild},
		{name: "tally verify", args: "[--survey SLUG]", summary: "check tallies against a recount; exits 1 if they differ", flags: surveyFlag, run: runTallyVerify},
		{name: "database", summary: "run only the embedded database, for several servers on this machine to share; prints MONGODB_URI", run: runDatabase},
		{name: "retention run", args: "[--dry-run]", summary: "delete the responses, comments, requests to talk and flags kept past their period (--dry-run: only count them)", flags: retentionFlags, run: runRetention},
		{name: "contact-key new", args: "--out FILE", summary: "write a new random key for requests to talk (HEARD_CONTACT_KEY_FILE), readable only by you", flags: contactKeyFlags, run: runContactKeyNew},
		{name: "backup", args: "--out FILE [--force]", summary: "write a compressed archive of the whole database, with a manifest and checksums, readable only by you", flags: backupFlags, run: runBackup},
		{name: "restore", args: "FILE [--check]", summary: "check an archive, then load it into an empty database (--check: only check it)", flags: restoreFlags, run: runRestore},
		{name: "help", summary: "show this help"},
	}
}

// run finds the command named by args and runs it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, rest := findCommand(args)
	if cmd == nil {
		return fmt.Errorf("unknown command %q; run \"heard help\" to see the commands", args[0])
	}
	if cmd.name == "help" {
		printHelp(stdout)
		return nil
	}
	fs := flag.NewFlagSet("heard "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: heard %s %s\nrun \"heard help\" for every setting\n", cmd.name, cmd.args)
	}
	var opts any
	if cmd.flags != nil {
		opts = cmd.flags(fs)
	}
	cfg, positional, err := loadConfig(getenv, fs, rest)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	// What a command changes is recorded in the audit log as done from the
	// command line; the server's requests name their member of staff.
	ctx = surveys.NewContextWithActor(ctx, surveys.ActorCommandLine)
	return cmd.run(ctx, &env{cfg: cfg, log: log, args: positional, stdin: stdin, stdout: stdout}, opts)
}

// findCommand matches the longest command name at the start of args; no
// arguments, or only flags, mean serve.
func findCommand(args []string) (*command, []string) {
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-') {
		return &commands[0], args
	}
	for i := range commands {
		c := &commands[i]
		words := strings.Fields(c.name)
		if len(args) >= len(words) && equalWords(args[:len(words)], words) {
			return c, args[len(words):]
		}
	}
	return nil, nil
}

func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	return logging.New(cfg.LogFormat, w, slog.LevelInfo)
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Heard: hear children and young people, and act on it.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: heard [command] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-40s %s\n", c.name+" "+c.args, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Settings, from the environment or a flag of the same meaning (a flag wins):")
	printSettings(w)
}

func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func runServe(ctx context.Context, e *env, _ any) error {
	if len(e.args) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", e.args)
	}
	return serve(ctx, e.cfg, e.log)
}
