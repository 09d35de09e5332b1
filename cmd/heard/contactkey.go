package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"github.com/heard-app/heard/secret"
	"github.com/heard-app/heard/surveys"
)

type contactKeyOptions struct{ out string }

func contactKeyFlags(fs *flag.FlagSet) any {
	o := &contactKeyOptions{}
	fs.StringVar(&o.out, "out", "", "the new key file (it must not exist)")
	return o
}

// runContactKeyNew writes a fresh random key for requests to talk, readable
// only by its owner. It never replaces a file: a key in use, once lost,
// takes every request sealed with it along.
func runContactKeyNew(_ context.Context, e *env, opts any) error {
	o := opts.(*contactKeyOptions)
	if o.out == "" || len(e.args) > 0 {
		return errors.New("contact-key new needs --out FILE, and nothing else")
	}
	if err := secret.WriteKeyFile(o.out); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	fmt.Fprintf(e.stdout, "wrote a new key to %s (readable only by you). Set HEARD_CONTACT_KEY_FILE=%s, and keep a copy apart from the database's backups: without it, requests to talk cannot be read.\n", o.out, o.out)
	return nil
}

// contactSealer reads HEARD_CONTACT_KEY_FILE: nil when it is unset
// (requests to talk are off). A key file that cannot be read or holds no
// key stops start-up; one that others may read is used, with a warning.
// Errors name the variable and the file, never what the file holds.
func contactSealer(cfg *Config, log *slog.Logger) (surveys.Sealer, error) {
	if cfg.ContactKeyFile == "" {
		return nil, nil
	}
	key, loose, err := secret.LoadKeyFile(cfg.ContactKeyFile)
	if err != nil {
		return nil, fmt.Errorf("HEARD_CONTACT_KEY_FILE %s: %w", cfg.ContactKeyFile, err)
	}
	if loose {
		log.Warn("HEARD_CONTACT_KEY_FILE may be read by others than its owner; make it readable only by the account Heard runs as (chmod 600)",
			"file", cfg.ContactKeyFile)
	}
	box, err := secret.New(key)
	if err != nil {
		return nil, fmt.Errorf("HEARD_CONTACT_KEY_FILE %s: %w", cfg.ContactKeyFile, err)
	}
	return box, nil
}
