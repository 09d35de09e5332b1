package surveys

import (
	"errors"
	"fmt"
	"maps"
)

// Error codes. Each says what kind of failure happened; the API maps them to
// HTTP statuses in one table.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Fields says where
	ENOTFOUND     = "not_found"    // no such thing
	ECONFLICT     = "conflict"     // the request clashes with the current state
	EUNAUTHORIZED = "unauthorized" // not signed in
	EFORBIDDEN    = "forbidden"    // signed in, but the role may not do this
	ERATELIMIT    = "rate_limited" // too many attempts; try again later
	EUNAVAILABLE  = "unavailable"  // the service cannot take this now; try again
	EINTERNAL     = "internal"     // a fault of ours; details are logged, never shown
)

// Error is a failure meant to be shown to a person: Message is written for
// them, and Fields, when set, names each place that is wrong (a question key,
// or a path in a survey definition such as "versions[0].questions[3].choices")
// with a message about that place.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	// Problems says, for answers, what is wrong with each as a code that
	// pages can put in a young person's language.
	Problems map[string]Problem
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s (%d fields)", e.Code, e.Message, len(e.Fields))
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldsError returns an EINVALID error carrying one message per field.
func FieldsError(message string, fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain; any
// other error becomes a general message, because its text may carry details
// that are not for the people using Heard.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again later."
}

// ErrorProblems returns a copy of the answer problems of the first *Error
// in err's chain, or nil.
func ErrorProblems(err error) map[string]Problem {
	var e *Error
	if errors.As(err, &e) && len(e.Problems) > 0 {
		return maps.Clone(e.Problems)
	}
	return nil
}

// ErrorFields returns a copy of the field messages of the first *Error in
// err's chain, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return maps.Clone(e.Fields)
	}
	return nil
}
