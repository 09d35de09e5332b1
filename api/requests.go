package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/surveys"
)

// newValidator returns a validator that names fields by their JSON names.
func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}

// errBadJSON is the answer to a body that is not the JSON expected.
func errBadJSON(detail string) error {
	return fiber.NewError(fiber.StatusBadRequest, "The request body is not valid JSON"+detail+".")
}

// decodeJSON reads the body into v, which must be one JSON object with no
// unknown fields, and checks v's validator tags. Malformed JSON is 400; a
// value that breaks a rule is 422 naming the field.
func (s *Server) decodeJSON(c fiber.Ctx, v any) error {
	if !c.IsJSON() {
		return fiber.NewError(fiber.StatusUnsupportedMediaType, "Send the request as JSON (Content-Type: application/json).")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typ):
			return surveys.FieldsError("A value has the wrong type.", map[string]string{typ.Field: "has the wrong type"})
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return errBadJSON(": it has the unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return errBadJSON("")
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errBadJSON(": there is more after the object")
	}
	return s.check(v)
}

// check runs v's validator tags and words what fails.
func (s *Server) check(v any) error {
	err := s.validate.Struct(v)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		if err != nil {
			return fmt.Errorf("validate request: %w", err)
		}
		return nil
	}
	fields := map[string]string{}
	for _, fe := range verrs {
		fields[fe.Field()] = ruleMessage(fe)
	}
	return surveys.FieldsError("Some values are missing or wrong.", fields)
}

func ruleMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "uuid":
		return "must be a UUID"
	case "email":
		return "must be an email address"
	case "max":
		return "must be at most " + fe.Param() + " characters"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	default:
		return "is not valid (" + fe.Tag() + ")"
	}
}
