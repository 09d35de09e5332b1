package frontend

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/surveys"
)

// codeResult is what checking a typed access code found: the code when it
// works, the problem when it does not, or how long a client that has typed
// too many wrong codes must wait.
type codeResult struct {
	Code    string // canonical
	Problem string // surveys.ProblemCode...
	Wait    time.Duration
}

// errNoCodes is the failure of a survey that needs access codes on a
// server set up without them.
var errNoCodes = errors.New("frontend: a survey needs access codes, but Config has no Codes")

// checkCode checks a code typed for the survey slug before its first
// question. It refuses a client with too many wrong codes without looking,
// and counts an unknown code against the client, in memory only, with the
// same limiter as the API, so that the two together allow no more guesses
// than either.
func (p *Pages) checkCode(c fiber.Ctx, slug, typed string) (codeResult, error) {
	if wait, blocked := p.cfg.CodeAttempts.Blocked(forwarded.ClientIP(c)); blocked {
		return codeResult{Wait: wait}, nil
	}
	if strings.TrimSpace(typed) == "" {
		return codeResult{Problem: surveys.ProblemCodeMissing}, nil
	}
	if p.cfg.Codes == nil {
		return codeResult{}, errNoCodes
	}
	err := p.cfg.Codes.Check(c.Context(), slug, typed)
	if err == nil {
		code, _ := surveys.NormalizeCode(typed)
		return codeResult{Code: code}, nil
	}
	problem := surveys.ErrorProblems(err)["code"].Code
	if problem == "" {
		return codeResult{}, fmt.Errorf("check access code: %w", err)
	}
	if problem == surveys.ProblemCodeUnknown {
		p.cfg.CodeAttempts.Fail(forwarded.ClientIP(c))
	}
	return codeResult{Problem: problem}, nil
}

// problemWords says a problem in the page's language, with its numbers.
func problemWords(l *locale, pr surveys.Problem) string {
	key := "problem." + pr.Code
	if _, ok := l.messages[key]; !ok {
		key = "problem.other"
	}
	// The numbers are written plainly, as the domain's English messages
	// (and so the API's) write them: "2000 characters", not "2,000".
	args := []any{"limit", strconv.Itoa(pr.Limit), "length", strconv.Itoa(pr.Length)}
	if pr.Min != nil {
		args = append(args, "min", strconv.Itoa(*pr.Min))
	}
	if pr.Max != nil {
		args = append(args, "max", strconv.Itoa(*pr.Max))
	}
	// The plural form follows the number the sentence counts things by.
	if pr.Code == surveys.ProblemTooMany || pr.Code == surveys.ProblemTooLong {
		args = append(args, "n", pr.Limit)
	}
	return l.T(key, args...)
}
