package surveys

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Access codes let a survey take one response per young person without
// knowing who anyone is. Staff print a batch of codes on cards; each works
// once. Heard stores only a hash of each code, with its survey, its batch
// and whether it has been used: never when, nor by which response.

// CodeAlphabet is the characters codes are made of: digits and capital
// letters without the ones easily confused (0 O, 1 I L) and U (V).
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// Limits on access codes.
const (
	CodeLength       = 9    // characters: 30^9 is about 2^44, so guessing is hopeless at any rate Heard allows
	CodeGroup        = 3    // shown in groups of three: "7KM-3PX-Q9R"
	MaxCodesPerBatch = 2000 // one batch is one print run
	MaxBatchLabel    = 100  // characters
	// BatchPrintWindow is how long a batch can wait to be printed. Until it
	// is printed, Heard keeps the secret the codes are made from; after, or
	// after this long, the secret is gone and the codes cannot be printed
	// again.
	BatchPrintWindow = 24 * time.Hour
)

// CodeState is where an access code is in its life.
type CodeState string

// States of a code.
const (
	CodeFree     CodeState = "free"
	CodeReserved CodeState = "reserved" // being spent with a response being stored
	CodeSpent    CodeState = "spent"
)

// CodeBatch is a print run of codes for one survey.
type CodeBatch struct {
	ID      string    `json:"id"`
	Survey  string    `json:"survey"`
	Label   string    `json:"label"`
	Count   int       `json:"count"`
	Spent   int       `json:"spent"`
	Created time.Time `json:"created"`
	Printed bool      `json:"printed"`
}

// CodeStore keeps access codes, as hashes.
type CodeStore interface {
	// CreateCodeBatch stores a batch, its codes' hashes, and the secret the
	// codes are made from (until they are printed). A hash that exists
	// already fails with ECONFLICT, and nothing is stored.
	CreateCodeBatch(ctx context.Context, b *CodeBatch, hashes []string, secret string) error
	// FindCodeBatches lists a survey's batches with how many codes of each
	// are spent, newest first.
	FindCodeBatches(ctx context.Context, survey string) ([]*CodeBatch, error)
	// TakeBatchSecret returns a batch's secret and forgets it, so that the
	// codes can be printed once. A batch already printed, or older than
	// BatchPrintWindow, fails with ECONFLICT; an unknown one with ENOTFOUND.
	TakeBatchSecret(ctx context.Context, survey, batch string, now time.Time) (*CodeBatch, string, error)
	// CodeState returns the state of the code with the hash in the survey,
	// or ENOTFOUND.
	CodeState(ctx context.Context, survey, hash string) (CodeState, error)
}

// NormalizeCode returns a code as typed (any case, with spaces or dashes)
// in its canonical form, and whether it can be a code at all.
func NormalizeCode(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
		case strings.ContainsRune(CodeAlphabet, r):
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	code := b.String()
	return code, utf8.RuneCountInString(code) == CodeLength
}

// FormatCode shows a canonical code in groups: "7KM3PXQ9R" is "7KM-3PX-Q9R".
func FormatCode(code string) string {
	var parts []string
	for i := 0; i < len(code); i += CodeGroup {
		parts = append(parts, code[i:min(i+CodeGroup, len(code))])
	}
	return strings.Join(parts, "-")
}

// HashCode is what Heard stores in place of a canonical code. The survey is
// part of it, so a code is bound to its survey.
func HashCode(survey, code string) string {
	sum := sha256.Sum256([]byte(survey + ":" + code))
	return hex.EncodeToString(sum[:])
}

// CodesFromSecret makes n distinct canonical codes from a batch's secret.
// The same secret always gives the same codes, which is how a batch is
// printed after it was made without storing its codes.
func CodesFromSecret(secret []byte, n int) []string {
	codes := make([]string, 0, n)
	seen := map[string]bool{}
	for i := uint64(0); len(codes) < n; i++ {
		code := codeAt(secret, i)
		if !seen[code] {
			seen[code] = true
			codes = append(codes, code)
		}
	}
	return codes
}

// codeAt derives one code: HMAC-SHA256 of the index, read as characters of
// the alphabet, dropping byte values that would make some characters
// likelier than others.
func codeAt(secret []byte, i uint64) string {
	var out []byte
	for round := uint64(0); len(out) < CodeLength; round++ {
		mac := hmac.New(sha256.New, secret)
		var msg [16]byte
		binary.BigEndian.PutUint64(msg[:8], i)
		binary.BigEndian.PutUint64(msg[8:], round)
		mac.Write(msg[:])
		out = appendAlphabet(out, mac.Sum(nil), CodeLength)
	}
	return string(out)
}

