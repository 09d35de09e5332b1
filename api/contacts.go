package api

import (
	"github.com/gofiber/fiber/v3"

	"github.com/heard-app/heard/forwarded"
	"github.com/heard-app/heard/surveys"
)

// contactRequest is a young person's request for someone to talk to them.
// It carries no response id and nothing of their answers. The domain
// checks what is required and how long each may be, with a problem code
// per field for pages to say in the young person's language.
type contactRequest struct {
	Name    string `json:"name"`
	Reach   string `json:"reach"`
	Message string `json:"message"`
	Lang    string `json:"lang" validate:"max=16"`
	// Key, a UUID the phone made for this request, makes a retry store it
	// once; it is optional.
	Key string `json:"key" validate:"max=36"`
}

// requestContact stores a request to talk, sealed. A client may make
// surveys.MaxContactsPerClient in each surveys.ContactWindow; requests
// refused for their mistakes do not count.
func (s *Server) requestContact(c fiber.Ctx) error {
	var req contactRequest
	if err := s.decodeJSON(c, &req); err != nil {
		return err
	}
	client := forwarded.ClientIP(c)
	if wait, blocked := s.cfg.ContactLimit.Blocked(client); blocked {
		return &limitError{wait: wait, what: "requests to talk from here"}
	}
	_, err := s.cfg.Contacts.Request(c.Context(), c.Params("slug"), surveys.ContactInput{
		Name: req.Name, Reach: req.Reach, Message: req.Message, Lang: req.Lang, Key: req.Key})
	if err != nil {
		return err
	}
	s.cfg.ContactLimit.Count(client)
	// Nothing comes back but that it is stored: the id is of no use to the
	// young person, and the page need not hold it.
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"status": "stored"})
}
