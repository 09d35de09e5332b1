package staff

import (
	"net/http"

	"github.com/gofiber/fiber/v3"
)

type errorView struct {
	page
	Status  int
	Heading string
	Message string
}

// ErrorPage renders a failure inside the workspace's layout: 403 for a
// role that may not see a page, 404, 409 and the rest. The app's error
// handler calls it for every path under /staff.
func (p *Pages) ErrorPage(c fiber.Ctx, status int, message string) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	heading := map[int]string{
		http.StatusForbidden:             "You cannot open this page",
		http.StatusNotFound:              "Page not found",
		http.StatusConflict:              "That could not be done",
		http.StatusTooManyRequests:       "Too many tries",
		http.StatusRequestEntityTooLarge: "That was too large to take",
	}[status]
	if heading == "" {
		heading = "Something went wrong"
	}
	if status >= http.StatusInternalServerError && status != http.StatusServiceUnavailable || message == "" {
		message = "Something went wrong on our side. Please try again; if it keeps happening, tell your admin."
	}
	return p.render(c, status, "error", errorView{page: p.page(c, heading), Status: status, Heading: heading, Message: message})
}