// appendAlphabet adds characters of CodeAlphabet read from random bytes
// to out, until it holds n, dropping the byte values that would make some
// characters likelier than others.
func appendAlphabet(out, random []byte, n int) []byte {
	limit := byte(256 - 256%len(CodeAlphabet))
	for _, b := range random {
		if b < limit && len(out) < n {
			out = append(out, CodeAlphabet[int(b)%len(CodeAlphabet)])
		}
	}
	return out
}

// Codes makes and prints batches of access codes.
type Codes struct {
	Store   CodeStore
	Surveys SurveyStore
	Audit   *AuditLog // nil records nothing
	Now     func() time.Time
}

// Generate makes a batch of count codes for a survey and returns it with
// the codes, canonical. The codes themselves are not stored.
func (c *Codes) Generate(ctx context.Context, slug string, count int, label string) (*CodeBatch, []string, error) {
	errs := map[string]string{}
	if count < 1 || count > MaxCodesPerBatch {
		errs["count"] = fmt.Sprintf("must be from 1 to %d", MaxCodesPerBatch)
	}
	label = strings.TrimSpace(label)
	if utf8.RuneCountInString(label) > MaxBatchLabel {
		errs["label"] = fmt.Sprintf("must be at most %d characters", MaxBatchLabel)
	}
	if len(errs) > 0 {
		return nil, nil, FieldsError("The batch of codes is not right.", errs)
	}
	if _, err := c.Surveys.FindSurvey(ctx, slug); err != nil {
		return nil, nil, err
	}
	for attempt := 0; ; attempt++ {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, nil, fmt.Errorf("read randomness: %w", err)
		}
		codes := CodesFromSecret(secret, count)
		hashes := make([]string, len(codes))
		for i, code := range codes {
			hashes[i] = HashCode(slug, code)
		}
		b := &CodeBatch{ID: newBatchID(), Survey: slug, Label: label, Count: count, Created: c.Now().UTC()}
		err := c.Store.CreateCodeBatch(ctx, b, hashes, hex.EncodeToString(secret))
		// A clash with an earlier batch's code is about as likely as winning
		// the lottery twice; try again with a new secret.
		if ErrorCode(err) == ECONFLICT && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("generate codes: %w", err)
		}
		if err := c.Audit.Record(ctx, AuditCodesCreate, slug, fmt.Sprintf("batch %s: %d codes", b.ID, count)); err != nil {
			return nil, nil, err
		}
		return b, codes, nil
	}
}

// Print returns a batch's codes, once: after that, Heard cannot make them
// again.
func (c *Codes) Print(ctx context.Context, slug, batch string) (*CodeBatch, []string, error) {
	b, secret, err := c.Store.TakeBatchSecret(ctx, slug, batch, c.Now())
	if err != nil {
		return nil, nil, err
	}
	raw, err := hex.DecodeString(secret)
	if err != nil {
		return nil, nil, fmt.Errorf("batch %s: bad secret: %w", batch, err)
	}
	if err := c.Audit.Record(ctx, AuditCodesExport, slug, fmt.Sprintf("batch %s: %d code cards printed", batch, b.Count)); err != nil {
		return nil, nil, err
	}
	return b, CodesFromSecret(raw, b.Count), nil
}

// Check tells whether a typed code can unlock the survey: nil, or an
// EINVALID (unknown) or ECONFLICT (used) error with a Problem for "code".
func (c *Codes) Check(ctx context.Context, slug, typed string) error {
	code, ok := NormalizeCode(typed)
	if !ok {
		return codeProblem(EINVALID, ProblemCodeUnknown)
	}
	state, err := c.Store.CodeState(ctx, slug, HashCode(slug, code))
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return codeProblem(EINVALID, ProblemCodeUnknown)
	case err != nil:
		return fmt.Errorf("check code: %w", err)
	case state != CodeFree:
		return codeProblem(ECONFLICT, ProblemCodeUsed)
	}
	return nil
}

func codeProblem(code, problem string) *Error {
	e := ProblemsError("", map[string]Problem{"code": {Code: problem}})
	e.Code = code
	e.Message = e.Fields["code"]
	return e
}

func newBatchID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
